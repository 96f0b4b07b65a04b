// Causal grouped-query attention over packed variable-length sequences (layout as in
// rift.kernels.cpu.Attention: q, out [N, Hq, hd]; k, v [N, Hkv, hd]; lse [N, Hq]), FlashAttention-2
// style: tiles of queries and keys in shared memory, an online softmax, no T x T matrix in global
// memory. Arithmetic is fp32 on CUDA cores (tensor-core tiles are a later step).
//
// Launch layout shared by all tile kernels: 256 threads seen as a 16 x 16 grid (ty = tid / 16,
// tx = tid % 16). A thread owns R consecutive tile rows (ty * R + i) and the columns tx + 16 * j of a
// score tile or of the head dimension (strided, so a half warp reads 16 consecutive words). The 16
// threads of one ty are one half warp, so row reductions are half-warp shuffles.
//
// Tile lists (int triples) come from the host: (first row of the tile, sequence start, sequence end).
// Shared-memory rows have hd + 1 floats (the pad spreads column walks over the banks). The host
// computes the same sizes (CudaAttention.java) and raises the dynamic shared-memory limit.
#pragma once

#include "common.cuh"

/**
 * Forward. Grid (query tiles, Hq). Shared: Q [BQ][hd+1], one K-or-V tile [BK][hd+1] (K for the
 * scores, then V for P V), P [BQ][BK+1].
 */
