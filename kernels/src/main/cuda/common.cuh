// Shared helpers of rift's CUDA kernels: typed loads/stores and deterministic reductions.
//
// Every tensor argument comes with a dtype flag (0 = fp32, 1 = bf16) chosen at run time by the Java
// side (rift.kernels.cuda.DType). The branch on it is uniform across a warp, so it costs a predicate,
// and one kernel serves every storage mix (bf16 activations with fp32 master weights, fp32 parity
// runs). Arithmetic is always fp32 (or double where the CPU reference uses double).
//
// Reductions are fixed trees (xor butterflies inside a warp, then warp partials in warp order), so a
// kernel gives the same bits on every run for the same launch shape: no float atomics anywhere.
#pragma once

#include <cuda_bf16.h>
#include <math.h>
#include <stdint.h>

typedef long long i64;

#define RIFT_THREADS 256

// Dynamic shared memory. The tests also compile these sources as host C++ against a CPU emulator
// (kernels/src/test/cuda-emu), which hands each block its buffer through a function instead.
#ifdef RIFT_CUDA_EMU
#define RIFT_DYNAMIC_SHARED(T, name) T* name = static_cast<T*>(rift_emu_dynamic_shared())
#else
#define RIFT_DYNAMIC_SHARED(T, name) extern __shared__ T name[]
#endif
#define RIFT_WARPS (RIFT_THREADS / 32)

static __device__ __forceinline__ float ld(const void* p, i64 i, int bf) {
    if (bf) return __bfloat162float(reinterpret_cast<const __nv_bfloat16*>(p)[i]);
    return reinterpret_cast<const float*>(p)[i];
}

static __device__ __forceinline__ void st(void* p, i64 i, int bf, float v) {
    if (bf) {
        reinterpret_cast<__nv_bfloat16*>(p)[i] = __float2bfloat16_rn(v);
    } else {
        reinterpret_cast<float*>(p)[i] = v;
    }
}

/** dst[i] += v, read-modify-write: the element is owned by exactly one thread. */
static __device__ __forceinline__ void acc(void* p, i64 i, int bf, float v) {
    st(p, i, bf, ld(p, i, bf) + v);
}

template <typename T>
static __device__ __forceinline__ T warpSum(T v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

template <typename T>
static __device__ __forceinline__ T warpMax(T v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

/** Sum over the 16 lanes of a half warp (lanes 0-15 and 16-31 reduce separately). */
static __device__ __forceinline__ float halfWarpSum(float v) {
#pragma unroll
    for (int o = 8; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

static __device__ __forceinline__ float halfWarpMax(float v) {
#pragma unroll
    for (int o = 8; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

/**
 * Sum over a block of RIFT_THREADS threads; every thread gets the result. red needs RIFT_WARPS
 * entries. Starts with a barrier, so red may be reused by consecutive calls.
 */
template <typename T>
static __device__ __forceinline__ T blockSum(T v, T* red) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = warpSum(v);
    __syncthreads();
    if (lane == 0) red[warp] = v;
    __syncthreads();
    T s = red[0];
#pragma unroll
    for (int w = 1; w < RIFT_WARPS; w++) s += red[w];
    return s;
}

static __device__ __forceinline__ float blockMax(float v, float* red) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = warpMax(v);
    __syncthreads();
    if (lane == 0) red[warp] = v;
    __syncthreads();
    float s = red[0];
#pragma unroll
    for (int w = 1; w < RIFT_WARPS; w++) s = fmaxf(s, red[w]);
    return s;
}

/** Grid-stride loop over [0, n) with 64-bit indices. */
#define RIFT_FOR(i, n) \
    for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64)blockDim.x * gridDim.x)
