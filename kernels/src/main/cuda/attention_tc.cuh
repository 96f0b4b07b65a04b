// Causal GQA attention on tensor cores: bf16 q, k, v (and dO) with fp32 accumulation, for head
// dimensions 64 and 128 (Qwen3, Qwen2, Llama 3). Same layouts, tile lists, results and arguments as
// attention.cuh's fp32 kernels (which keep every other case: fp32 storage, other head dimensions);
// CudaAttention picks these when the inputs are bf16 and 16-byte aligned.
//
// Each warp multiplies 16-row slabs with mma.sync m16n8k16 (bf16 in, fp32 out). Fragment layout, as
// the PTX ISA defines it (lane = 4 g + t, two bf16 per 32-bit register, the lower index in the low half):
//   A 16x16 (row-major): a0 = row g, cols 2t..2t+1; a1 = row g+8, same cols; a2, a3 = the same at cols +8
//   B 16x8 (k x n):      b0 = rows 2t..2t+1 of column g; b1 = rows 2t+8..2t+9
//   C 16x8 (fp32):       c0, c1 = row g, cols 2t..2t+1; c2, c3 = row g+8, same cols
// Operands come from shared memory through ldmatrix (four 8x8 matrices per instruction): a row-major
// tile is an A operand, a row-major [n][k] tile a B operand as stored (K in Q K^T), and a row-major
// [k][n] tile a B operand through ldmatrix.trans (V in P V). An accumulator pair of 16x8 tiles turns
// into the A operand of the next product in registers (FA2's P in P V, dS in dS K).
//
// attnForwardFa2 is an opt-in schedule of the same forward (two slabs per warp, cp.async double
// buffering), bit-identical to attnForwardTc.
//
// Shared-memory rows are HD + 8 bf16 long: the 16-byte pad puts the 8 rows a fragment load touches in
// different banks. Scores run in log2 units (exp2f), lse stays in natural-log units for the caller.
// The softmax's normaliser l sums the fp32 probabilities; P V uses them rounded to bf16, as FA2 does.
#pragma once

#include "common.cuh"

#ifdef RIFT_CUDA_EMU
static __device__ __forceinline__ void mmaBf16(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    rift_emu_mma_bf16_16816(d, a, b0, b1);
}

static __device__ __forceinline__ uint32_t packBf16(float lo, float hi) {
    return (uint32_t)__float2bfloat16_rn(lo).bits | ((uint32_t)__float2bfloat16_rn(hi).bits << 16);
}
#else
static __device__ __forceinline__ void mmaBf16(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
        "{%0, %1, %2, %3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

static __device__ __forceinline__ uint32_t packBf16(float lo, float hi) {
    __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);  // .x (low half) = lo
    return *reinterpret_cast<uint32_t*>(&v);
}
#endif

#ifdef RIFT_CUDA_EMU
static __device__ __forceinline__ void ldmatrixX4(uint32_t (&r)[4], const uint16_t* row) { rift_emu_ldmatrix_x4(r, row, false); }
static __device__ __forceinline__ void ldmatrixX4T(uint32_t (&r)[4], const uint16_t* row) { rift_emu_ldmatrix_x4(r, row, true); }
#else
/** ldmatrix .x4: lane L gives the address of row L % 8 of 8x8 matrix L / 8; r[i] is this lane's fragment of matrix i. */
static __device__ __forceinline__ void ldmatrixX4(uint32_t (&r)[4], const uint16_t* row) {
    const unsigned a = static_cast<unsigned>(__cvta_generic_to_shared(row));
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a)
                 : "memory");
}

/** The same with .trans: each 8x8 matrix arrives transposed (lane 4g + t holds rows 2t, 2t+1 of column g). */
static __device__ __forceinline__ void ldmatrixX4T(uint32_t (&r)[4], const uint16_t* row) {
    const unsigned a = static_cast<unsigned>(__cvta_generic_to_shared(row));
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a)
                 : "memory");
}
#endif

/** A operand: rows r0..r0+15, columns c0..c0+15 of a row-major tile (matrices: rows lo/hi x columns lo/hi). */
static __device__ __forceinline__ void loadA(uint32_t (&a)[4], const uint16_t* tile, int stride, int r0, int c0, int lane) {
    ldmatrixX4(a, tile + (r0 + (lane & 7) + ((lane >> 3) & 1) * 8) * stride + c0 + (lane >> 4) * 8);
}

/**
 * B operands of two adjacent n-tiles from a row-major [n][k] tile (K in Q K^T): n rows n0..n0+15,
 * k columns c0..c0+15; b[0], b[1] serve n-tile n0, b[2], b[3] n-tile n0 + 8.
 */
static __device__ __forceinline__ void loadB2(uint32_t (&b)[4], const uint16_t* tile, int stride, int n0, int c0, int lane) {
    ldmatrixX4(b, tile + (n0 + (lane >> 4) * 8 + (lane & 7)) * stride + c0 + ((lane >> 3) & 1) * 8);
}

/**
 * B operands of two adjacent n-tiles from a row-major [k][n] tile (V in P V), transposed on the way:
 * k rows k0..k0+15, n columns n0..n0+15; b[0], b[1] serve n-tile n0, b[2], b[3] n-tile n0 + 8.
 */
static __device__ __forceinline__ void loadB2T(uint32_t (&b)[4], const uint16_t* tile, int stride, int k0, int n0, int lane) {
    ldmatrixX4T(b, tile + (k0 + ((lane >> 3) & 1) * 8 + (lane & 7)) * stride + n0 + (lane >> 4) * 8);
}

