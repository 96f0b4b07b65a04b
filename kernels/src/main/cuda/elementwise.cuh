// Element-wise ops: dtype conversion, residual add, scale, SwiGLU, bias, AdamW.
//
// Where the CPU reference (rift.kernels.cpu) rounds after every operation, the same operations are
// written with the explicit round-to-nearest intrinsics (__fmul_rn, __fadd_rn, ...) so the compiler
// cannot contract them into an fma: AdamW then gives the CPU's bits in fp32.
//
// The streaming kernels (convert, add, scale, SwiGLU, AdamW) move 8 elements per thread per access
// where their pointers allow (vector_io.cuh); the host launches them with a thread per 8 elements
// (CudaBackend.grid8), and the grid-stride loops cover any grid.
#pragma once

#include "common.cuh"
#include "vector_io.cuh"

extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_convert(void* dst, int dbf, const void* src, int sbf, i64 n) {
    const i64 v8 = vectorEnd(n, aligned16(dst) && aligned16(src));
    RIFT_FOR8(i, v8) {
        float x[8];
        ld8(x, src, i, sbf);
        st8(dst, i, dbf, x);
    }
    RIFT_FOR_FROM(i, v8, n) st(dst, i, dbf, ld(src, i, sbf));
}

/**
 * out = op(a, b) element by element (add, SwiGLU's forward), 8-wide where every pointer is aligned; out may
 * alias a or b (each element is read before it is written, by one thread).
 */
template <class Op>
static __device__ __forceinline__ void binaryElementwise(void* out, int obf, const void* a, int abf, const void* b, int bbf, i64 n,
                                                         Op op) {
    const i64 v8 = vectorEnd(n, aligned16(out) && aligned16(a) && aligned16(b));
    RIFT_FOR8(i, v8) {
        float x[8], y[8];
        ld8(x, a, i, abf);
        ld8(y, b, i, bbf);
#pragma unroll
        for (int k = 0; k < 8; k++) x[k] = op(x[k], y[k]);
        st8(out, i, obf, x);
    }
    RIFT_FOR_FROM(i, v8, n) st(out, i, obf, op(ld(a, i, abf), ld(b, i, bbf)));
}

struct AddOp {
    __device__ float operator()(float x, float y) const { return __fadd_rn(x, y); }
};

/** out = a + b; out may alias a or b. */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_add(void* out, int obf, const void* a, int abf, const void* b, int bbf, i64 n) {
    binaryElementwise(out, obf, a, abf, b, bbf, n, AddOp());
}

extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_scale(void* x, int bf, float s, i64 n) {
    const i64 v8 = vectorEnd(n, aligned16(x));
    RIFT_FOR8(i, v8) {
        float y[8];
        ld8(y, x, i, bf);
#pragma unroll
        for (int k = 0; k < 8; k++) y[k] = __fmul_rn(y[k], s);
        st8(x, i, bf, y);
    }
    RIFT_FOR_FROM(i, v8, n) st(x, i, bf, __fmul_rn(ld(x, i, bf), s));
}

static __device__ __forceinline__ float sigmoidf(float x) {
    return __fdiv_rn(1.0f, __fadd_rn(1.0f, expf(-x)));
}

struct SwigluOp {  // silu(g) * u = g * sigmoid(g) * u
    __device__ float operator()(float g, float u) const { return __fmul_rn(__fmul_rn(g, sigmoidf(g)), u); }
};

/** out = silu(gate) * up = gate * sigmoid(gate) * up. */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_swiglu_fwd(void* out, int obf, const void* gate, int gbf, const void* up, int ubf, i64 n) {
    binaryElementwise(out, obf, gate, gbf, up, ubf, n, SwigluOp());
}

/** The increments of swiglu's backward at one element: dGate by dOut * up * sig * (1 + gate * (1 - sig)), dUp by dOut * silu(gate). */
static __device__ __forceinline__ void swigluGrad(float g, float u, float d, float& dg, float& du) {
    const float sig = sigmoidf(g);
    dg = __fmul_rn(__fmul_rn(d, u), __fmul_rn(sig, __fadd_rn(__fmul_rn(g, __fsub_rn(1.0f, sig)), 1.0f)));
    du = __fmul_rn(d, __fmul_rn(g, sig));
}