template <int BQ, int BK, int HDMAX>
static __device__ __forceinline__ void attnForward(void* out, int obf, void* lse, int lbf, const void* q, int qbf,
                                                   const void* k, int kbf, const void* v, int vbf,
                                                   const int* tiles, int hq, int hkv, int hd, float scale) {
    constexpr int RQ = BQ / 16, CK = BK / 16, DC = HDMAX / 16;
    RIFT_DYNAMIC_SHARED(float, smem);
    const int hs = hd + 1;
    float* Qs = smem;
    float* KV = Qs + BQ * hs;
    float* Ps = KV + BK * hs;

    const int tile = blockIdx.x, h = blockIdx.y;
    const int i0 = tiles[3 * tile], s0 = tiles[3 * tile + 1], s1 = tiles[3 * tile + 2];
    const int rows = min(BQ, s1 - i0);
    const int g = h / (hq / hkv);
    const int tid = threadIdx.x, ty = tid >> 4, tx = tid & 15;

    for (int e = tid; e < BQ * hd; e += RIFT_THREADS) {
        int r = e / hd, d = e - r * hd;
        Qs[r * hs + d] = r < rows ? ld(q, ((i64)(i0 + r) * hq + h) * hd + d, qbf) : 0.0f;
    }

    float m[RQ], l[RQ], o[RQ][DC];
#pragma unroll
    for (int i = 0; i < RQ; i++) {
        m[i] = -INFINITY;
        l[i] = 0.0f;
#pragma unroll
        for (int c = 0; c < DC; c++) o[i][c] = 0.0f;
    }

    const int lastKey = i0 + rows - 1;  // no row of this tile sees a key beyond its own last row
    for (int j0 = s0; j0 <= lastKey; j0 += BK) {
        const int keys = min(BK, lastKey - j0 + 1);
        __syncthreads();  // Q written (first tile); the last tile's P V reads of KV and Ps done
        for (int e = tid; e < BK * hd; e += RIFT_THREADS) {
            int c = e / hd, d = e - c * hd;
            KV[c * hs + d] = c < keys ? ld(k, ((i64)(j0 + c) * hkv + g) * hd + d, kbf) : 0.0f;
        }
        __syncthreads();

        float s[RQ][CK];
#pragma unroll
        for (int i = 0; i < RQ; i++)
#pragma unroll
            for (int j = 0; j < CK; j++) s[i][j] = 0.0f;
        for (int d = 0; d < hd; d++) {
            float qv[RQ], kv[CK];
#pragma unroll
            for (int i = 0; i < RQ; i++) qv[i] = Qs[(ty * RQ + i) * hs + d];
#pragma unroll
            for (int j = 0; j < CK; j++) kv[j] = KV[(tx + 16 * j) * hs + d];
#pragma unroll
            for (int i = 0; i < RQ; i++)
#pragma unroll
                for (int j = 0; j < CK; j++) s[i][j] = fmaf(qv[i], kv[j], s[i][j]);
        }

#pragma unroll
        for (int i = 0; i < RQ; i++) {
            const int r = ty * RQ + i, row = i0 + r;
            float mx = -INFINITY;
#pragma unroll
            for (int j = 0; j < CK; j++) {
                const int c = tx + 16 * j;
                const bool ok = r < rows && c < keys && j0 + c <= row;
                s[i][j] = ok ? __fmul_rn(s[i][j], scale) : -INFINITY;
                mx = fmaxf(mx, s[i][j]);
            }
            mx = halfWarpMax(mx);
            const float mNew = fmaxf(m[i], mx);
            const float mUse = mNew == -INFINITY ? 0.0f : mNew;  // rows that have seen no key yet (padding rows)
            float sum = 0.0f;
#pragma unroll
            for (int j = 0; j < CK; j++) {
                s[i][j] = expf(__fsub_rn(s[i][j], mUse));  // masked: exp(-inf) = 0
                sum += s[i][j];
            }
            sum = halfWarpSum(sum);
            const float corr = expf(__fsub_rn(m[i], mUse));  // 0 on the first tile (m = -inf)
            l[i] = fmaf(l[i], corr, sum);
            m[i] = mNew;
#pragma unroll
            for (int c = 0; c < DC; c++) o[i][c] = __fmul_rn(o[i][c], corr);
#pragma unroll
            for (int j = 0; j < CK; j++) Ps[r * (BK + 1) + tx + 16 * j] = s[i][j];
        }
        __syncthreads();  // score reads of KV done, P complete

        for (int e = tid; e < BK * hd; e += RIFT_THREADS) {
            int c = e / hd, d = e - c * hd;
            KV[c * hs + d] = c < keys ? ld(v, ((i64)(j0 + c) * hkv + g) * hd + d, vbf) : 0.0f;
        }
        __syncthreads();

        for (int kk = 0; kk < keys; kk++) {
            float vv[DC];
#pragma unroll
            for (int c = 0; c < DC; c++) {
                const int d = tx + 16 * c;
                vv[c] = d < hd ? KV[kk * hs + d] : 0.0f;
            }
#pragma unroll
            for (int i = 0; i < RQ; i++) {
                const float p = Ps[(ty * RQ + i) * (BK + 1) + kk];
#pragma unroll
                for (int c = 0; c < DC; c++) o[i][c] = fmaf(p, vv[c], o[i][c]);
            }
        }
    }

#pragma unroll
    for (int i = 0; i < RQ; i++) {
        const int r = ty * RQ + i;
        if (r >= rows) continue;
        const i64 row = i0 + r;
        const float inv = __fdiv_rn(1.0f, l[i]);
#pragma unroll
        for (int c = 0; c < DC; c++) {
            const int d = tx + 16 * c;
            if (d < hd) st(out, (row * hq + h) * hd + d, obf, __fmul_rn(o[i][c], inv));
        }
        if (tx == 0) st(lse, row * hq + h, lbf, __fadd_rn(m[i], logf(l[i])));
    }
}

/**
 * The backward's two score-shaped products over the head dimension, for the thread at (ty, tx): s[i][j] =
 * A1[ty R + i] . B1[tx + 16 j] and dp[i][j] = A2[ty R + i] . B2[tx + 16 j] (rows of stride hs in shared
 * memory), accumulated with one fma per d in order.
 */
