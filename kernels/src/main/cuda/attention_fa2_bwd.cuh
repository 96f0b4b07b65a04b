// Opt-in schedules of the tensor-core attention backward (-Drift.cuda.attention=fa2 or fa2bwd), in the
// style of attnForwardFa2: operand tiles arrive by cp.async into double-buffered shared tiles, so the
// next tile's loads fly while the current one is multiplied, and the dQ pass gives each warp two 16-row
// slabs so every K and V fragment read from shared memory feeds two mma's.
//
// Both are bit-identical to attention_tc.cuh's attnBackwardDqTc and attnBackwardDkDvTc: each dQ, dK and
// dV element sees the same mma's (same operands, same order) and P, dS are computed by the same
// expressions. They reuse attention_tc.cuh's fragment helpers, copyTileAsync and the cp.async wrappers.
#pragma once

#include "attention_tc.cuh"

#ifdef RIFT_CUDA_EMU
static __device__ __forceinline__ void cpAsync4(float* dst, const float* src) { memcpy(dst, src, 4); }
#else
/** 4 bytes global -> shared (cp.async.ca: the .cg form takes only 16); completes with cpAsyncCommit / cpAsyncWaitAll. */
static __device__ __forceinline__ void cpAsync4(float* dst, const float* src) {
    const unsigned a = static_cast<unsigned>(__cvta_generic_to_shared(dst));
    asm volatile("cp.async.ca.shared.global [%0], [%1], 4;\n" ::"r"(a), "l"(src) : "memory");
}
#endif

/**
 * Issues the copy of a query pass's lse and D rows (row r of query head h at item (i0 + r) Hq + h: strided,
 * so one 4-byte copy per row, by threads 0..BQ-1) into shared rows [0, BQ), zeros past `rows`. lse stays in
 * natural-log units (its readers scale it by log2 e); a bf16 lse is converted by a plain load instead.
 */
template <int BQ>
static __device__ __forceinline__ void copyRowStatsAsync(float* lseS, float* DS, const void* lse, int lbf, const float* D, int i0,
                                                         int h, int hq, int rows) {
    static_assert(BQ <= RIFT_THREADS, "one thread per row");
    const int r = threadIdx.x;
    if (r >= BQ) return;
    if (r < rows) {
        const i64 item = (i64)(i0 + r) * hq + h;
        if (lbf) lseS[r] = ld(lse, item, lbf);
        else cpAsync4(lseS + r, static_cast<const float*>(lse) + item);
        cpAsync4(DS + r, D + item);
    } else {
        lseS[r] = 0.0f;
        DS[r] = 0.0f;
    }
}

/**
 * dK/dV pass, attnBackwardDkDvTc's ownership and arithmetic (grid (key tiles of 128 keys, Hkv), warp w
 * owns keys 16w..16w+15, query passes of 64 rows in chunks of 32) with the passes pipelined: the query
 * heads of the kv head and their query tiles form one list of passes, and pass p + 1's Q and dO tiles
 * copy asynchronously into the other buffer while pass p is computed, across the change of query head
 * too, with its lse and D rows (copyRowStatsAsync). Shared: K, V [128][S], Q, dO [2][64][S] bf16, lse,
 * D [2][64] fp32 (140288 bytes at hd 128, 74752 at hd 64).
 */