/**
 * dGate += dOut * up * sig * (1 + gate * (1 - sig)); dUp += dOut * silu(gate); with set, = instead of +=
 * (the old values are not read; 0 + g is g, so the bits equal zeroing first). Null outputs are skipped.
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_swiglu_bwd(void* dGate, int dgbf, void* dUp, int dubf, const void* dOut, int dobf,
                const void* gate, int gbf, const void* up, int ubf, i64 n, int set) {
    const bool aligned = aligned16(dGate) && aligned16(dUp) && aligned16(dOut) && aligned16(gate) && aligned16(up);  // null is aligned
    const i64 v8 = vectorEnd(n, aligned);
    RIFT_FOR8(i, v8) {
        float g[8], u[8], d[8], dg[8], du[8];
        ld8(g, gate, i, gbf);
        ld8(u, up, i, ubf);
        ld8(d, dOut, i, dobf);
#pragma unroll
        for (int k = 0; k < 8; k++) swigluGrad(g[k], u[k], d[k], dg[k], du[k]);
        if (dGate) {
            float a[8] = {};
            if (!set) ld8(a, dGate, i, dgbf);
#pragma unroll
            for (int k = 0; k < 8; k++) a[k] = a[k] + dg[k];  // as acc: a plain (round-to-nearest) add
            st8(dGate, i, dgbf, a);
        }
        if (dUp) {
            float a[8] = {};
            if (!set) ld8(a, dUp, i, dubf);
#pragma unroll
            for (int k = 0; k < 8; k++) a[k] = a[k] + du[k];
            st8(dUp, i, dubf, a);
        }
    }
    RIFT_FOR_FROM(i, v8, n) {
        float dg, du;
        swigluGrad(ld(gate, i, gbf), ld(up, i, ubf), ld(dOut, i, dobf), dg, du);
        if (dGate) st(dGate, i, dgbf, (set ? 0.0f : ld(dGate, i, dgbf)) + dg);
        if (dUp) st(dUp, i, dubf, (set ? 0.0f : ld(dUp, i, dubf)) + du);
    }
}

/** y [rows, cols] += bias [cols] broadcast over the rows: blocks stride over rows, threads over columns. */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_add_bias(void* y, int ybf, const void* bias, int bbf, int rows, int cols) {
    for (int r = blockIdx.x; r < rows; r += gridDim.x)
        for (int c = threadIdx.x; c < cols; c += blockDim.x) acc(y, (i64)r * cols + c, ybf, ld(bias, c, bbf));
}

/**
 * Column sums, pass 1: partial[col, c] = sum over rows [c * rowsPerChunk, ...) of x[row, col] (double),
 * or of x * y * s[row] when y is given (RMSNorm's dw: dOut * x * rstd). One thread per (chunk, column),
 * consecutive threads on consecutive columns of one chunk (coalesced reads); a chunk is a few dozen rows,
 * so no thread walks a long serial loop. The partials are stored column-major for pass 2's reads.
 * Grid-stride over cols * chunks threads.
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_colsum_partial(double* partial, const void* x, int xbf, const void* y, int ybf, const void* s, int sbf,
                    int rows, int cols, int rowsPerChunk, int chunks) {
    for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (i64)cols * chunks; i += (i64)gridDim.x * blockDim.x) {
        int col = (int)(i % cols), chunk = (int)(i / cols);
        int r0 = chunk * rowsPerChunk, r1 = min(rows, r0 + rowsPerChunk);
        double sum = 0.0;
        for (int r = r0; r < r1; r++) {
            i64 o = (i64)r * cols + col;
            if (y) {
                // as the CPU's dw partial: (dOut * x) * rstd, each product rounded to float
                sum += (double)__fmul_rn(__fmul_rn(ld(x, o, xbf), ld(y, o, ybf)), ld(s, r, sbf));
            } else {
                sum += (double)ld(x, o, xbf);
            }
        }
        partial[(i64)col * chunks + chunk] = sum;
    }
}

/**
 * Column sums, pass 2: out[col] += (float) the sum of column col's chunk partials, one block per column:
 * thread t takes chunks t, t + 256, ..., then a fixed tree (blockSum). Deterministic, no atomics. (One
 * thread per column looping over every chunk put a per-head norm's 128 columns on one block, 256 loads
 * each, while the other SMs idled.)
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_colsum_finish(void* out, int obf, const double* partial, int chunks) {
    __shared__ double red[RIFT_WARPS];
    int col = blockIdx.x;
    const double* p = partial + (i64)col * chunks;
    double sum = 0.0;
    for (int c = threadIdx.x; c < chunks; c += blockDim.x) sum += p[c];
    sum = blockSum(sum, red);
    if (threadIdx.x == 0) acc(out, col, obf, (float)sum);
}

/**
 * One element of AdamW (torch's single-tensor path, see rift.kernels.cpu.AdamW): the host computes the
 * scalars exactly as the CPU does; here the per-element float operations follow it one rounding at a
 * time. The single- and multi-tensor kernels both call this, so their results are the same bits.
 * shadow (may be null): also store the new value there (bf16 weights kept beside fp32 masters).
 */
