// The fused final-norm + LM head + log-softmax (rift.kernels.cpu.LmHead), device side. The host
// normalises h into xn, then for each (row tile, vocabulary chunk) has cuBLAS write the fp32 logits
// block xn_tile W_chunk^T and calls rift_lm_fold, which folds every row of the block into that row's
// running max m, S = sum exp(l - m) and T = sum exp(l - m) (l - m) (S, T in double, rescaled when m
// grows). rift_lm_finish turns them into lse, entropy, log p(target) and the target's rank. The
// backward recomputes each block and rift_lm_dlogits turns it into d loss / d logits in place (or
// into a bf16 copy for bf16 GEMMs).
#pragma once

#include "common.cuh"

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
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_lm_fold(const float* block, int cw, int r0, int c0, const int* targets, const float* tdot,
             float* rowMax, double* S, double* T, float* tlogit, int* above) {
    __shared__ float redf[RIFT_WARPS];
    __shared__ double redd[RIFT_WARPS];
    __shared__ int redi[RIFT_WARPS];
    const int i = blockIdx.x, n = r0 + i, tid = threadIdx.x;
    const float* row = block + (i64)i * cw;
    const int target = targets[n];
    const float tl = tdot[n];
    float mx = -INFINITY;
    int count = 0;
    for (int j = tid; j < cw; j += RIFT_THREADS) {
        float v = row[j];
        mx = fmaxf(mx, v);
        if (target >= 0) {
            if (c0 + j == target) {
                tlogit[n] = v;
            } else if (v > tl) {
                count++;
            }
        }
    }
    mx = blockMax(mx, redf);
    count = blockSum(count, redi);
    const float oldMax = rowMax[n];  // read by all before thread 0 writes it (barriers in blockSum below)
    const float m = fmaxf(oldMax, mx);
    float se = 0.0f, te = 0.0f;
    for (int j = tid; j < cw; j += RIFT_THREADS) {
        float z = __fsub_rn(row[j], m);
        float e = expf(z);
        se += e;
        te = fmaf(e, z, te);
    }
    double dse = blockSum((double)se, redd);
    double dte = blockSum((double)te, redd);
    if (tid == 0) {
        double s = S[n], t = T[n];
        if (s > 0) {
            double shift = (double)oldMax - m;
            double r = exp(shift);
            t = r * (t + s * shift);
            s = r * s;
        }
        S[n] = s + dse;
        T[n] = t + dte;
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
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_lm_dlogits(void* out, int obf, const float* block, int rows, int cw, int r0, int c0, const int* targets,
                const float* dLogp, const float* dEnt, const float* lse, const float* ent) {
    RIFT_FOR(e, (i64)rows * cw) {
        const int i = (int)(e / cw), j = (int)(e - (i64)i * cw), n = r0 + i;
        const int t = targets[n];
        const float dlp = t >= 0 ? dLogp[n] : 0.0f;
        const float dent = dEnt ? dEnt[n] : 0.0f;
        float g = 0.0f;
        if (dlp != 0.0f || dent != 0.0f) {
            float logP = __fsub_rn(block[e], lse[n]);
            float p = expf(logP);
            float coef = fmaf(__fadd_rn(logP, ent[n]), dent, dlp);
            g = __fmul_rn(-p, coef);
            if (c0 + j == t) g = __fadd_rn(g, dlp);
        }
        st(out, e, obf, g);
    }
}