template <int R, int C>
static __device__ __forceinline__ void dualProducts(float (&s)[R][C], float (&dp)[R][C], const float* A1, const float* B1,
                                                    const float* A2, const float* B2, int hs, int hd, int ty, int tx) {
#pragma unroll
    for (int i = 0; i < R; i++)
#pragma unroll
        for (int j = 0; j < C; j++) s[i][j] = dp[i][j] = 0.0f;
    for (int d = 0; d < hd; d++) {
        float a1[R], a2[R], b1[C], b2[C];
#pragma unroll
        for (int i = 0; i < R; i++) {
            a1[i] = A1[(ty * R + i) * hs + d];
            a2[i] = A2[(ty * R + i) * hs + d];
        }
#pragma unroll
        for (int j = 0; j < C; j++) {
            b1[j] = B1[(tx + 16 * j) * hs + d];
            b2[j] = B2[(tx + 16 * j) * hs + d];
        }
#pragma unroll
        for (int i = 0; i < R; i++)
#pragma unroll
            for (int j = 0; j < C; j++) {
                s[i][j] = fmaf(a1[i], b1[j], s[i][j]);
                dp[i][j] = fmaf(a2[i], b2[j], dp[i][j]);
            }
    }
}

/** D[row, h] = sum_d dOut * out (double), one warp per (row, head) for rows [n0, n1). */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_attn_rowdot(float* D, const void* dOut, int gbf, const void* out, int obf, int n0, int n1, int hq, int hd) {
    i64 item = (i64)n0 * hq + (i64)blockIdx.x * RIFT_WARPS + (threadIdx.x >> 5);
    int lane = threadIdx.x & 31;
    if (item >= (i64)n1 * hq) return;
    double s = 0.0;
    for (int d = lane; d < hd; d += 32) s = fma((double)ld(dOut, item * hd + d, gbf), (double)ld(out, item * hd + d, obf), s);
    s = warpSum(s);
    if (lane == 0) D[item] = (float)s;
}

/**
 * Backward, dQ pass (FA2): grid (query tiles, Hq). For each key tile up to the diagonal it recomputes
 * P = exp(scale * q.k - lse), dP = dO V^T, dS = scale * P * (dP - D), and adds dS K to the tile's dQ
 * in registers; dq += at the end. Shared: Q, dO [BQ][hd+1]; K, V [BK][hd+1]; dS [BQ][BK+1].
 */