static __device__ __forceinline__ void adamwMath(float& p, float g, float& m, float& v, float gradScale, float w1, float beta2,
                                                 float w2, float bc2Sqrt, float eps, float decay, float negStep) {
    float gi = __fmul_rn(g, gradScale);
    float mo = m;
    m = fmaf(__fsub_rn(gi, mo), w1, mo);
    v = __fadd_rn(__fmul_rn(v, beta2), __fmul_rn(__fmul_rn(gi, w2), gi));
    float denom = __fadd_rn(__fdiv_rn(__fsqrt_rn(v), bc2Sqrt), eps);
    p = __fadd_rn(__fmul_rn(p, decay), __fmul_rn(__fdiv_rn(m, denom), negStep));
}

static __device__ __forceinline__ void adamwElement(void* p, int pbf, const void* g, int gbf, void* m, int mbf, void* v,
                                                    int vbf, void* shadow, int sbf, i64 i, float gradScale, float w1,
                                                    float beta2, float w2, float bc2Sqrt, float eps, float decay,
                                                    float negStep) {
    float pi = ld(p, i, pbf), mi = ld(m, i, mbf), vi = ld(v, i, vbf);
    adamwMath(pi, ld(g, i, gbf), mi, vi, gradScale, w1, beta2, w2, bc2Sqrt, eps, decay, negStep);
    st(m, i, mbf, mi);
    st(v, i, vbf, vi);
    st(p, i, pbf, pi);
    if (shadow) st(shadow, i, sbf, pi);  // the model's (bf16) copy of an fp32 master weight, in the same pass
}

/** adamwElement for elements i .. i+7 through 8-wide accesses (every pointer 16-byte aligned, i a multiple of 8). */
static __device__ __forceinline__ void adamwElements8(void* p, int pbf, const void* g, int gbf, void* m, int mbf, void* v,
                                                      int vbf, void* shadow, int sbf, i64 i, float gradScale, float w1,
                                                      float beta2, float w2, float bc2Sqrt, float eps, float decay,
                                                      float negStep) {
    float pi[8], gi[8], mi[8], vi[8];
    ld8(pi, p, i, pbf);
    ld8(gi, g, i, gbf);
    ld8(mi, m, i, mbf);
    ld8(vi, v, i, vbf);
#pragma unroll
    for (int k = 0; k < 8; k++) adamwMath(pi[k], gi[k], mi[k], vi[k], gradScale, w1, beta2, w2, bc2Sqrt, eps, decay, negStep);
    st8(m, i, mbf, mi);
    st8(v, i, vbf, vi);
    st8(p, i, pbf, pi);
    if (shadow) st8(shadow, i, sbf, pi);
}

/** AdamW over one tensor (scalars as in adamwElement). */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_adamw(void* p, int pbf, const void* g, int gbf, void* m, int mbf, void* v, int vbf, i64 n,
           float gradScale, float w1, float beta2, float w2, float bc2Sqrt, float eps, float decay, float negStep,
           void* shadow, int sbf) {
    const i64 v8 = vectorEnd(n, aligned16(p) && aligned16(g) && aligned16(m) && aligned16(v) && aligned16(shadow));
    RIFT_FOR8(i, v8) adamwElements8(p, pbf, g, gbf, m, mbf, v, vbf, shadow, sbf, i, gradScale, w1, beta2, w2, bc2Sqrt, eps, decay, negStep);
    RIFT_FOR_FROM(i, v8, n) adamwElement(p, pbf, g, gbf, m, mbf, v, vbf, shadow, sbf, i, gradScale, w1, beta2, w2, bc2Sqrt, eps, decay, negStep);
}

/**
 * The slot whose blocks hold block b in a multi-tensor launch: the last slot with firstBlock <= b.
 * Slots are in grid order and an empty tensor owns no blocks (its firstBlock equals the next slot's),
 * so the last such slot is the one that owns b.
 */
template <class Slot>
static __device__ __forceinline__ int slotOfBlock(const Slot* slots, int count, int b) {
    int lo = 0, hi = count - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) >> 1;
        if (slots[mid].firstBlock <= b) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

/**
 * One tensor of a multi-tensor AdamW launch, written by rift.kernels.cuda.CudaMultiTensor as 16 ints
 * (little-endian halves for the 64-bit fields). dtypes: bit 0 p, 1 g, 2 m, 3 v, 4 shadow; 1 = bf16.
 */
