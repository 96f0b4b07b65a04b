// Embedding (gather, and a deterministic scatter-add by row ownership), RMSNorm, RoPE, and the fused
// residual add + RMSNorm and per-head RMSNorm + RoPE (bit for bit the compositions they replace).
#pragma once

#include "common.cuh"
#include "vector_io.cuh"

/** out [N, D] = table[ids[n], :]. Grid (N, ceil(D / 256)); ids were range-checked on the host. */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_embedding_fwd(void* out, int obf, const int* ids, const void* table, int tbf, int N, int D) {
    int n = blockIdx.x;
    int d = blockIdx.y * blockDim.x + threadIdx.x;
    if (n >= N || d >= D) return;
    st(out, (i64)n * D + d, obf, ld(table, (i64)ids[n] * D + d, tbf));
}

/**
 * dTable[row, :] += dOut[pos, :] for every token position of that row, in token order. The host
 * groups the positions by vocabulary row (rows[u], its positions pos[start[u] .. start[u+1])), so each
 * table row is owned by one block column: no atomics, and in fp32 the sums are the CPU's bits.
 * Grid (U, ceil(D / 256)).
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_embedding_bwd(void* dTable, int tbf, const int* rows, const int* start, const int* pos,
                   const void* dOut, int obf, int U, int D) {
    int u = blockIdx.x;
    int d = blockIdx.y * blockDim.x + threadIdx.x;
    if (u >= U || d >= D) return;
    i64 o = (i64)rows[u] * D + d;
    float a = ld(dTable, o, tbf);
    for (int k = start[u]; k < start[u + 1]; k++) a = __fadd_rn(a, ld(dOut, (i64)pos[k] * D + d, obf));
    st(dTable, o, tbf, a);
}

/**
 * rstd = 1 / sqrt(float(sumSquares / D) + eps) rounded as rift.kernels.cpu.RmsNorm does (the mean
 * rounded to float, the float add of eps, the root and division in double): every RMSNorm kernel here.
 */
static __device__ __forceinline__ float rmsRstd(double sumSquares, int D, float eps) {
    float variance = (float)(sumSquares / D);
    return (float)(1.0 / sqrt((double)__fadd_rn(variance, eps)));
}

/** v as a store of storage type bf then a load would give it back (rounded to bf16 when bf). */
static __device__ __forceinline__ float asStored(float v, int bf) {
    return bf ? __bfloat162float(__float2bfloat16_rn(v)) : v;
}

// The row kernels below (one warp per row) give each lane its share of a row in one of two fixed orders,
// chosen by the row length alone so that every kernel reading a row of that length sums it the same way
// (the fused kernels promise the unfused ones' bits): rows of a multiple of 256 elements go by 8-element
// groups (lane l takes elements 8 l .. 8 l + 7, then 256 further on; 16-byte accesses where the pointer
// allows), other rows element by element (lane l takes l, l + 32, ...).

/** Whether a row of D elements goes by 8-element groups. */
static __device__ __forceinline__ bool rowByGroups(int D) {
    return (D & 255) == 0;
}

/** Elements i .. i + 7 as ld reads them: one 16-byte access when p + i is aligned, else eight loads. */
static __device__ __forceinline__ void load8(float (&v)[8], const void* p, i64 i, int bf) {
    if (aligned16(static_cast<const char*>(p) + i * (bf ? 2 : 4))) {
        ld8(v, p, i, bf);
    } else {
#pragma unroll
        for (int k = 0; k < 8; k++) v[k] = ld(p, i + k, bf);
    }
}

/** Elements i .. i + 7 as st writes them: one 16-byte access when p + i is aligned, else eight stores. */
static __device__ __forceinline__ void store8(void* p, i64 i, int bf, const float (&v)[8]) {
    if (aligned16(static_cast<const char*>(p) + i * (bf ? 2 : 4))) {
        st8(p, i, bf, v);
    } else {
#pragma unroll
        for (int k = 0; k < 8; k++) st(p, i + k, bf, v[k]);
    }
}