template <int BQ, int BK, int HDMAX>
static __device__ __forceinline__ void attnBackwardDq(void* dq, int dqbf, const void* dOut, int gbf, const float* D,
                                                      const void* lse, int lbf, const void* q, int qbf,
                                                      const void* k, int kbf, const void* v, int vbf,
                                                      const int* tiles, int hq, int hkv, int hd, float scale) {
    constexpr int RQ = BQ / 16, CK = BK / 16, DC = HDMAX / 16;
    RIFT_DYNAMIC_SHARED(float, smem);
    const int hs = hd + 1;
    float* Qs = smem;
    float* dOs = Qs + BQ * hs;
    float* Ks = dOs + BQ * hs;
    float* Vs = Ks + BK * hs;
    float* dSs = Vs + BK * hs;

    const int tile = blockIdx.x, h = blockIdx.y;
    const int i0 = tiles[3 * tile], s0 = tiles[3 * tile + 1], s1 = tiles[3 * tile + 2];
    const int rows = min(BQ, s1 - i0);
    const int g = h / (hq / hkv);
    const int tid = threadIdx.x, ty = tid >> 4, tx = tid & 15;

    for (int e = tid; e < BQ * hd; e += RIFT_THREADS) {
        int r = e / hd, d = e - r * hd;
        i64 src = ((i64)(i0 + r) * hq + h) * hd + d;
        Qs[r * hs + d] = r < rows ? ld(q, src, qbf) : 0.0f;
        dOs[r * hs + d] = r < rows ? ld(dOut, src, gbf) : 0.0f;
    }
    float rowLse[RQ], rowD[RQ], a[RQ][DC];
#pragma unroll
    for (int i = 0; i < RQ; i++) {
        const int r = ty * RQ + i;
        const i64 item = (i64)(i0 + r) * hq + h;
        rowLse[i] = r < rows ? ld(lse, item, lbf) : 0.0f;
        rowD[i] = r < rows ? D[item] : 0.0f;
#pragma unroll
        for (int c = 0; c < DC; c++) a[i][c] = 0.0f;
    }

    const int lastKey = i0 + rows - 1;
    for (int j0 = s0; j0 <= lastKey; j0 += BK) {
        const int keys = min(BK, lastKey - j0 + 1);
        __syncthreads();  // Q, dO written; the last tile's dS K reads done
        for (int e = tid; e < BK * hd; e += RIFT_THREADS) {
            int c = e / hd, d = e - c * hd;
            i64 src = ((i64)(j0 + c) * hkv + g) * hd + d;
            Ks[c * hs + d] = c < keys ? ld(k, src, kbf) : 0.0f;
            Vs[c * hs + d] = c < keys ? ld(v, src, vbf) : 0.0f;
        }
        __syncthreads();

        float s[RQ][CK], dp[RQ][CK];
        dualProducts(s, dp, Qs, Ks, dOs, Vs, hs, hd, ty, tx);  // S = Q K^T, dP = dO V^T
#pragma unroll
        for (int i = 0; i < RQ; i++) {
            const int r = ty * RQ + i, row = i0 + r;
#pragma unroll
            for (int j = 0; j < CK; j++) {
                const int c = tx + 16 * j;
                const bool ok = r < rows && c < keys && j0 + c <= row;
                const float p = ok ? expf(__fsub_rn(__fmul_rn(s[i][j], scale), rowLse[i])) : 0.0f;
                dSs[r * (BK + 1) + c] = __fmul_rn(__fmul_rn(p, __fsub_rn(dp[i][j], rowD[i])), scale);
            }
        }
        __syncthreads();

        for (int kk = 0; kk < keys; kk++) {
            float kv[DC];
#pragma unroll
            for (int c = 0; c < DC; c++) {
                const int d = tx + 16 * c;
                kv[c] = d < hd ? Ks[kk * hs + d] : 0.0f;
            }
#pragma unroll
            for (int i = 0; i < RQ; i++) {
                const float ds = dSs[(ty * RQ + i) * (BK + 1) + kk];
#pragma unroll
                for (int c = 0; c < DC; c++) a[i][c] = fmaf(ds, kv[c], a[i][c]);
            }
        }
    }

#pragma unroll
    for (int i = 0; i < RQ; i++) {
        const int r = ty * RQ + i;
        if (r >= rows) continue;
        const i64 base = ((i64)(i0 + r) * hq + h) * hd;
#pragma unroll
        for (int c = 0; c < DC; c++) {
            const int d = tx + 16 * c;
            if (d < hd) acc(dq, base + d, dqbf, a[i][c]);
        }
    }
}

/**
 * Backward, dK/dV pass (FA2, no atomics): grid (key tiles, Hkv). The block owns the dK, dV rows of
 * its key tile (registers) and loops over the query heads of its kv head, then over the query tiles
 * from the key tile's first row to the end of the sequence (earlier queries never see these keys).
 * dV += P^T dO, dK += dS^T Q. Shared: K, V [BK][hd+1]; Q, dO [BQ][hd+1]; P^T, dS^T [BK][BQ+1];
 * lse, D [BQ].
 */