struct AdamwSlot {
    void* p;
    const void* g;
    void* m;
    void* v;
    void* shadow;  // null: none
    i64 n;
    float decay;  // 1 - lr * weightDecay of this tensor
    int dtypes;
    int firstBlock;  // this tensor's first block in the grid
    int unused;
};
static_assert(sizeof(AdamwSlot) == 64, "CudaMultiTensor writes 16 ints per AdamW slot");

/**
 * AdamW over many tensors in one launch (a training step has hundreds, many of them tiny norm weights,
 * and each launch costs more host time than such a tensor's update). Block b updates elements
 * [(b - firstBlock) * chunk, + chunk) of its slot's tensor; every element gets adamwElement with the
 * shared scalars and its tensor's decay, so the bits equal one rift_adamw per tensor.
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_adamw_multi(const AdamwSlot* slots, int count, int chunk, float gradScale, float w1, float beta2, float w2,
                 float bc2Sqrt, float eps, float negStep) {
    const AdamwSlot& s = slots[slotOfBlock(slots, count, blockIdx.x)];
    i64 start = (i64)(blockIdx.x - s.firstBlock) * chunk, end = min(s.n, start + chunk);
    int f = s.dtypes;
    // chunk is a multiple of 8, so start is too: 8-wide up to end rounded down to 8 when every pointer is aligned
    const bool aligned = aligned16(s.p) && aligned16(s.g) && aligned16(s.m) && aligned16(s.v) && aligned16(s.shadow);
    const i64 wide = aligned ? start + ((end - start) & ~(i64)7) : start;
    for (i64 i = start + 8 * (i64)threadIdx.x; i < wide; i += 8 * (i64)blockDim.x) {
        adamwElements8(s.p, f & 1, s.g, (f >> 1) & 1, s.m, (f >> 2) & 1, s.v, (f >> 3) & 1, s.shadow, (f >> 4) & 1, i,
                       gradScale, w1, beta2, w2, bc2Sqrt, eps, s.decay, negStep);
    }
    for (i64 i = wide + threadIdx.x; i < end; i += blockDim.x) {
        adamwElement(s.p, f & 1, s.g, (f >> 1) & 1, s.m, (f >> 2) & 1, s.v, (f >> 3) & 1, s.shadow, (f >> 4) & 1, i,
                     gradScale, w1, beta2, w2, bc2Sqrt, eps, s.decay, negStep);
    }
}

/**
 * Sum of squares, pass 1 for one chunk: sum of (double) x[i]^2 over [part * chunk, (part + 1) * chunk),
 * a fixed tree over the block. The chunking depends on n only, so the result is the same on every GPU.
 */
static __device__ __forceinline__ double sumsqChunk(const void* x, int bf, i64 n, i64 chunk, int part, double* red) {
    i64 start = (i64)part * chunk, end = min(n, start + chunk);
    double s = 0.0;
    for (i64 i = start + threadIdx.x; i < end; i += blockDim.x) {
        double d = (double)ld(x, i, bf);
        s = fma(d, d, s);
    }
    return blockSum(s, red);
}

/** Sum of squares, pass 2: the sum of `parts` partials in a fixed tree (0 when there are none). */
static __device__ __forceinline__ double sumParts(const double* partial, int parts, double* red) {
    double s = 0.0;
    for (int i = threadIdx.x; i < parts; i += blockDim.x) s += partial[i];
    return blockSum(s, red);
}