/** out[o + d] = (x[o + d] * r) * w[d] for this lane's share of the row, in the row order above. */
static __device__ __forceinline__ void normalizeRow(void* out, int obf, const void* x, int xbf, const void* w, int wbf, i64 o, int D,
                                                    float r, int lane) {
    if (rowByGroups(D)) {
        for (int d = 8 * lane; d < D; d += 256) {
            float v[8], g[8];
            load8(v, x, o + d, xbf);
            load8(g, w, d, wbf);
#pragma unroll
            for (int k = 0; k < 8; k++) v[k] = __fmul_rn(__fmul_rn(v[k], r), g[k]);
            store8(out, o + d, obf, v);
        }
        return;
    }
    for (int d = lane; d < D; d += 32) st(out, o + d, obf, __fmul_rn(__fmul_rn(ld(x, o + d, xbf), r), ld(w, d, wbf)));
}

/** This lane's sum of squares (double) of row x[o .. o + D), in the row order above. */
static __device__ __forceinline__ double laneSumSquares(const void* x, int xbf, i64 o, int D, int lane) {
    double s = 0.0;
    if (rowByGroups(D)) {
        for (int d = 8 * lane; d < D; d += 256) {
            float v[8];
            load8(v, x, o + d, xbf);
#pragma unroll
            for (int k = 0; k < 8; k++) s = fma((double)v[k], (double)v[k], s);
        }
    } else {
        for (int d = lane; d < D; d += 32) {
            double v = (double)ld(x, o + d, xbf);
            s = fma(v, v, s);
        }
    }
    return s;
}