template <int HD>
static __device__ __forceinline__ void attnBackwardDkDvFa2(void* dk, int dkbf, void* dv, int dvbf, const uint16_t* dOut,
                                                           const float* D, const void* lse, int lbf, const uint16_t* q,
                                                           const uint16_t* k, const uint16_t* v, const int* tiles, int hq,
                                                           int hkv, float scale) {
    constexpr int BK = 128, BQ = 64, QC = 32, S = HD + 8, NQ = QC / 8, DT = HD / 8, KD = HD / 16;
    RIFT_DYNAMIC_SHARED(float, smem);
    uint16_t* Ks = reinterpret_cast<uint16_t*>(smem);
    uint16_t* Vs = Ks + BK * S;
    uint16_t* Qs = Vs + BK * S;                                   // buffer b at Qs + b * BQ * S
    uint16_t* dOs = Qs + 2 * BQ * S;                              // buffer b at dOs + b * BQ * S
    float* lseS = reinterpret_cast<float*>(dOs + 2 * BQ * S);    // buffer b at lseS + b * BQ
    float* DS = lseS + 2 * BQ;                                    // buffer b at DS + b * BQ

    const int tile = blockIdx.x, g = blockIdx.y;
    const int j0 = tiles[3 * tile], s1 = tiles[3 * tile + 2];
    const int keys = min(BK, s1 - j0);
    const int group = hq / hkv;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, gr = lane >> 2, tq = lane & 3;
    const float sl2 = scale * RIFT_LOG2E;
    const i64 qStride = (i64)hq * HD;

    // pass 0 (query head g * group, queries from j0) and the key tile in one copy group
    copyTileAsync<HD, BK>(Ks, k + ((i64)j0 * hkv + g) * HD, (i64)hkv * HD, keys);
    copyTileAsync<HD, BK>(Vs, v + ((i64)j0 * hkv + g) * HD, (i64)hkv * HD, keys);
    copyTileAsync<HD, BQ>(Qs, q + ((i64)j0 * hq + g * group) * HD, qStride, min(BQ, s1 - j0));
    copyTileAsync<HD, BQ>(dOs, dOut + ((i64)j0 * hq + g * group) * HD, qStride, min(BQ, s1 - j0));
    copyRowStatsAsync<BQ>(lseS, DS, lse, lbf, D, j0, g * group, hq, min(BQ, s1 - j0));
    cpAsyncCommit();

    float ak[DT][4], av[DT][4];
#pragma unroll
    for (int d = 0; d < DT; d++) ak[d][0] = ak[d][1] = ak[d][2] = ak[d][3] = av[d][0] = av[d][1] = av[d][2] = av[d][3] = 0.0f;
    const bool warpHasKeys = warp * 16 < keys;
    const int wKey0 = j0 + warp * 16;  // the warp's first key: queries before it see none of its keys

    // passes in attnBackwardDkDvTc's order: query heads of the group, then query tiles from j0 to the sequence end
    for (int h = g * group, i0 = j0, buf = 0; h < (g + 1) * group; buf ^= 1) {
        const int rows = min(BQ, s1 - i0);
        int hNext = h, iNext = i0 + BQ;
        if (iNext >= s1) {
            iNext = j0;
            hNext++;
        }
        const bool more = hNext < (g + 1) * group;
        cpAsyncWaitAll();  // this thread's copies of this pass (and of K, V) have landed
        __syncthreads();   // everyone's have, lse and D are stored; and every warp is done with the last pass's buffers
        if (more) {  // the next pass flies while this one is computed
            const int rowsNext = min(BQ, s1 - iNext);
            copyTileAsync<HD, BQ>(Qs + (buf ^ 1) * BQ * S, q + ((i64)iNext * hq + hNext) * HD, qStride, rowsNext);
            copyTileAsync<HD, BQ>(dOs + (buf ^ 1) * BQ * S, dOut + ((i64)iNext * hq + hNext) * HD, qStride, rowsNext);
            copyRowStatsAsync<BQ>(lseS + (buf ^ 1) * BQ, DS + (buf ^ 1) * BQ, lse, lbf, D, iNext, hNext, hq, rowsNext);
            cpAsyncCommit();
        }

        if (warpHasKeys) {
            const uint16_t* Qb = Qs + buf * BQ * S;
            const uint16_t* dOb = dOs + buf * BQ * S;
            const float* lseb = lseS + buf * BQ;
            const float* Db = DS + buf * BQ;
            // attnBackwardDkDvTc's chunk loop, operation for operation (the bits must match), written out rather than
            // shared so that the measured tc kernel keeps its code and registers (see productBtSlabs in attention_tc.cuh)
            for (int c0 = 0; c0 < BQ; c0 += QC) {
                if (c0 >= rows || i0 + c0 + QC - 1 < wKey0) continue;  // warp-uniform: nothing to add
                float st_[NQ][4], dpt[NQ][4];
                productBt<KD>(st_, Ks, warp * 16, Qb, c0, S, lane);
                productBt<KD>(dpt, Vs, warp * 16, dOb, c0, S, lane);
#pragma unroll
                for (int n = 0; n < NQ; n++)
#pragma unroll
                    for (int x = 0; x < 4; x++) {
                        const int c = warp * 16 + gr + 8 * (x >> 1), r = c0 + n * 8 + 2 * tq + (x & 1);
                        const bool ok = r < rows && c < keys && j0 + c <= i0 + r;
                        // __fmul_rn: attnBackwardDkDvTc's lse in log2 units, rounded as it stores it (no fma with it)
                        const float p = ok ? exp2f(st_[n][x] * sl2 - __fmul_rn(lseb[r], RIFT_LOG2E)) : 0.0f;
                        st_[n][x] = p;                                // P^T
                        dpt[n][x] = p * (dpt[n][x] - Db[r]) * scale;  // dS^T
                    }
                accumulatePx<QC / 16>(av, st_, dOb, c0, S, lane);  // dV += P^T dO
                accumulatePx<QC / 16>(ak, dpt, Qb, c0, S, lane);   // dK += dS^T Q
            }
        }
        h = hNext;
        i0 = iNext;
    }

#pragma unroll
    for (int half = 0; half < 2; half++) {
        const int c = warp * 16 + gr + 8 * half;
        if (c >= keys) continue;
        const i64 base = ((i64)(j0 + c) * hkv + g) * HD;
#pragma unroll
        for (int d = 0; d < DT; d++)
#pragma unroll
            for (int e = 0; e < 2; e++) {
                if (dk) acc(dk, base + d * 8 + 2 * tq + e, dkbf, ak[d][2 * half + e]);
                if (dv) acc(dv, base + d * 8 + 2 * tq + e, dvbf, av[d][2 * half + e]);
            }
    }
}