template <int BQ, int BK, int HDMAX>
static __device__ __forceinline__ void attnBackwardDkDv(void* dk, int dkbf, void* dv, int dvbf, const void* dOut, int gbf,
                                                        const float* D, const void* lse, int lbf, const void* q, int qbf,
                                                        const void* k, int kbf, const void* v, int vbf,
                                                        const int* tiles, int hq, int hkv, int hd, float scale) {
    constexpr int RK = BK / 16, CQ = BQ / 16, DC = HDMAX / 16;
    RIFT_DYNAMIC_SHARED(float, smem);
    const int hs = hd + 1;
    float* Ks = smem;
    float* Vs = Ks + BK * hs;
    float* Qs = Vs + BK * hs;
    float* dOs = Qs + BQ * hs;
    float* Pt = dOs + BQ * hs;
    float* dSt = Pt + BK * (BQ + 1);
    float* lseS = dSt + BK * (BQ + 1);
    float* DS = lseS + BQ;

    const int tile = blockIdx.x, g = blockIdx.y;
    const int j0 = tiles[3 * tile], s1 = tiles[3 * tile + 2];
    const int keys = min(BK, s1 - j0);
    const int group = hq / hkv;
    const int tid = threadIdx.x, ty = tid >> 4, tx = tid & 15;

    for (int e = tid; e < BK * hd; e += RIFT_THREADS) {
        int c = e / hd, d = e - c * hd;
        i64 src = ((i64)(j0 + c) * hkv + g) * hd + d;
        Ks[c * hs + d] = c < keys ? ld(k, src, kbf) : 0.0f;
        Vs[c * hs + d] = c < keys ? ld(v, src, vbf) : 0.0f;
    }
    float ak[RK][DC], av[RK][DC];
#pragma unroll
    for (int i = 0; i < RK; i++)
#pragma unroll
        for (int c = 0; c < DC; c++) ak[i][c] = av[i][c] = 0.0f;

    for (int h = g * group; h < (g + 1) * group; h++) {
        for (int i0 = j0; i0 < s1; i0 += BQ) {
            const int rows = min(BQ, s1 - i0);
            __syncthreads();  // K, V written (first pass); the last pass's reads of Q, dO, P^T, dS^T done
            for (int e = tid; e < BQ * hd; e += RIFT_THREADS) {
                int r = e / hd, d = e - r * hd;
                i64 src = ((i64)(i0 + r) * hq + h) * hd + d;
                Qs[r * hs + d] = r < rows ? ld(q, src, qbf) : 0.0f;
                dOs[r * hs + d] = r < rows ? ld(dOut, src, gbf) : 0.0f;
            }
            for (int r = tid; r < BQ; r += RIFT_THREADS) {
                const i64 item = (i64)(i0 + r) * hq + h;
                lseS[r] = r < rows ? ld(lse, item, lbf) : 0.0f;
                DS[r] = r < rows ? D[item] : 0.0f;
            }
            __syncthreads();

            float s[RK][CQ], dp[RK][CQ];
            dualProducts(s, dp, Ks, Qs, Vs, dOs, hs, hd, ty, tx);  // S^T = K Q^T, dP^T = V dO^T
#pragma unroll
            for (int i = 0; i < RK; i++) {
                const int c = ty * RK + i;
#pragma unroll
                for (int j = 0; j < CQ; j++) {
                    const int r = tx + 16 * j;
                    const bool ok = r < rows && c < keys && j0 + c <= i0 + r;
                    const float p = ok ? expf(__fsub_rn(__fmul_rn(s[i][j], scale), lseS[r])) : 0.0f;
                    Pt[c * (BQ + 1) + r] = p;
                    dSt[c * (BQ + 1) + r] = __fmul_rn(__fmul_rn(p, __fsub_rn(dp[i][j], DS[r])), scale);
                }
            }
            __syncthreads();

            for (int r = 0; r < rows; r++) {
                float gv[DC], qv[DC];
#pragma unroll
                for (int c = 0; c < DC; c++) {
                    const int d = tx + 16 * c;
                    gv[c] = d < hd ? dOs[r * hs + d] : 0.0f;
                    qv[c] = d < hd ? Qs[r * hs + d] : 0.0f;
                }
#pragma unroll
                for (int i = 0; i < RK; i++) {
                    const float p = Pt[(ty * RK + i) * (BQ + 1) + r];
                    const float ds = dSt[(ty * RK + i) * (BQ + 1) + r];
#pragma unroll
                    for (int c = 0; c < DC; c++) {
                        av[i][c] = fmaf(p, gv[c], av[i][c]);
                        ak[i][c] = fmaf(ds, qv[c], ak[i][c]);
                    }
                }
            }
        }
    }

#pragma unroll
    for (int i = 0; i < RK; i++) {
        const int c = ty * RK + i;
        if (c >= keys) continue;
        const i64 base = ((i64)(j0 + c) * hkv + g) * hd;
#pragma unroll
        for (int cc = 0; cc < DC; cc++) {
            const int d = tx + 16 * cc;
            if (d >= hd) continue;
            if (dk) acc(dk, base + d, dkbf, ak[i][cc]);
            if (dv) acc(dv, base + d, dvbf, av[i][cc]);
        }
    }
}

