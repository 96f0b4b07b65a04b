// Embedding (gather, and a deterministic scatter-add by row ownership), RMSNorm, RoPE.
#pragma once

#include "common.cuh"

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
    double s = 0.0;
    for (int d = lane; d < D; d += 32) {
        double v = (double)ld(x, o + d, xbf);
        s = fma(v, v, s);
    }
    s = warpSum(s);
    float variance = (float)(s / D);
    float r = (float)(1.0 / sqrt((double)__fadd_rn(variance, eps)));
    if (rstd && lane == 0) st(rstd, row, rbf, r);
    for (int d = lane; d < D; d += 32) {
        st(out, o + d, obf, __fmul_rn(__fmul_rn(ld(x, o + d, xbf), r), ld(w, d, wbf)));
    }
}

/**
 * RMSNorm backward for dx, one warp per row: dx += rstd * (w * dOut - x * rstd^2 * mean(w * dOut * x)).
 * dw is done by rift_colsum_partial / rift_colsum_finish (dOut * x * rstd summed over rows).
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_rmsnorm_bwd_dx(void* dx, int dxbf, const void* dOut, int gbf, const void* x, int xbf, const void* w, int wbf,
                    const void* rstd, int rbf, int N, int D) {
    int row = blockIdx.x * RIFT_WARPS + (threadIdx.x >> 5), lane = threadIdx.x & 31;
    if (row >= N) return;
    i64 o = (i64)row * D;
    float r = ld(rstd, row, rbf);
    float dot = 0.0f;
    for (int d = lane; d < D; d += 32) {
        dot = fmaf(__fmul_rn(ld(dOut, o + d, gbf), ld(x, o + d, xbf)), ld(w, d, wbf), dot);
    }
    dot = warpSum(dot);
    float coef = __fmul_rn(__fmul_rn(r, r), __fdiv_rn(dot, (float)D));
    for (int d = lane; d < D; d += 32) {
        float t = __fadd_rn(__fmul_rn(ld(x, o + d, xbf), -coef), __fmul_rn(ld(w, d, wbf), ld(dOut, o + d, gbf)));
        st(dx, o + d, dxbf, fmaf(t, r, ld(dx, o + d, dxbf)));
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