/**
 * dQ pass in attnForwardFa2's layout: grid (query tiles of 256 rows, Hq), warp w owns rows 32w..32w+31 as
 * two 16-row slabs, so every K and V fragment read from shared memory feeds two mma's. K and V tiles of
 * 64 keys arrive by cp.async into two buffers (tile j + 1 in flight while j is computed) instead of
 * attnBackwardDqTc's register prefetch, and a key tile is taken KC keys at a time. The tile's lse and D
 * rows sit in shared memory (copyRowStatsAsync), not in registers. Shared: Q, dO [256][S], K, V [2][64][S]
 * bf16, lse, D [256] fp32: 210944 bytes at hd 128 (H100 and H200 give a block 227 KB, an A100 163 KB: there
 * the host keeps attnBackwardDqTc), 112640 at hd 64.
 *
 * Bit-identical to attnBackwardDqTc: per row the same mma's in the same order (productBtSlabs and
 * accumulatePxSlabs keep productBt's and accumulatePx's per-slab order; the 16-key steps of a key tile run
 * in order whatever KC) and the same P and dS expressions. As in attnForwardFa2, key tiles start at the
 * sequence start, 64 apart, and warps at multiples of 16 or 32 rows from it, so the key tiles or KC-key
 * steps a warp computes or skips beyond attnBackwardDqTc's are ones its rows see only masked (dS = 0,
 * zero products).
 */