// Instantiations: (BQ, BK) per head-dimension class, chosen so shared memory stays under the 163 KB
// an A100 block may opt into (sizes in CudaAttention.java). hd must be <= the class's HDMAX.
#define RIFT_ATTN_FWD(NAME, BQ, BK, HDMAX)                                                                      \
    extern "C" __global__ void __launch_bounds__(RIFT_THREADS)                                                 \
    NAME(void* out, int obf, void* lse, int lbf, const void* q, int qbf, const void* k, int kbf, const void* v, \
         int vbf, const int* tiles, int hq, int hkv, int hd, float scale) {                                    \
        attnForward<BQ, BK, HDMAX>(out, obf, lse, lbf, q, qbf, k, kbf, v, vbf, tiles, hq, hkv, hd, scale);      \
    }
RIFT_ATTN_FWD(rift_attn_fwd_hd64, 64, 64, 64)
RIFT_ATTN_FWD(rift_attn_fwd_hd128, 64, 64, 128)
RIFT_ATTN_FWD(rift_attn_fwd_hd256, 64, 64, 256)

#define RIFT_ATTN_DQ(NAME, BQ, BK, HDMAX)                                                                       \
    extern "C" __global__ void __launch_bounds__(RIFT_THREADS)                                                 \
    NAME(void* dq, int dqbf, const void* dOut, int gbf, const float* D, const void* lse, int lbf, const void* q, \
         int qbf, const void* k, int kbf, const void* v, int vbf, const int* tiles, int hq, int hkv, int hd,   \
         float scale) {                                                                                        \
        attnBackwardDq<BQ, BK, HDMAX>(dq, dqbf, dOut, gbf, D, lse, lbf, q, qbf, k, kbf, v, vbf, tiles, hq, hkv, \
                                      hd, scale);                                                              \
    }
RIFT_ATTN_DQ(rift_attn_dq_hd64, 64, 64, 64)
RIFT_ATTN_DQ(rift_attn_dq_hd128, 64, 64, 128)
RIFT_ATTN_DQ(rift_attn_dq_hd256, 32, 32, 256)

#define RIFT_ATTN_DKDV(NAME, BQ, BK, HDMAX)                                                                     \
    extern "C" __global__ void __launch_bounds__(RIFT_THREADS)                                                 \
    NAME(void* dk, int dkbf, void* dv, int dvbf, const void* dOut, int gbf, const float* D, const void* lse,    \
         int lbf, const void* q, int qbf, const void* k, int kbf, const void* v, int vbf, const int* tiles,     \
         int hq, int hkv, int hd, float scale) {                                                               \
        attnBackwardDkDv<BQ, BK, HDMAX>(dk, dkbf, dv, dvbf, dOut, gbf, D, lse, lbf, q, qbf, k, kbf, v, vbf,     \
                                        tiles, hq, hkv, hd, scale);                                            \
    }
RIFT_ATTN_DKDV(rift_attn_dkdv_hd64, 32, 64, 64)
RIFT_ATTN_DKDV(rift_attn_dkdv_hd128, 32, 64, 128)
RIFT_ATTN_DKDV(rift_attn_dkdv_hd256, 32, 32, 256)

/**
 * One decode step: q, out [B, Hq, hd]; caches [B, maxT, Hkv, hd]; slot b attends to its first
 * lengths[b] cache rows (0: skipped); hd <= 256. Grid (B, Hkv * ceil(G / 8)) with G = Hq / Hkv: a block
 * serves up to 8 query heads of one kv head, so each K and V row is read once for all of them (GQA's
 * saving; decode is bound by reading the cache). Keys go in chunks of 256: a warp per key computes the
 * scores of every head, an online softmax per head over the chunk, then thread d accumulates
 * sum_j p_j V[j][d] for every head. Per head the arithmetic is the same as with one head per block.
 */
