// The fused final-norm + LM head + log-softmax (rift.kernels.cpu.LmHead), device side. The host
// normalises h into xn, then for each (row tile, vocabulary chunk) has cuBLAS write the fp32 logits
// block xn_tile W_chunk^T and calls rift_lm_fold, which folds every row of the block into that row's
// running max m, S = sum exp(l - m) and T = sum exp(l - m) (l - m) (S, T in double, rescaled when m
// grows). rift_lm_finish turns them into lse, entropy, log p(target) and the target's rank. The
// backward recomputes each block and rift_lm_dlogits turns it into d loss / d logits in place (or
// into a bf16 copy for bf16 GEMMs).
#pragma once

#include "common.cuh"
#include "vector_io.cuh"

/** tdot[n] = xn[n] . W[targets[n]] (0 without a target): the rank threshold. One warp per row. */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_lm_target_dot(float* tdot, const void* xn, int xbf, const void* w, int wbf, const int* targets, int N, int D) {
    int n = blockIdx.x * RIFT_WARPS + (threadIdx.x >> 5), lane = threadIdx.x & 31;
    if (n >= N) return;
    int t = targets[n];
    float s = 0.0f;
    if (t >= 0) {
        for (int d = lane; d < D; d += 32) s = fmaf(ld(xn, (i64)n * D + d, xbf), ld(w, (i64)t * D + d, wbf), s);
    }
    s = warpSum(s);
    if (lane == 0) tdot[n] = s;
}

extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_lm_init(float* rowMax, double* S, double* T, float* tlogit, int* above, int N) {
    RIFT_FOR(n, N) {
        rowMax[n] = -INFINITY;
        S[n] = 0.0;
        T[n] = 0.0;
        tlogit[n] = 0.0f;
        above[n] = 0;
    }
}

/**
 * Folds the logits block [rows, cw] (vocabulary [c0, c0 + cw), rows r0 ..) into the running
 * statistics; one block per row. The rank counts logits above the target's dot-product logit, never
 * the target itself (ties in its favour), as the CPU does.
 *
 * One pass over the row (this is the memory-bound half of the log-prob path): each thread keeps its own
 * running max m, s = sum exp(l - m) and t = sum exp(l - m) (l - m), rescaled when m grows
 * (t <- r (t + s z), s <- r s with z = m_old - m_new, r = exp(z); every term of t has the same sign, so
 * nothing cancels), reading 16 bytes at a time when the rows are 16-byte aligned. The threads' sums are
 * rescaled to the block's max and added in double in a fixed tree, then merged into the row's running
 * statistics the same way.
 */
struct FoldState {
    float m = -INFINITY, s = 0.0f, t = 0.0f;
    int count = 0;

    __device__ __forceinline__ void add(float v) {
        if (!(v > -INFINITY)) return;  // exp(-inf - m) = 0 contributes nothing
        if (v > m) {
            if (s > 0.0f) {
                const float z = __fsub_rn(m, v), r = expf(z);
                t = __fmul_rn(r, fmaf(s, z, t));
                s = __fmul_rn(s, r);
            }
            m = v;
        }
        const float z = __fsub_rn(v, m), e = expf(z);
        s = __fadd_rn(s, e);
        t = fmaf(e, z, t);
    }
};

extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_lm_fold(const float* block, int cw, int r0, int c0, const int* targets, const float* tdot,
             float* rowMax, double* S, double* T, float* tlogit, int* above) {
    __shared__ float redf[RIFT_WARPS];
    __shared__ double redd[RIFT_WARPS];
    __shared__ int redi[RIFT_WARPS];
    const int i = blockIdx.x, n = r0 + i, tid = threadIdx.x;
    const float* row = block + (i64)i * cw;
    const int target = targets[n], tj = target - c0;  // the target's column in this block, if it is there
    const float tl = tdot[n];
    FoldState f;
    if ((cw & 3) == 0 && (reinterpret_cast<uintptr_t>(block) & 15) == 0) {  // every row starts 16-byte aligned
        const float4* row4 = reinterpret_cast<const float4*>(row);
        const int nq = cw / 4;
        auto fold4 = [&](const float4 x, int q) {
            const float v[4] = {x.x, x.y, x.z, x.w};
#pragma unroll
            for (int e = 0; e < 4; e++) {
                f.add(v[e]);
                if (target >= 0) {
                    if (4 * q + e == tj) tlogit[n] = v[e];
                    else if (v[e] > tl) f.count++;
                }
            }
        };
        // FOLD_LOADS loads in flight per thread before any is folded: a single outstanding 16-byte load per
        // thread left the fold latency-bound (38 % of a device copy on an H200). Same order of adds as one at a time.
        constexpr int FOLD_LOADS = 4;
        int q = tid;
        for (; q + (FOLD_LOADS - 1) * RIFT_THREADS < nq; q += FOLD_LOADS * RIFT_THREADS) {
            float4 x[FOLD_LOADS];
#pragma unroll
            for (int u = 0; u < FOLD_LOADS; u++) x[u] = row4[q + u * RIFT_THREADS];
#pragma unroll
            for (int u = 0; u < FOLD_LOADS; u++) fold4(x[u], q + u * RIFT_THREADS);
        }
        for (; q < nq; q += RIFT_THREADS) fold4(row4[q], q);
    } else {
        for (int j = tid; j < cw; j += RIFT_THREADS) {
            const float v = row[j];
            f.add(v);
            if (target >= 0) {
                if (j == tj) tlogit[n] = v;
                else if (v > tl) f.count++;
            }
        }
    }
    const float bm = blockMax(f.m, redf);  // the block's max (finite: logits are)
    float s = 0.0f, t = 0.0f;
    if (f.s > 0.0f) {
        const float z = __fsub_rn(f.m, bm), r = expf(z);
        t = __fmul_rn(r, fmaf(f.s, z, f.t));
        s = __fmul_rn(f.s, r);
    }
    const int count = blockSum(f.count, redi);
    const double dse = blockSum((double)s, redd);
    const double dte = blockSum((double)t, redd);
    if (tid == 0) {
        const float oldMax = rowMax[n];
        const float m = fmaxf(oldMax, bm);
        double ps = S[n], pt = T[n];
        if (ps > 0) {  // the earlier chunks' sums, from oldMax to m
            const double shift = (double)oldMax - m, r = exp(shift);
            pt = r * (pt + ps * shift);
            ps = r * ps;
        }
        double bs = dse, bt = dte;
        if (bs > 0 && bm < m) {  // this chunk's sums, from its max to m
            const double shift = (double)bm - m, r = exp(shift);
            bt = r * (bt + bs * shift);
            bs = r * bs;
        }
        S[n] = ps + bs;
        T[n] = pt + bt;
        rowMax[n] = m;
        above[n] += count;
    }
}

/** lse = m + log S, entropy = log S - T / S, logp = target logit - lse (0 without a target), rank = 1 + above. */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_lm_finish(float* lse, float* ent, float* logp, int* rank, const int* targets, const float* rowMax,
               const double* S, const double* T, const float* tlogit, const int* above, int N) {
    RIFT_FOR(n, N) {
        double logS = log(S[n]);
        float l = (float)(rowMax[n] + logS);
        int t = targets[n];
        lse[n] = l;
        ent[n] = (float)(logS - T[n] / S[n]);
        logp[n] = t >= 0 ? __fsub_rn(tlogit[n], l) : 0.0f;
        rank[n] = t >= 0 ? 1 + above[n] : 0;
    }
}

/**
 * d loss / d logits for the block [rows, cw]: dl_j = dlp (onehot_j - p_j) - dent p_j (log p_j + H)
 * with p_j = exp(l_j - lse); written to out (the block itself, or a bf16 copy). dEnt may be null.
 * One block per row (grid = rows): the row's scalars are read once and no thread divides by cw.
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_lm_dlogits(void* out, int obf, const float* block, int rows, int cw, int r0, int c0, const int* targets,
                const float* dLogp, const float* dEnt, const float* lse, const float* ent) {
    const int i = blockIdx.x, n = r0 + i;
    if (i >= rows) return;
    const int t = targets[n], tj = t - c0;
    const float dlp = t >= 0 ? dLogp[n] : 0.0f;
    const float dent = dEnt ? dEnt[n] : 0.0f;
    const float rowLse = lse[n], rowEnt = ent[n];
    const bool active = dlp != 0.0f || dent != 0.0f;
    const i64 base = (i64)i * cw;
    auto grad = [&](float logit, int j) {
        float g = 0.0f;
        if (active) {
            float logP = __fsub_rn(logit, rowLse);
            float p = expf(logP);
            float coef = fmaf(__fadd_rn(logP, rowEnt), dent, dlp);
            g = __fmul_rn(-p, coef);
            if (j == tj) g = __fadd_rn(g, dlp);
        }
        return g;
    };
    // 8 logits per access when every row starts 16-byte aligned (cw a multiple of 8), as vector_io.cuh explains
    const int wide = (cw & 7) == 0 && aligned16(block) && aligned16(out) ? cw : 0;
    for (int j = 8 * threadIdx.x; j < wide; j += 8 * RIFT_THREADS) {
        float v[8];
        ld8(v, block, base + j, 0);
#pragma unroll
        for (int k = 0; k < 8; k++) v[k] = grad(v[k], j + k);
        st8(out, base + j, obf, v);
    }
    for (int j = wide + threadIdx.x; j < cw; j += RIFT_THREADS) st(out, base + j, obf, grad(block[base + j], j));
}