template <int HD>
static __device__ __forceinline__ void attnBackwardDqFa2(void* dq, int dqbf, const uint16_t* dOut, const float* D,
                                                         const void* lse, int lbf, const uint16_t* q, const uint16_t* k,
                                                         const uint16_t* v, const int* tiles, int hq, int hkv, float scale) {
    constexpr int BQ = 256, BK = 64, S = HD + 8, DT = HD / 8, KD = HD / 16, SLABS = 2;
    // keys per step (S, dP and dS of both slabs for KC keys live at once): 32 at hd 128 fits sm_90's registers
    // without spills; sm_80's allocation spills there, so its SASS takes 16 (same results: the 16-key mma's of a
    // tile run in the same order). That SASS serves GPUs (A100, sm_86/89) whose blocks cannot hold this kernel's
    // shared memory at hd 128 anyway (the host keeps attnBackwardDqTc there).
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 900
    constexpr int KC = HD > 64 ? 16 : 64;
#else
    constexpr int KC = HD > 64 ? 32 : 64;
#endif
    constexpr int NT = KC / 8;
    static_assert(BQ == SLABS * 16 * RIFT_WARPS, "each warp owns SLABS 16-row slabs");
    static_assert(BK % KC == 0 && KC % 16 == 0, "steps of whole 16-key mma's");
    RIFT_DYNAMIC_SHARED(float, smem);
    uint16_t* Qs = reinterpret_cast<uint16_t*>(smem);
    uint16_t* dOs = Qs + BQ * S;
    uint16_t* Ks = dOs + BQ * S;     // buffer b at Ks + b * BK * S
    uint16_t* Vs = Ks + 2 * BK * S;  // buffer b at Vs + b * BK * S
    float* lseS = reinterpret_cast<float*>(Vs + 2 * BK * S);  // the tile's lse (natural-log units) and D rows
    float* DS = lseS + BQ;

    const int tile = blockIdx.x, h = blockIdx.y;
    const int i0 = tiles[3 * tile], s0 = tiles[3 * tile + 1], s1 = tiles[3 * tile + 2];
    const int rows = min(BQ, s1 - i0);
    const int g = h / (hq / hkv);
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, gr = lane >> 2, tq = lane & 3;
    const float sl2 = scale * RIFT_LOG2E;
    const i64 kvStride = (i64)hkv * HD;
    const uint16_t* kg = k + (i64)g * HD;  // key j of kv head g at kg + j * kvStride
    const uint16_t* vg = v + (i64)g * HD;
    const int lastKey = i0 + rows - 1;

    copyTileAsync<HD, BQ>(Qs, q + ((i64)i0 * hq + h) * HD, (i64)hq * HD, rows);
    copyTileAsync<HD, BQ>(dOs, dOut + ((i64)i0 * hq + h) * HD, (i64)hq * HD, rows);
    copyTileAsync<HD, BK>(Ks, kg + s0 * kvStride, kvStride, min(BK, lastKey - s0 + 1));
    copyTileAsync<HD, BK>(Vs, vg + s0 * kvStride, kvStride, min(BK, lastKey - s0 + 1));
    copyRowStatsAsync<BQ>(lseS, DS, lse, lbf, D, i0, h, hq, rows);
    cpAsyncCommit();
    float a[SLABS][DT][4];
#pragma unroll
    for (int i = 0; i < SLABS; i++)
#pragma unroll
        for (int d = 0; d < DT; d++) a[i][d][0] = a[i][d][1] = a[i][d][2] = a[i][d][3] = 0.0f;

    const int wRow0 = i0 + warp * 16 * SLABS;  // the warp's first row; it sees keys up to wRow0 + 31
    for (int j0 = s0, buf = 0; j0 <= lastKey; j0 += BK, buf ^= 1) {
        const int keys = min(BK, lastKey - j0 + 1);
        cpAsyncWaitAll();  // this thread's copies of tile j0 (and of Q, dO) have landed
        __syncthreads();   // everyone's have; and every warp is done with tile j0 - BK, whose buffer the next copy refills
        if (j0 + BK <= lastKey) {  // tile j0 + BK flies while this one is computed
            const int next = min(BK, lastKey - j0 - BK + 1);
            copyTileAsync<HD, BK>(Ks + (buf ^ 1) * BK * S, kg + (j0 + BK) * kvStride, kvStride, next);
            copyTileAsync<HD, BK>(Vs + (buf ^ 1) * BK * S, vg + (j0 + BK) * kvStride, kvStride, next);
            cpAsyncCommit();
        }
        if (warp * 16 * SLABS >= rows || wRow0 + 16 * SLABS - 1 < j0) continue;  // warp-uniform: no row of this warp sees these keys

        const uint16_t* Kb = Ks + buf * BK * S;
        const uint16_t* Vb = Vs + buf * BK * S;
#pragma unroll 1
        for (int kc = 0; kc < BK; kc += KC) {
            if (j0 + kc > wRow0 + 16 * SLABS - 1) break;  // warp-uniform: these keys and the rest come after every row of the warp
            float s[SLABS][NT][4], dp[SLABS][NT][4];
            productBtSlabs<KD>(s, Qs, warp * 16 * SLABS, Kb + kc * S, S, lane);
            productBtSlabs<KD>(dp, dOs, warp * 16 * SLABS, Vb + kc * S, S, lane);
#pragma unroll
            for (int i = 0; i < SLABS; i++)
#pragma unroll
                for (int half = 0; half < 2; half++) {
                    // attnBackwardDqTc's mask (r < rows, c < keys, j0 + c <= i0 + r) for c = kc + n * 8 + 2 tq + e, as
                    // one comparison per element against a per-row limit, n * 8 + e <= lim (as in onlineSoftmax)
                    const int r = (warp * SLABS + i) * 16 + gr + 8 * half;
                    const int lim = (r < rows ? min(keys - 1, i0 + r - j0) : -1) - 2 * tq - kc;
                    // the row's lse in log2 units, rounded as attnBackwardDqTc rounds it (__fmul_rn: never fused into an fma)
                    const float rowLse2 = __fmul_rn(lseS[r], RIFT_LOG2E), rowD = DS[r];
#pragma unroll
                    for (int n = 0; n < NT; n++)
#pragma unroll
                        for (int e = 0; e < 2; e++) {
                            const int x = 2 * half + e;
                            const float p = n * 8 + e <= lim ? exp2f(s[i][n][x] * sl2 - rowLse2) : 0.0f;
                            s[i][n][x] = p * (dp[i][n][x] - rowD) * scale;  // dS
                        }
                }
            accumulatePxSlabs<KC / 16>(a, s, Kb + kc * S, S, lane);  // s holds dS
        }
    }

#pragma unroll
    for (int i = 0; i < SLABS; i++)
#pragma unroll
        for (int half = 0; half < 2; half++) {
            const int r = (warp * SLABS + i) * 16 + gr + 8 * half;
            if (r >= rows) continue;
            const i64 base = ((i64)(i0 + r) * hq + h) * HD;
#pragma unroll
            for (int d = 0; d < DT; d++) {
                acc(dq, base + d * 8 + 2 * tq, dqbf, a[i][d][2 * half]);
                acc(dq, base + d * 8 + 2 * tq + 1, dqbf, a[i][d][2 * half + 1]);
            }
        }
}

// Instantiations for head dimensions 64 and 128 through attention_tc.cuh's macros, so the argument lists are the
// tc backward kernels' (host: AttentionPlan.backwardDqFa2 / backwardDkDvFa2 pick them; the dtype flags of q, k, v
// and dO are unused).
RIFT_ATTN_DQ_TC(rift_attn_dq_fa2_hd64, attnBackwardDqFa2, 64)
RIFT_ATTN_DQ_TC(rift_attn_dq_fa2_hd128, attnBackwardDqFa2, 128)
RIFT_ATTN_DKDV_TC(rift_attn_dkdv_fa2_hd64, attnBackwardDkDvFa2, 64)
RIFT_ATTN_DKDV_TC(rift_attn_dkdv_fa2_hd128, attnBackwardDkDvFa2, 128)