#define RIFT_DECODE_HEADS 8
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_attn_decode(void* out, int obf, const void* q, int qbf, const void* kc, int kbf, const void* vc, int vbf,
                 const int* lengths, int maxT, int hq, int hkv, int hd, float scale) {
    constexpr int GH = RIFT_DECODE_HEADS;
    __shared__ float qs[GH][256];
    __shared__ float sc[GH][RIFT_THREADS];
    __shared__ float red[RIFT_WARPS];
    const int b = blockIdx.x;
    const int len = lengths[b];
    if (len <= 0) return;  // uniform over the block, before any barrier
    const int G = hq / hkv, parts = (G + GH - 1) / GH;
    const int g = blockIdx.y / parts, h0 = g * G + (blockIdx.y % parts) * GH;  // this block's first query head
    const int nh = min(GH, g * G + G - h0);
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    for (int e = tid; e < nh * hd; e += RIFT_THREADS) {
        const int i = e / hd, d = e - i * hd;
        qs[i][d] = ld(q, ((i64)b * hq + h0 + i) * hd + d, qbf);
    }
    __syncthreads();

    float m[GH], l[GH], a[GH];
#pragma unroll
    for (int i = 0; i < GH; i++) {
        m[i] = -INFINITY;
        l[i] = 0.0f;
        a[i] = 0.0f;
    }
    for (int t0 = 0; t0 < len; t0 += RIFT_THREADS) {
        const int n = min(RIFT_THREADS, len - t0);
        for (int j = warp; j < n; j += RIFT_WARPS) {
            const i64 ko = (((i64)b * maxT + t0 + j) * hkv + g) * hd;
            float s[GH];
#pragma unroll
            for (int i = 0; i < GH; i++) s[i] = 0.0f;
            for (int d = lane; d < hd; d += 32) {
                const float kv = ld(kc, ko + d, kbf);
#pragma unroll
                for (int i = 0; i < GH; i++)
                    if (i < nh) s[i] = fmaf(qs[i][d], kv, s[i]);
            }
#pragma unroll
            for (int i = 0; i < GH; i++) {
                if (i >= nh) break;  // uniform over the warp
                const float si = warpSum(s[i]);
                if (lane == 0) sc[i][j] = __fmul_rn(si, scale);
            }
        }
        __syncthreads();
        float corr[GH];
#pragma unroll
        for (int i = 0; i < GH; i++) {
            if (i >= nh) break;  // uniform over the block
            const float x = tid < n ? sc[i][tid] : -INFINITY;
            const float mNew = fmaxf(m[i], blockMax(x, red));  // finite: the chunk has a key
            const float p = tid < n ? expf(__fsub_rn(x, mNew)) : 0.0f;
            const float sum = blockSum(p, red);
            corr[i] = expf(__fsub_rn(m[i], mNew));  // 0 on the first chunk
            l[i] = fmaf(l[i], corr[i], sum);
            m[i] = mNew;
            if (tid < n) sc[i][tid] = p;  // each thread rewrites only the entry it read
        }
        __syncthreads();
        if (tid < hd) {
#pragma unroll
            for (int i = 0; i < GH; i++)
                if (i < nh) a[i] = __fmul_rn(a[i], corr[i]);
            for (int j = 0; j < n; j++) {
                const float v = ld(vc, (((i64)b * maxT + t0 + j) * hkv + g) * hd + tid, vbf);
#pragma unroll
                for (int i = 0; i < GH; i++)
                    if (i < nh) a[i] = fmaf(sc[i][j], v, a[i]);
            }
        }
        __syncthreads();  // P V reads of sc done before the next chunk's scores
    }
    if (tid < hd) {
#pragma unroll
        for (int i = 0; i < GH; i++)
            if (i < nh) st(out, ((i64)b * hq + h0 + i) * hd + tid, obf, __fmul_rn(a[i], __fdiv_rn(1.0f, l[i])));
    }
}