/** The A operand of a 16x16 product from two 16x8 accumulators (columns 0-7 in lo, 8-15 in hi), rounded to bf16. */
static __device__ __forceinline__ void accToA(uint32_t (&a)[4], const float (&lo)[4], const float (&hi)[4]) {
    a[0] = packBf16(lo[0], lo[1]);
    a[1] = packBf16(lo[2], lo[3]);
    a[2] = packBf16(hi[0], hi[1]);
    a[3] = packBf16(hi[2], hi[3]);
}

/**
 * s[NT] (NT 16x8 accumulators) = rows r0..r0+15 of the row-major tile A times rows n0..n0+8 NT - 1 of the
 * row-major [n][k] tile B, transposed, over KD steps of 16 (Q K^T, dO V^T, K Q^T, V dO^T).
 */
template <int KD, int NT>
static __device__ __forceinline__ void productBt(float (&s)[NT][4], const uint16_t* A, int r0, const uint16_t* B, int n0,
                                                 int stride, int lane) {
#pragma unroll
    for (int n = 0; n < NT; n++) s[n][0] = s[n][1] = s[n][2] = s[n][3] = 0.0f;
#pragma unroll
    for (int kd = 0; kd < KD; kd++) {
        uint32_t a[4];
        loadA(a, A, stride, r0, kd * 16, lane);
#pragma unroll
        for (int n = 0; n < NT; n += 2) {
            uint32_t b[4];
            loadB2(b, B, stride, n0 + n * 8, kd * 16, lane);
            mmaBf16(s[n], a, b[0], b[1]);
            mmaBf16(s[n + 1], a, b[2], b[3]);
        }
    }
}

/**
 * acc[DT] (16 x 8 DT) += P X: P the 16 x 16 KK products held as 2 KK accumulators (rounded to bf16 on the
 * way), X rows k0..k0+16 KK - 1 of the row-major [k][n] tile (P V, dS K, P^T dO, dS^T Q).
 */
template <int KK, int DT>
static __device__ __forceinline__ void accumulatePx(float (&acc)[DT][4], const float (&p)[2 * KK][4], const uint16_t* X, int k0,
                                                    int stride, int lane) {
#pragma unroll
    for (int kk = 0; kk < KK; kk++) {
        uint32_t a[4];
        accToA(a, p[2 * kk], p[2 * kk + 1]);
#pragma unroll
        for (int d = 0; d < DT; d += 2) {
            uint32_t b[4];
            loadB2T(b, X, stride, k0 + kk * 16, d * 8, lane);
            mmaBf16(acc[d], a, b[0], b[1]);
            mmaBf16(acc[d + 1], a, b[2], b[3]);
        }
    }
}

/**
 * Copies rows [0, valid) of a bf16 matrix (row stride srcStride elements) into a shared tile of ROWS
 * rows of stride HD + 8, zero-filling the rest, in 16-byte chunks.
 */
template <int HD, int ROWS>
static __device__ __forceinline__ void loadTile(uint16_t* dst, const uint16_t* src, i64 srcStride, int valid) {
    constexpr int CH = HD / 8, S = HD + 8;
    for (int e = threadIdx.x; e < ROWS * CH; e += RIFT_THREADS) {
        const int r = e / CH, c = e - r * CH;
        uint4 val = make_uint4(0u, 0u, 0u, 0u);
        if (r < valid) val = *reinterpret_cast<const uint4*>(src + r * srcStride + c * 8);
        *reinterpret_cast<uint4*>(dst + r * S + c * 8) = val;
    }
}

/**
 * A tile's global-to-shared copy split in two halves, for software pipelining: fetch() issues the
 * 16-byte loads of rows [0, valid) into registers (rows past it read as zeros), store() writes them to
 * a shared tile of stride HD + 8. Fetching the next key tile before computing on the current one lets
 * the loads' latency overlap the tensor-core work.
 */
template <int HD, int ROWS>
struct TileRegs {
    static constexpr int CH = HD / 8, N = ROWS * CH / RIFT_THREADS;
    static_assert(ROWS * CH % RIFT_THREADS == 0, "the tile splits evenly over the block");
    uint4 r[N];

    __device__ __forceinline__ void fetch(const uint16_t* src, i64 srcStride, int valid) {
#pragma unroll
        for (int i = 0; i < N; i++) {
            const int e = threadIdx.x + i * RIFT_THREADS, row = e / CH, c = e - row * CH;
            r[i] = row < valid ? *reinterpret_cast<const uint4*>(src + row * srcStride + c * 8) : make_uint4(0u, 0u, 0u, 0u);
        }
    }

    __device__ __forceinline__ void store(uint16_t* dst) const {
#pragma unroll
        for (int i = 0; i < N; i++) {
            const int e = threadIdx.x + i * RIFT_THREADS, row = e / CH, c = e - row * CH;
            *reinterpret_cast<uint4*>(dst + row * (HD + 8) + c * 8) = r[i];
        }
    }
};

#ifdef RIFT_CUDA_EMU
// The emulator copies at once: a buffer overwritten while another warp still reads it shows as wrong
// results, as any missing barrier does; a missing wait cannot show (the data is always there).
static __device__ __forceinline__ void cpAsync16(uint16_t* dst, const uint16_t* src) { memcpy(dst, src, 16); }
static __device__ __forceinline__ void cpAsyncCommit() {}
static __device__ __forceinline__ void cpAsyncWaitAll() {}
#else
/** 16 bytes global -> shared without passing through registers (cp.async.cg: cached in L2 only). */
static __device__ __forceinline__ void cpAsync16(uint16_t* dst, const uint16_t* src) {
    const unsigned a = static_cast<unsigned>(__cvta_generic_to_shared(dst));
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(a), "l"(src) : "memory");
}

