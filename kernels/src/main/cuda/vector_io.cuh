// Eight consecutive elements per access: one 16-byte load or store in bf16, two in fp32. A scalar
// element-wise kernel keeps one 2- or 4-byte load in flight per thread, far too little to cover HBM's
// latency; eight elements per thread move 4-8x the bytes per instruction. Kernels take this path when
// every pointer they touch is 16-byte aligned (rift's allocations are; row views are when their offsets
// are multiples of 8 elements) and finish the last n % 8 elements, or everything when a pointer is not
// aligned, with ld/st. The values are exactly ld's and st's, so the results are the same bits either way.
#pragma once

#include "common.cuh"

static __device__ __forceinline__ bool aligned16(const void* p) {
    return (reinterpret_cast<uintptr_t>(p) & 15) == 0;
}

#ifdef RIFT_CUDA_EMU
static __device__ __forceinline__ float bf16BitsToFloat(uint32_t h) {
    uint32_t u = h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static __device__ __forceinline__ uint32_t floatToBf16Bits(float f) { return __float2bfloat16_rn(f).bits; }
#else
static __device__ __forceinline__ float bf16BitsToFloat(uint32_t h) { return __uint_as_float(h << 16); }
static __device__ __forceinline__ uint32_t floatToBf16Bits(float f) { return __bfloat16_as_ushort(__float2bfloat16_rn(f)); }
#endif

/** v[k] = element i + k, k < 8, as ld reads it (i a multiple of 8, p 16-byte aligned). */
static __device__ __forceinline__ void ld8(float (&v)[8], const void* p, i64 i, int bf) {
    if (bf) {
        const uint4 r = *reinterpret_cast<const uint4*>(static_cast<const uint16_t*>(p) + i);
        const uint32_t w[4] = {r.x, r.y, r.z, r.w};
#pragma unroll
        for (int k = 0; k < 4; k++) {
            v[2 * k] = bf16BitsToFloat(w[k] & 0xffffu);  // the lower address in the low half (little-endian)
            v[2 * k + 1] = bf16BitsToFloat(w[k] >> 16);
        }
    } else {
        const float4* q = reinterpret_cast<const float4*>(static_cast<const float*>(p) + i);
        const float4 a = q[0], b = q[1];
        v[0] = a.x; v[1] = a.y; v[2] = a.z; v[3] = a.w;
        v[4] = b.x; v[5] = b.y; v[6] = b.z; v[7] = b.w;
    }
}

/** Element i + k = v[k], k < 8, as st writes it (rounded to nearest even in bf16). */
static __device__ __forceinline__ void st8(void* p, i64 i, int bf, const float (&v)[8]) {
    if (bf) {
        uint32_t w[4];
#pragma unroll
        for (int k = 0; k < 4; k++) w[k] = floatToBf16Bits(v[2 * k]) | (floatToBf16Bits(v[2 * k + 1]) << 16);
        *reinterpret_cast<uint4*>(static_cast<uint16_t*>(p) + i) = make_uint4(w[0], w[1], w[2], w[3]);
    } else {
        float4* q = reinterpret_cast<float4*>(static_cast<float*>(p) + i);
        q[0] = make_float4(v[0], v[1], v[2], v[3]);
        q[1] = make_float4(v[4], v[5], v[6], v[7]);
    }
}

/** Where an element-wise kernel's 8-wide part of [0, n) ends: n rounded down to 8 when aligned, else 0. */
static __device__ __forceinline__ i64 vectorEnd(i64 n, bool aligned) {
    return aligned ? (n & ~(i64)7) : 0;
}

/** Grid-stride loop over the groups of 8 in [0, end) (end a multiple of 8): i is each group's first element. */
#define RIFT_FOR8(i, end) \
    for (i64 i = 8 * ((i64)blockIdx.x * blockDim.x + threadIdx.x); i < (end); i += 8 * (i64)blockDim.x * gridDim.x)

/** Grid-stride loop over [start, n), one element per thread. */
#define RIFT_FOR_FROM(i, start, n) \
    for (i64 i = (start) + (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64)blockDim.x * gridDim.x)