/** Sum of squares, pass 1 over one tensor: block b writes partial[b]. */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_sumsq_partial(double* partial, const void* x, int bf, i64 n, i64 chunk) {
    __shared__ double red[RIFT_WARPS];
    double s = sumsqChunk(x, bf, n, chunk, blockIdx.x, red);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

/** Sum of squares, pass 2 (one block): out[0] = sum of the partials (fixed tree). */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_sum_finish(double* out, const double* partial, int parts) {
    __shared__ double red[RIFT_WARPS];
    double s = sumParts(partial, parts, red);
    if (threadIdx.x == 0) out[0] = s;
}

/**
 * One tensor of a multi-tensor sum of squares, written by rift.kernels.cuda.CudaMultiTensor as 10 ints:
 * the same chunking as the single-tensor path (parts = min(1024, ceil(n / 4096)), chunk = ceil(n / parts)).
 */
struct SumsqSlot {
    const void* x;
    i64 n;
    i64 chunk;
    int bf;
    int parts;       // 0 for an empty tensor
    int firstBlock;  // this tensor's first block in the pass-1 grid
    int unused;
};
static_assert(sizeof(SumsqSlot) == 40, "CudaMultiTensor writes 10 ints per sum-of-squares slot");

/** Pass 1 over many tensors in one launch: tensor t's part j lands in partial[1024 * t + j], as its own pass 1 would. */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_sumsq_partial_multi(double* partial, const SumsqSlot* slots, int count) {
    __shared__ double red[RIFT_WARPS];
    int t = slotOfBlock(slots, count, blockIdx.x);
    const SumsqSlot& s = slots[t];
    int part = blockIdx.x - s.firstBlock;
    double sum = sumsqChunk(s.x, s.bf, s.n, s.chunk, part, red);
    if (threadIdx.x == 0) partial[(i64)1024 * t + part] = sum;
}

/** Pass 2 over many tensors: block t sums tensor t's partials into out[t] (0 for an empty tensor). */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_sum_finish_multi(double* out, const double* partial, const SumsqSlot* slots) {
    __shared__ double red[RIFT_WARPS];
    double s = sumParts(partial + (i64)1024 * blockIdx.x, slots[blockIdx.x].parts, red);
    if (threadIdx.x == 0) out[blockIdx.x] = s;
}

/** One tensor of a multi-tensor zero, written by rift.kernels.cuda.CudaMultiTensor as 6 ints. */
struct ZeroSlot {
    void* p;
    i64 bytes;       // even: every tensor holds fp32 or bf16
    int firstBlock;  // this tensor's first block in the grid
    int unused;
};
static_assert(sizeof(ZeroSlot) == 24, "CudaMultiTensor writes 6 ints per zero slot");

/**
 * Zeroes many tensors in one launch (a step's gradients are hundreds of tensors: one memset each cost
 * more host time than the GPU spent). Block b clears bytes [(b - firstBlock) * chunk, + chunk) of its
 * slot's tensor (chunk a multiple of 16): 16-byte stores where the tensor is 16-byte aligned, 2-byte
 * stores for the tail and for unaligned tensors.
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_zero_multi(const ZeroSlot* slots, int count, int chunk) {
    const ZeroSlot& s = slots[slotOfBlock(slots, count, blockIdx.x)];
    i64 start = (i64)(blockIdx.x - s.firstBlock) * chunk, end = min(s.bytes, start + chunk);
    char* base = static_cast<char*>(s.p);
    i64 wide = start;
    if ((reinterpret_cast<uintptr_t>(base) & 15) == 0) {
        wide = start + ((end - start) & ~(i64)15);
        for (i64 i = start + 16 * (i64)threadIdx.x; i < wide; i += 16 * (i64)blockDim.x)
            *reinterpret_cast<uint4*>(base + i) = make_uint4(0u, 0u, 0u, 0u);
    }
    for (i64 i = wide + 2 * (i64)threadIdx.x; i < end; i += 2 * (i64)blockDim.x) *reinterpret_cast<uint16_t*>(base + i) = 0;
}

/**
 * Row copies with index maps: dst row (dstIdx ? dstIdx[r] : r) = src row (srcIdx ? srcIdx[r] : r),
 * rows of `width` elements. kvWrite passes dstIdx = slot * maxT + pos, gatherRows passes srcIdx.
 * Grid (count, ceil(width / 256)).
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_copy_rows(void* dst, int dbf, const int* dstIdx, const void* src, int sbf, const int* srcIdx, int width, int count) {
    int r = blockIdx.x;
    int c = blockIdx.y * blockDim.x + threadIdx.x;
    if (r >= count || c >= width) return;
    i64 dr = dstIdx ? dstIdx[r] : r, sr = srcIdx ? srcIdx[r] : r;
    st(dst, dr * width + c, dbf, ld(src, sr * width + c, sbf));
}

/**
 * rift_copy_rows for two (dst, src) pairs that share their destination rows: a KV cache write of the
 * keys (blockIdx.x < count) and the values (the rest) in one launch. src rows are 0 .. count-1.
 * Grid (2 count, ceil(width / 256)); the host checked that the rows are inside both destinations.
 */
extern "C" __global__ void __launch_bounds__(RIFT_THREADS)
rift_copy_rows_pair(void* dst0, int d0bf, const void* src0, int s0bf, void* dst1, int d1bf, const void* src1, int s1bf,
                    const int* dstIdx, int width, int count) {
    const int second = blockIdx.x >= count, r = blockIdx.x - second * count;
    int c = blockIdx.y * blockDim.x + threadIdx.x;
    if (r >= count || c >= width) return;
    void* dst = second ? dst1 : dst0;
    const void* src = second ? src1 : src0;
    st(dst, (i64)dstIdx[r] * width + c, second ? d1bf : d0bf, ld(src, (i64)r * width + c, second ? s1bf : s0bf));
}