/** Closes the group of this thread's copies issued since the last commit. */
static __device__ __forceinline__ void cpAsyncCommit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }

/** Waits until every committed group of this thread has landed (other threads' copies need a barrier after). */
static __device__ __forceinline__ void cpAsyncWaitAll() { asm volatile("cp.async.wait_group 0;\n" ::: "memory"); }
#endif

/**
 * Issues the asynchronous copy of rows [0, valid) of a bf16 matrix (row stride srcStride elements) into a
 * shared tile of ROWS rows of stride HD + 8 and zero-fills the other rows with plain stores (V rows past
 * the keys meet P = 0, and 0 times leftover data could be NaN). Nothing is visible before
 * cpAsyncCommit, cpAsyncWaitAll and a barrier.
 */
template <int HD, int ROWS>
static __device__ __forceinline__ void copyTileAsync(uint16_t* dst, const uint16_t* src, i64 srcStride, int valid) {
    constexpr int CH = HD / 8, S = HD + 8;
    static_assert(ROWS * CH % RIFT_THREADS == 0, "the tile splits evenly over the block");
#pragma unroll
    for (int i = 0; i < ROWS * CH / RIFT_THREADS; i++) {
        const int e = threadIdx.x + i * RIFT_THREADS, r = e / CH, c = e - r * CH;
        uint16_t* d = dst + r * S + c * 8;
        if (r < valid) cpAsync16(d, src + r * srcStride + c * 8);
        else *reinterpret_cast<uint4*>(d) = make_uint4(0u, 0u, 0u, 0u);
    }
}

/**
 * productBt for M 16-row slabs at once (rows r0..r0 + 16 M - 1 of A, B rows 0..8 NT - 1): every B
 * fragment loaded from shared memory feeds M mma's. Each slab's accumulators see the same mma's in the
 * same order as productBt's. Kept apart from productBt on purpose: writing productBt as its M = 1 case
 * gives the same results but changes the measured default kernels' register allocation (dK/dV hd 64:
 * 135 -> 154 on sm_90), so the two merge only after a GPU run has timed both.
 */
template <int KD, int NT, int M>
static __device__ __forceinline__ void productBtSlabs(float (&s)[M][NT][4], const uint16_t* A, int r0, const uint16_t* B,
                                                      int stride, int lane) {
#pragma unroll
    for (int i = 0; i < M; i++)
#pragma unroll
        for (int n = 0; n < NT; n++) s[i][n][0] = s[i][n][1] = s[i][n][2] = s[i][n][3] = 0.0f;
#pragma unroll
    for (int kd = 0; kd < KD; kd++) {
        uint32_t a[M][4];
#pragma unroll
        for (int i = 0; i < M; i++) loadA(a[i], A, stride, r0 + 16 * i, kd * 16, lane);
#pragma unroll
        for (int n = 0; n < NT; n += 2) {
            uint32_t b[4];
            loadB2(b, B, stride, n * 8, kd * 16, lane);
#pragma unroll
            for (int i = 0; i < M; i++) {
                mmaBf16(s[i][n], a[i], b[0], b[1]);
                mmaBf16(s[i][n + 1], a[i], b[2], b[3]);
            }
        }
    }
}

/** accumulatePx for M 16-row slabs at once (X rows 0..16 KK - 1): every X fragment feeds M mma's. */
template <int KK, int DT, int M>
static __device__ __forceinline__ void accumulatePxSlabs(float (&acc)[M][DT][4], const float (&p)[M][2 * KK][4],
                                                         const uint16_t* X, int stride, int lane) {
#pragma unroll
    for (int kk = 0; kk < KK; kk++) {
        uint32_t a[M][4];
#pragma unroll
        for (int i = 0; i < M; i++) accToA(a[i], p[i][2 * kk], p[i][2 * kk + 1]);
#pragma unroll
        for (int d = 0; d < DT; d += 2) {
            uint32_t b[4];
            loadB2T(b, X, stride, kk * 16, d * 8, lane);
#pragma unroll
            for (int i = 0; i < M; i++) {
                mmaBf16(acc[i][d], a[i], b[0], b[1]);
                mmaBf16(acc[i][d + 1], a[i], b[2], b[3]);
            }
        }
    }
}

#define RIFT_LOG2E 1.4426950408889634f
#define RIFT_LN2 0.6931471805599453f

/**
 * One key tile's online-softmax step for rows r0..r0+15 of a query tile (this lane's: r0 + g and r0 + g + 8):
 * s, the scores Q K^T of keys j0..j0 + 8 NT - 1, becomes P (masked past the tile's rows, past its keys and
 * after the row, causally); m and l advance and o is rescaled for the P V that follows. Both forward
 * kernels take it, so each row sees the same operations in the same order in either.
 */