/**
 * RMSNorm forward, one warp per row (8 rows per block): rstd = 1 / sqrt(float(mean(x^2)) + eps)
 * rounded as rift.kernels.cpu.RmsNorm does (sum of squares in double, the mean rounded to float, the
 * float add of eps, the root and division in double), out = (x * rstd) * w. rstd may be null.
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_rmsnorm_fwd(void* out, int obf, void* rstd, int rbf, const void* x, int xbf, const void* w, int wbf,
                 int N, int D, float eps) {
    int row = blockIdx.x * RIFT_WARPS + (threadIdx.x >> 5), lane = threadIdx.x & 31;
    if (row >= N) return;
    i64 o = (i64)row * D;
    float r = rmsRstd(warpSum(laneSumSquares(x, xbf, o, D, lane)), D, eps);
    if (rstd && lane == 0) st(rstd, row, rbf, r);
    normalizeRow(out, obf, x, xbf, w, wbf, o, D, r, lane);
}

/**
 * Residual add then RMSNorm, one warp per row (8 rows per block): sum = a + b, then out and rstd as
 * rift_rmsnorm_fwd computes them from sum. Bit for bit rift_add followed by rift_rmsnorm_fwd: the norm
 * reads each sum as stored (rounded to bf16 in bf16 storage), with the same per-lane order of squares.
 * sum may alias a or b (each element is read, then written, by one lane); out and rstd overlap none of
 * a, b, sum (the host checks).
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_add_rmsnorm_fwd(void* sum, int sbf, void* out, int obf, void* rstd, int rbf, const void* a, int abf,
                     const void* b, int bbf, const void* w, int wbf, int N, int D, float eps) {
    int row = blockIdx.x * RIFT_WARPS + (threadIdx.x >> 5), lane = threadIdx.x & 31;
    if (row >= N) return;
    i64 o = (i64)row * D;
    double s = 0.0;
    if (rowByGroups(D)) { // rift_rmsnorm_fwd's order of squares (laneSumSquares) on the sums as stored
        for (int d = 8 * lane; d < D; d += 256) {
            float u[8], v[8];
            load8(u, a, o + d, abf);
            load8(v, b, o + d, bbf);
#pragma unroll
            for (int k = 0; k < 8; k++) u[k] = __fadd_rn(u[k], v[k]);
            store8(sum, o + d, sbf, u);
#pragma unroll
            for (int k = 0; k < 8; k++) {
                const double t = (double)asStored(u[k], sbf);
                s = fma(t, t, s);
            }
        }
    } else {
        for (int d = lane; d < D; d += 32) {
            st(sum, o + d, sbf, __fadd_rn(ld(a, o + d, abf), ld(b, o + d, bbf)));
            double v = (double)ld(sum, o + d, sbf); // as stored: the norm of the two-op path reads it back from memory
            s = fma(v, v, s);
        }
    }
    float r = rmsRstd(warpSum(s), D, eps);
    if (rstd && lane == 0) st(rstd, row, rbf, r);
    // this lane wrote the sums it reads here (the same share, in the same order): no other lane's store to wait for
    normalizeRow(out, obf, sum, sbf, w, wbf, o, D, r, lane);
}

/**
 * RMSNorm backward for dx, one warp per row: dx += rstd * (w * dOut - x * rstd^2 * mean(w * dOut * x)),
 * or = with set (dx is not read; the same fma onto 0, so the bits equal zeroing first).
 * dw is done by rift_colsum_partial / rift_colsum_finish (dOut * x * rstd summed over rows).
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_rmsnorm_bwd_dx(void* dx, int dxbf, const void* dOut, int gbf, const void* x, int xbf, const void* w, int wbf,
                    const void* rstd, int rbf, int N, int D, int set) {
    int row = blockIdx.x * RIFT_WARPS + (threadIdx.x >> 5), lane = threadIdx.x & 31;
    if (row >= N) return;
    i64 o = (i64)row * D;
    float r = ld(rstd, row, rbf);
    float dot = 0.0f;
    if (rowByGroups(D)) {
        for (int d = 8 * lane; d < D; d += 256) {
            float g[8], v[8], u[8];
            load8(g, dOut, o + d, gbf);
            load8(v, x, o + d, xbf);
            load8(u, w, d, wbf);
#pragma unroll
            for (int k = 0; k < 8; k++) dot = fmaf(__fmul_rn(g[k], v[k]), u[k], dot);
        }
    } else {
        for (int d = lane; d < D; d += 32) {
            dot = fmaf(__fmul_rn(ld(dOut, o + d, gbf), ld(x, o + d, xbf)), ld(w, d, wbf), dot);
        }
    }
    dot = warpSum(dot);
    float coef = __fmul_rn(__fmul_rn(r, r), __fdiv_rn(dot, (float)D));
    if (rowByGroups(D)) {
        for (int d = 8 * lane; d < D; d += 256) {
            float g[8], v[8], u[8], acc8[8] = {};
            load8(g, dOut, o + d, gbf);
            load8(v, x, o + d, xbf);
            load8(u, w, d, wbf);
            if (!set) load8(acc8, dx, o + d, dxbf);
#pragma unroll
            for (int k = 0; k < 8; k++) {
                float t = __fadd_rn(__fmul_rn(v[k], -coef), __fmul_rn(u[k], g[k]));
                acc8[k] = fmaf(t, r, acc8[k]);
            }
            store8(dx, o + d, dxbf, acc8);
        }
        return;
    }
    for (int d = lane; d < D; d += 32) {
        float t = __fadd_rn(__fmul_rn(ld(x, o + d, xbf), -coef), __fmul_rn(ld(w, d, wbf), ld(dOut, o + d, gbf)));
        st(dx, o + d, dxbf, fmaf(t, r, set ? 0.0f : ld(dx, o + d, dxbf)));
    }
}

/**
 * RoPE in the Hugging Face rotate_half layout, in place on x [N, H, hd]: dimension i pairs with
 * i + hd/2; (a, b) -> (a cos - b sin, b cos + a sin) with sin multiplied by sign (+1 forward, -1 for
 * the backward, which is the inverse rotation). cos, sin [maxPositions, hd/2] fp32, uploaded once.
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_rope(void* x, int xbf, const int* positions, const float* cosT, const float* sinT, int N, int H, int hd, float sign) {
    const unsigned half = hd / 2, heads = H;
    if ((half & 7) == 0 && aligned16(x) && aligned16(cosT) && aligned16(sinT)) {
        // 8 pairs per thread (vector_io.cuh): the same operations on each pair
        const unsigned groups = half / 8;
        RIFT_FOR(t, (i64)N * H * groups) {
            const unsigned u = (unsigned)t, nh = u / groups;
            const int i = 8 * (int)(u - nh * groups), n = (int)(nh / heads);
            const i64 a = (i64)nh * hd + i, b = a + half, c = (i64)positions[n] * half + i;
            float xa[8], xb[8], co[8], si[8], ya[8], yb[8];
            ld8(xa, x, a, xbf);
            ld8(xb, x, b, xbf);
            ld8(co, cosT, c, 0);
            ld8(si, sinT, c, 0);
#pragma unroll
            for (int k = 0; k < 8; k++) {
                const float sk = __fmul_rn(si[k], sign);
                ya[k] = __fsub_rn(__fmul_rn(xa[k], co[k]), __fmul_rn(xb[k], sk));
                yb[k] = __fadd_rn(__fmul_rn(xb[k], co[k]), __fmul_rn(xa[k], sk));
            }
            st8(x, a, xbf, ya);
            st8(x, b, xbf, yb);
        }
        return;
    }
    RIFT_FOR(t, (i64)N * H * half) {
        // 32-bit index arithmetic (the host keeps N * H * hd / 2 below 2^32): a 64-bit division is a long
        // software routine on the GPU, and this one ran for every element
        const unsigned u = (unsigned)t, nh = u / half;
        const int i = (int)(u - nh * half), n = (int)(nh / heads);
        i64 a = (i64)nh * hd + i, b = a + half;
        i64 c = (i64)positions[n] * half + i;
        float co = cosT[c], si = __fmul_rn(sinT[c], sign);
        float xa = ld(x, a, xbf), xb = ld(x, b, xbf);
        st(x, a, xbf, __fsub_rn(__fmul_rn(xa, co), __fmul_rn(xb, si)));
        st(x, b, xbf, __fadd_rn(__fmul_rn(xb, co), __fmul_rn(xa, si)));
    }
}

/**
 * Qwen3's per-head q/k norm then RoPE, one warp per (token, head) row of hd (8 rows per block): bit for
 * bit rift_rmsnorm_fwd over rows of hd (rstd [N, H]) followed by rift_rope (sign +1) on its output. Each
 * lane takes the pairs (i, i + hd/2) it rotates, normalises both as rift_rmsnorm_fwd would, rounds them as
 * a store would (RoPE reads the normed values from memory), and stores only the rotated pair. out and
 * rstd overlap neither x nor w (the host checks).
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_rmsnorm_rope(void* out, int obf, void* rstd, int rbf, const void* x, int xbf, const void* w, int wbf,
                  const int* positions, const float* cosT, const float* sinT, int N, int H, int hd, float eps) {
    int row = blockIdx.x * RIFT_WARPS + (threadIdx.x >> 5), lane = threadIdx.x & 31;
    if (row >= N * H) return; // the host keeps N * H below 2^31
    i64 o = (i64)row * hd;
    float r = rmsRstd(warpSum(laneSumSquares(x, xbf, o, hd, lane)), hd, eps); // rift_rmsnorm_fwd's order of squares
    if (rstd && lane == 0) st(rstd, row, rbf, r);
    const int half = hd / 2;
    const i64 c = (i64)positions[row / H] * half;
    for (int i = lane; i < half; i += 32) {
        float xa = asStored(__fmul_rn(__fmul_rn(ld(x, o + i, xbf), r), ld(w, i, wbf)), obf);
        float xb = asStored(__fmul_rn(__fmul_rn(ld(x, o + i + half, xbf), r), ld(w, i + half, wbf)), obf);
        float co = cosT[c + i], si = sinT[c + i]; // rift_rope's sin * sign with sign = +1: the same float
        st(out, o + i, obf, __fsub_rn(__fmul_rn(xa, co), __fmul_rn(xb, si)));
        st(out, o + i + half, obf, __fadd_rn(__fmul_rn(xb, co), __fmul_rn(xa, si)));
    }
}