template <int NT, int DT>
static __device__ __forceinline__ void onlineSoftmax(float (&s)[NT][4], float (&m)[2], float (&l)[2], float (&o)[DT][4], int r0,
                                                     int rows, int i0, int j0, int keys, float sl2, int lane) {
    const int gr = lane >> 2, tq = lane & 3;
#pragma unroll
    for (int half = 0; half < 2; half++) {
        const int r = r0 + gr + 8 * half;
        // key column c = n * 8 + 2 tq + e counts when c < keys and j0 + c <= the row, i.e. c - 2 tq <= lim: one
        // comparison with a constant per element (the three of the plain test spilled fa2's hd128 kernel)
        const int lim = (r < rows ? min(keys - 1, i0 + r - j0) : -1) - 2 * tq;
        float mx = -INFINITY;
#pragma unroll
        for (int n = 0; n < NT; n++)
#pragma unroll
            for (int e = 0; e < 2; e++) {
                const bool ok = n * 8 + e <= lim;
                const float x = ok ? s[n][2 * half + e] * sl2 : -INFINITY;
                s[n][2 * half + e] = x;
                mx = fmaxf(mx, x);
            }
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
        const float mNew = fmaxf(m[half], mx);
        const float mUse = mNew == -INFINITY ? 0.0f : mNew;  // a row that has seen no key yet
        float sum = 0.0f;
#pragma unroll
        for (int n = 0; n < NT; n++)
#pragma unroll
            for (int e = 0; e < 2; e++) {
                const float p = exp2f(s[n][2 * half + e] - mUse);  // masked: exp2(-inf) = 0
                s[n][2 * half + e] = p;
                sum += p;
            }
        sum += __shfl_xor_sync(0xffffffffu, sum, 1);
        sum += __shfl_xor_sync(0xffffffffu, sum, 2);
        const float corr = exp2f(m[half] - mUse);  // 0 on the first tile
        l[half] = fmaf(l[half], corr, sum);
        m[half] = mNew;
#pragma unroll
        for (int d = 0; d < DT; d++) {
            o[d][2 * half] *= corr;
            o[d][2 * half + 1] *= corr;
        }
    }
}

/** The forward's end for rows r0..r0+15 of a query tile: out = o / l, lse = m + log2(l) in natural-log units. */
template <int HD>
static __device__ __forceinline__ void storeRows(void* out, int obf, void* lse, int lbf, const float (&o)[HD / 8][4],
                                                 const float (&m)[2], const float (&l)[2], int r0, int rows, int i0, int hq,
                                                 int h, int lane) {
    const int gr = lane >> 2, tq = lane & 3;
#pragma unroll
    for (int half = 0; half < 2; half++) {
        const int r = r0 + gr + 8 * half;
        if (r >= rows) continue;
        const i64 item = (i64)(i0 + r) * hq + h;
        const float inv = __fdiv_rn(1.0f, l[half]);
#pragma unroll
        for (int d = 0; d < HD / 8; d++) {
            st(out, item * HD + d * 8 + 2 * tq, obf, o[d][2 * half] * inv);
            st(out, item * HD + d * 8 + 2 * tq + 1, obf, o[d][2 * half + 1] * inv);
        }
        if (tq == 0) st(lse, item, lbf, (m[half] + log2f(l[half])) * RIFT_LN2);
    }
}

/**
 * Forward. Grid (query tiles of 128 rows, Hq); warp w owns rows 16w..16w+15 of the tile. Shared:
 * Q [128][S], K [64][S], V [64][S] bf16. Per key tile: S = Q K^T, online softmax in registers, O += P V.
 */
template <int HD>
static __device__ __forceinline__ void attnForwardTc(void* out, int obf, void* lse, int lbf, const uint16_t* q,
                                                     const uint16_t* k, const uint16_t* v, const int* tiles, int hq,
                                                     int hkv, float scale) {
    constexpr int BQ = 128, BK = 64, S = HD + 8, NT = BK / 8, DT = HD / 8, KD = HD / 16;
    RIFT_DYNAMIC_SHARED(float, smem);
    uint16_t* Qs = reinterpret_cast<uint16_t*>(smem);
    uint16_t* Ks = Qs + BQ * S;
    uint16_t* Vs = Ks + BK * S;

    const int tile = blockIdx.x, h = blockIdx.y;
    const int i0 = tiles[3 * tile], s0 = tiles[3 * tile + 1], s1 = tiles[3 * tile + 2];
    const int rows = min(BQ, s1 - i0);
    const int g = h / (hq / hkv);
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const float sl2 = scale * RIFT_LOG2E;

    loadTile<HD, BQ>(Qs, q + ((i64)i0 * hq + h) * HD, (i64)hq * HD, rows);

    float o[DT][4], m[2] = {-INFINITY, -INFINITY}, l[2] = {0.0f, 0.0f};
#pragma unroll
    for (int d = 0; d < DT; d++) o[d][0] = o[d][1] = o[d][2] = o[d][3] = 0.0f;

    const int lastKey = i0 + rows - 1;
    const int wRow0 = i0 + warp * 16;  // the warp's first row; it sees keys up to wRow0 + 15
    TileRegs<HD, BK> kr, vr;
    kr.fetch(k + ((i64)s0 * hkv + g) * HD, (i64)hkv * HD, min(BK, lastKey - s0 + 1));
    vr.fetch(v + ((i64)s0 * hkv + g) * HD, (i64)hkv * HD, min(BK, lastKey - s0 + 1));
    for (int j0 = s0; j0 <= lastKey; j0 += BK) {
        const int keys = min(BK, lastKey - j0 + 1);
        __syncthreads();  // Q written (first tile); the last tile's reads of K and V done
        kr.store(Ks);
        vr.store(Vs);
        __syncthreads();
        if (j0 + BK <= lastKey) {  // the next tile's loads fly while this one is computed
            kr.fetch(k + ((i64)(j0 + BK) * hkv + g) * HD, (i64)hkv * HD, min(BK, lastKey - j0 - BK + 1));
            vr.fetch(v + ((i64)(j0 + BK) * hkv + g) * HD, (i64)hkv * HD, min(BK, lastKey - j0 - BK + 1));
        }
        if (warp * 16 >= rows || wRow0 + 15 < j0) continue;  // warp-uniform: no row of this warp sees these keys

        float s[NT][4];
        productBt<KD>(s, Qs, warp * 16, Ks, 0, S, lane);
        onlineSoftmax<NT, DT>(s, m, l, o, warp * 16, rows, i0, j0, keys, sl2, lane);
        accumulatePx<BK / 16>(o, s, Vs, 0, S, lane);
    }

    storeRows<HD>(out, obf, lse, lbf, o, m, l, warp * 16, rows, i0, hq, h, lane);
}

/**
 * Forward, FA2's layout within 256 threads (opt-in: -Drift.cuda.attention=fa2). Grid (query tiles of 256
 * rows, Hq); warp w owns rows 32w..32w+31 as two 16-row slabs, so each K and V fragment read from shared
 * memory feeds two mma's (half attnForwardTc's shared-memory traffic per flop, twice the independent
 * mma chains per warp). K and V tiles arrive by cp.async into two buffers, tile j + 1 in flight while j
 * is computed, with no registers held for them. Shared: Q [256][S], K [2][64][S], V [2][64][S] bf16.
 *
 * Bit-identical to attnForwardTc: per row the same mma's in the same order (productBtSlabs,
 * accumulatePxSlabs) and the same softmax (onlineSoftmax). Key tiles start at the sequence start in both,
 * 64 apart, and query warps at multiples of 16 or 32 rows from it, so a warp skips exactly the key tiles
 * none of its rows sees (j0 > its first row) and never computes a tile fully masked for one of its rows
 * inside the sequence (rows past it are never stored); the keys this larger query tile loads past the
 * other's last row are masked there (p = 0) and add only zero products.
 */
template <int HD>
static __device__ __forceinline__ void attnForwardFa2(void* out, int obf, void* lse, int lbf, const uint16_t* q,
                                                      const uint16_t* k, const uint16_t* v, const int* tiles, int hq,
                                                      int hkv, float scale) {
    constexpr int BQ = 256, BK = 64, S = HD + 8, NT = BK / 8, DT = HD / 8, KD = HD / 16, SLABS = 2;
    static_assert(BQ == SLABS * 16 * RIFT_WARPS, "each warp owns SLABS 16-row slabs");
    RIFT_DYNAMIC_SHARED(float, smem);
    uint16_t* Qs = reinterpret_cast<uint16_t*>(smem);
    uint16_t* Ks = Qs + BQ * S;      // buffer b at Ks + b * BK * S
    uint16_t* Vs = Ks + 2 * BK * S;  // buffer b at Vs + b * BK * S

    const int tile = blockIdx.x, h = blockIdx.y;
    const int i0 = tiles[3 * tile], s0 = tiles[3 * tile + 1], s1 = tiles[3 * tile + 2];
    const int rows = min(BQ, s1 - i0);
    const int g = h / (hq / hkv);
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const float sl2 = scale * RIFT_LOG2E;
    const i64 kvStride = (i64)hkv * HD;
    const uint16_t* kg = k + (i64)g * HD;  // key j of kv head g at kg + j * kvStride
    const uint16_t* vg = v + (i64)g * HD;
    const int lastKey = i0 + rows - 1;

    copyTileAsync<HD, BQ>(Qs, q + ((i64)i0 * hq + h) * HD, (i64)hq * HD, rows);
    copyTileAsync<HD, BK>(Ks, kg + s0 * kvStride, kvStride, min(BK, lastKey - s0 + 1));
    copyTileAsync<HD, BK>(Vs, vg + s0 * kvStride, kvStride, min(BK, lastKey - s0 + 1));
    cpAsyncCommit();

    float o[SLABS][DT][4], m[SLABS][2], l[SLABS][2];
#pragma unroll
    for (int i = 0; i < SLABS; i++) {
        m[i][0] = m[i][1] = -INFINITY;
        l[i][0] = l[i][1] = 0.0f;
#pragma unroll
        for (int d = 0; d < DT; d++) o[i][d][0] = o[i][d][1] = o[i][d][2] = o[i][d][3] = 0.0f;
    }

    const int wRow0 = i0 + warp * 16 * SLABS;  // the warp's first row; it sees keys up to wRow0 + 31
    for (int j0 = s0, buf = 0; j0 <= lastKey; j0 += BK, buf ^= 1) {
        const int keys = min(BK, lastKey - j0 + 1);
        cpAsyncWaitAll();  // this thread's copies of tile j0 (and of Q) have landed
        __syncthreads();   // everyone's have; and every warp is done with tile j0 - BK, whose buffer the next copy refills
        if (j0 + BK <= lastKey) {  // tile j0 + BK flies while this one is computed
            const int next = min(BK, lastKey - j0 - BK + 1);
            copyTileAsync<HD, BK>(Ks + (buf ^ 1) * BK * S, kg + (j0 + BK) * kvStride, kvStride, next);
            copyTileAsync<HD, BK>(Vs + (buf ^ 1) * BK * S, vg + (j0 + BK) * kvStride, kvStride, next);
            cpAsyncCommit();
        }
        if (warp * 16 * SLABS >= rows || wRow0 + 16 * SLABS - 1 < j0) continue;  // warp-uniform: no row of this warp sees these keys

        float s[SLABS][NT][4];
        productBtSlabs<KD>(s, Qs, warp * 16 * SLABS, Ks + buf * BK * S, S, lane);
#pragma unroll
        for (int i = 0; i < SLABS; i++) onlineSoftmax<NT, DT>(s[i], m[i], l[i], o[i], (warp * SLABS + i) * 16, rows, i0, j0, keys, sl2, lane);
        accumulatePxSlabs<BK / 16>(o, s, Vs + buf * BK * S, S, lane);
    }

#pragma unroll
    for (int i = 0; i < SLABS; i++) storeRows<HD>(out, obf, lse, lbf, o[i], m[i], l[i], (warp * SLABS + i) * 16, rows, i0, hq, h, lane);
}

/**
 * Backward, dQ pass: grid (query tiles of 128 rows, Hq), warp w owns rows 16w..16w+15. Per key tile:
 * S = Q K^T, dP = dO V^T, P = exp(scale S - lse), dS = scale P (dP - D), dQ += dS K (registers);
 * dq += at the end. Shared: Q, dO [128][S], K, V [64][S] bf16.
 */
template <int HD>
static __device__ __forceinline__ void attnBackwardDqTc(void* dq, int dqbf, const uint16_t* dOut, const float* D,
                                                        const void* lse, int lbf, const uint16_t* q, const uint16_t* k,
                                                        const uint16_t* v, const int* tiles, int hq, int hkv, float scale) {
    constexpr int BQ = 128, BK = 64, S = HD + 8, NT = BK / 8, DT = HD / 8, KD = HD / 16;
    RIFT_DYNAMIC_SHARED(float, smem);
    uint16_t* Qs = reinterpret_cast<uint16_t*>(smem);
    uint16_t* dOs = Qs + BQ * S;
    uint16_t* Ks = dOs + BQ * S;
    uint16_t* Vs = Ks + BK * S;

    const int tile = blockIdx.x, h = blockIdx.y;
    const int i0 = tiles[3 * tile], s0 = tiles[3 * tile + 1], s1 = tiles[3 * tile + 2];
    const int rows = min(BQ, s1 - i0);
    const int g = h / (hq / hkv);
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, gr = lane >> 2, tq = lane & 3;
    const float sl2 = scale * RIFT_LOG2E;

    loadTile<HD, BQ>(Qs, q + ((i64)i0 * hq + h) * HD, (i64)hq * HD, rows);
    loadTile<HD, BQ>(dOs, dOut + ((i64)i0 * hq + h) * HD, (i64)hq * HD, rows);
    float rowLse2[2], rowD[2];
#pragma unroll
    for (int half = 0; half < 2; half++) {
        const int r = warp * 16 + gr + 8 * half;
        const i64 item = (i64)(i0 + r) * hq + h;
        rowLse2[half] = r < rows ? ld(lse, item, lbf) * RIFT_LOG2E : 0.0f;
        rowD[half] = r < rows ? D[item] : 0.0f;
    }
    float a[DT][4];
#pragma unroll
    for (int d = 0; d < DT; d++) a[d][0] = a[d][1] = a[d][2] = a[d][3] = 0.0f;

    const int lastKey = i0 + rows - 1;
    const int wRow0 = i0 + warp * 16;
    TileRegs<HD, BK> kr, vr;
    kr.fetch(k + ((i64)s0 * hkv + g) * HD, (i64)hkv * HD, min(BK, lastKey - s0 + 1));
    vr.fetch(v + ((i64)s0 * hkv + g) * HD, (i64)hkv * HD, min(BK, lastKey - s0 + 1));
    for (int j0 = s0; j0 <= lastKey; j0 += BK) {
        const int keys = min(BK, lastKey - j0 + 1);
        __syncthreads();  // Q, dO written; the last tile's reads of K and V done
        kr.store(Ks);
        vr.store(Vs);
        __syncthreads();
        if (j0 + BK <= lastKey) {
            kr.fetch(k + ((i64)(j0 + BK) * hkv + g) * HD, (i64)hkv * HD, min(BK, lastKey - j0 - BK + 1));
            vr.fetch(v + ((i64)(j0 + BK) * hkv + g) * HD, (i64)hkv * HD, min(BK, lastKey - j0 - BK + 1));
        }
        if (warp * 16 >= rows || wRow0 + 15 < j0) continue;

        float s[NT][4], dp[NT][4];
        productBt<KD>(s, Qs, warp * 16, Ks, 0, S, lane);
        productBt<KD>(dp, dOs, warp * 16, Vs, 0, S, lane);
#pragma unroll
        for (int n = 0; n < NT; n++)
#pragma unroll
            for (int x = 0; x < 4; x++) {
                const int half = x >> 1, r = warp * 16 + gr + 8 * half, c = n * 8 + 2 * tq + (x & 1);
                const bool ok = r < rows && c < keys && j0 + c <= i0 + r;
                const float p = ok ? exp2f(s[n][x] * sl2 - rowLse2[half]) : 0.0f;
                s[n][x] = p * (dp[n][x] - rowD[half]) * scale;  // dS
            }
        accumulatePx<BK / 16>(a, s, Ks, 0, S, lane);  // s holds dS
    }

#pragma unroll
    for (int half = 0; half < 2; half++) {
        const int r = warp * 16 + gr + 8 * half;
        if (r >= rows) continue;
        const i64 base = ((i64)(i0 + r) * hq + h) * HD;
#pragma unroll
        for (int d = 0; d < DT; d++) {
            acc(dq, base + d * 8 + 2 * tq, dqbf, a[d][2 * half]);
            acc(dq, base + d * 8 + 2 * tq + 1, dqbf, a[d][2 * half + 1]);
        }
    }
}

/**
 * Backward, dK/dV pass (no atomics): grid (key tiles of 128 keys, Hkv), warp w owns keys
 * 16w..16w+15 of the tile and their dK, dV rows (registers). It loops over the query heads of its kv
 * head and the query tiles from the key tile's first row to the end of the sequence, in chunks of 32
 * queries: S^T = K Q^T, dP^T = V dO^T, P^T, dS^T, then dV += P^T dO, dK += dS^T Q. Shared: K, V
 * [128][S], Q, dO [64][S] bf16, lse (log2 units), D [64] fp32.
 */
template <int HD>
static __device__ __forceinline__ void attnBackwardDkDvTc(void* dk, int dkbf, void* dv, int dvbf, const uint16_t* dOut,
                                                          const float* D, const void* lse, int lbf, const uint16_t* q,
                                                          const uint16_t* k, const uint16_t* v, const int* tiles, int hq,
                                                          int hkv, float scale) {
    constexpr int BK = 128, BQ = 64, QC = 32, S = HD + 8, NQ = QC / 8, DT = HD / 8, KD = HD / 16;
    RIFT_DYNAMIC_SHARED(float, smem);
    uint16_t* Ks = reinterpret_cast<uint16_t*>(smem);
    uint16_t* Vs = Ks + BK * S;
    uint16_t* Qs = Vs + BK * S;
    uint16_t* dOs = Qs + BQ * S;
    float* lse2S = reinterpret_cast<float*>(dOs + BQ * S);
    float* DS = lse2S + BQ;

    const int tile = blockIdx.x, g = blockIdx.y;
    const int j0 = tiles[3 * tile], s1 = tiles[3 * tile + 2];
    const int keys = min(BK, s1 - j0);
    const int group = hq / hkv;
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, gr = lane >> 2, tq = lane & 3;
    const float sl2 = scale * RIFT_LOG2E;

    loadTile<HD, BK>(Ks, k + ((i64)j0 * hkv + g) * HD, (i64)hkv * HD, keys);
    loadTile<HD, BK>(Vs, v + ((i64)j0 * hkv + g) * HD, (i64)hkv * HD, keys);
    float ak[DT][4], av[DT][4];
#pragma unroll
    for (int d = 0; d < DT; d++) ak[d][0] = ak[d][1] = ak[d][2] = ak[d][3] = av[d][0] = av[d][1] = av[d][2] = av[d][3] = 0.0f;
    const bool warpHasKeys = warp * 16 < keys;
    const int wKey0 = j0 + warp * 16;  // the warp's first key: queries before it see none of its keys

    for (int h = g * group; h < (g + 1) * group; h++) {
        for (int i0 = j0; i0 < s1; i0 += BQ) {
            const int rows = min(BQ, s1 - i0);
            __syncthreads();  // K, V written (first pass); the last pass's reads of Q, dO, lse, D done
            loadTile<HD, BQ>(Qs, q + ((i64)i0 * hq + h) * HD, (i64)hq * HD, rows);
            loadTile<HD, BQ>(dOs, dOut + ((i64)i0 * hq + h) * HD, (i64)hq * HD, rows);
            for (int r = threadIdx.x; r < BQ; r += RIFT_THREADS) {
                const i64 item = (i64)(i0 + r) * hq + h;
                lse2S[r] = r < rows ? ld(lse, item, lbf) * RIFT_LOG2E : 0.0f;
                DS[r] = r < rows ? D[item] : 0.0f;
            }
            __syncthreads();
            if (!warpHasKeys) continue;

            for (int c0 = 0; c0 < BQ; c0 += QC) {
                if (c0 >= rows || i0 + c0 + QC - 1 < wKey0) continue;  // warp-uniform: nothing to add
                float st_[NQ][4], dpt[NQ][4];
                productBt<KD>(st_, Ks, warp * 16, Qs, c0, S, lane);
                productBt<KD>(dpt, Vs, warp * 16, dOs, c0, S, lane);
#pragma unroll
                for (int n = 0; n < NQ; n++)
#pragma unroll
                    for (int x = 0; x < 4; x++) {
                        const int c = warp * 16 + gr + 8 * (x >> 1), r = c0 + n * 8 + 2 * tq + (x & 1);
                        const bool ok = r < rows && c < keys && j0 + c <= i0 + r;
                        const float p = ok ? exp2f(st_[n][x] * sl2 - lse2S[r]) : 0.0f;
                        st_[n][x] = p;                                     // P^T
                        dpt[n][x] = p * (dpt[n][x] - DS[r]) * scale;       // dS^T
                    }
                accumulatePx<QC / 16>(av, st_, dOs, c0, S, lane);  // dV += P^T dO
                accumulatePx<QC / 16>(ak, dpt, Qs, c0, S, lane);  // dK += dS^T Q
            }
        }
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

// Instantiations for head dimensions 64 and 128. The arguments match the fp32 kernels' so the host
// launches either the same way; the dtype flags of q, k, v and dO are unused (the host launches these
// only when those are bf16). FWD is the forward's schedule: attnForwardTc, or the opt-in attnForwardFa2
// (host: AttentionPlan.forwardFa2).
#define RIFT_ATTN_FWD_TC(NAME, FWD, HD)                                                                        \
    extern "C" __global__ void __launch_bounds__(RIFT_THREADS)                                                \
    NAME(void* out, int obf, void* lse, int lbf, const void* q, int qbf, const void* k, int kbf, const void* v, \
         int vbf, const int* tiles, int hq, int hkv, int hd, float scale) {                                   \
        FWD<HD>(out, obf, lse, lbf, static_cast<const uint16_t*>(q), static_cast<const uint16_t*>(k),          \
                static_cast<const uint16_t*>(v), tiles, hq, hkv, scale);                                       \
    }
RIFT_ATTN_FWD_TC(rift_attn_fwd_tc_hd64, attnForwardTc, 64)
RIFT_ATTN_FWD_TC(rift_attn_fwd_tc_hd128, attnForwardTc, 128)
RIFT_ATTN_FWD_TC(rift_attn_fwd_fa2_hd64, attnForwardFa2, 64)
RIFT_ATTN_FWD_TC(rift_attn_fwd_fa2_hd128, attnForwardFa2, 128)

// The backward passes likewise take their schedule: the tc kernels here, the fa2 ones in attention_fa2_bwd.cuh.
#define RIFT_ATTN_DQ_TC(NAME, DQ, HD)                                                                          \
    extern "C" __global__ void __launch_bounds__(RIFT_THREADS)                                                \
    NAME(void* dq, int dqbf, const void* dOut, int gbf, const float* D, const void* lse, int lbf, const void* q, \
         int qbf, const void* k, int kbf, const void* v, int vbf, const int* tiles, int hq, int hkv, int hd,  \
         float scale) {                                                                                       \
        DQ<HD>(dq, dqbf, static_cast<const uint16_t*>(dOut), D, lse, lbf, static_cast<const uint16_t*>(q),       \
               static_cast<const uint16_t*>(k), static_cast<const uint16_t*>(v), tiles, hq, hkv, scale);         \
    }
RIFT_ATTN_DQ_TC(rift_attn_dq_tc_hd64, attnBackwardDqTc, 64)
RIFT_ATTN_DQ_TC(rift_attn_dq_tc_hd128, attnBackwardDqTc, 128)

#define RIFT_ATTN_DKDV_TC(NAME, DKDV, HD)                                                                      \
    extern "C" __global__ void __launch_bounds__(RIFT_THREADS)                                                \
    NAME(void* dk, int dkbf, void* dv, int dvbf, const void* dOut, int gbf, const float* D, const void* lse,   \
         int lbf, const void* q, int qbf, const void* k, int kbf, const void* v, int vbf, const int* tiles,    \
         int hq, int hkv, int hd, float scale) {                                                              \
        DKDV<HD>(dk, dkbf, dv, dvbf, static_cast<const uint16_t*>(dOut), D, lse, lbf, static_cast<const uint16_t*>(q), \
                 static_cast<const uint16_t*>(k), static_cast<const uint16_t*>(v), tiles, hq, hkv, scale);       \
    }
RIFT_ATTN_DKDV_TC(rift_attn_dkdv_tc_hd64, attnBackwardDkDvTc, 64)
RIFT_ATTN_DKDV_TC(rift_attn_dkdv_tc_hd128, attnBackwardDkDvTc, 128)

/**
 * A probe of the fragment layouts the kernels above assume, for the GPU parity run: D [16][8] fp32 =
 * A [16][16] B [16][8] with A and B bf16 row-major (the host compares with its own product). mode 0
 * builds the fragments with plain per-lane loads as the PTX ISA's tables describe them; mode 1 with
 * ldmatrix (A) and ldmatrix.trans (B as [k][n]); mode 2 with ldmatrix from B stored transposed, [n][k].
 * If attention ever fails on a GPU while this passes, the layouts are not the cause.
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_mma_probe(float* d, const void* a, const void* b, int mode) {
    __shared__ __align__(16) uint16_t As[16 * 24], Bs[16 * 24], Bt[16 * 24];  // rows of 16 (+8 pad), B zero-padded to 16 columns
    const uint16_t* A = static_cast<const uint16_t*>(a);
    const uint16_t* B = static_cast<const uint16_t*>(b);
    for (int e = threadIdx.x; e < 16 * 24; e += RIFT_THREADS) {
        const int r = e / 24, c = e - r * 24;
        As[e] = c < 16 ? A[r * 16 + c] : 0;
        Bs[e] = c < 8 ? B[r * 8 + c] : 0;          // [k][n]
        Bt[e] = (c < 16 && r < 8) ? B[c * 8 + r] : 0;  // [n][k], rows 8-15 zero
    }
    __syncthreads();
    if (threadIdx.x >= 32) return;  // one warp; no barrier follows
    const int lane = threadIdx.x, g = lane >> 2, t = lane & 3;
    uint32_t fa[4], b0, b1;
    if (mode == 0) {
        const uint16_t* p = As + g * 24 + 2 * t;
        fa[0] = *reinterpret_cast<const uint32_t*>(p);
        fa[1] = *reinterpret_cast<const uint32_t*>(p + 8 * 24);
        fa[2] = *reinterpret_cast<const uint32_t*>(p + 8);
        fa[3] = *reinterpret_cast<const uint32_t*>(p + 8 * 24 + 8);
        b0 = (uint32_t)Bs[(2 * t) * 24 + g] | ((uint32_t)Bs[(2 * t + 1) * 24 + g] << 16);
        b1 = (uint32_t)Bs[(2 * t + 8) * 24 + g] | ((uint32_t)Bs[(2 * t + 9) * 24 + g] << 16);
    } else {
        loadA(fa, As, 24, 0, 0, lane);
        uint32_t bb[4];
        if (mode == 1) loadB2T(bb, Bs, 24, 0, 0, lane);
        else loadB2(bb, Bt, 24, 0, 0, lane);
        b0 = bb[0];
        b1 = bb[1];
    }
    float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    mmaBf16(acc, fa, b0, b1);
    d[g * 8 + 2 * t] = acc[0];
    d[g * 8 + 2 * t + 1] = acc[1];
    d[(g + 8) * 8 + 2 * t] = acc[2];
    d[(g + 8) * 8 + 2 * t + 1] = acc[3];
}
