// A CPU stand-in for the CUDA C++ that rift's kernels use, so the tests can compile
// kernels/src/main/cuda as host C++ (g++) and run every kernel on machines without a GPU
// (CudaEmulatorTest). Force-included before the sources (-include cuda_emu.h).
//
// A block's 256 threads are fibers (ucontext) on one OS thread, run one after another between
// barriers: __syncthreads and warp shuffles are real rendezvous points (emu_runtime.cpp checks that
// every live thread of the block, or of the warp, reaches them), and because a thread runs its whole
// stretch before the next one starts, a missing barrier between writing and reading shared memory
// shows up as wrong results. Blocks run one at a time, so `static` serves as __shared__.
#pragma once
#define RIFT_CUDA_EMU 1

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <type_traits>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))

struct dim3 {
    unsigned x, y, z;
};

extern dim3 blockIdx, blockDim, gridDim;
const dim3& rift_emu_thread_idx();
#define threadIdx (rift_emu_thread_idx())

void* rift_emu_dynamic_shared();
void rift_emu_syncthreads();
void rift_emu_syncwarp();
void* rift_emu_warp_buffer();
int rift_emu_lane();

inline void __syncthreads() { rift_emu_syncthreads(); }

/** Butterfly exchange within a warp: every lane publishes its value, then reads its partner's. */
template <class T>
inline T __shfl_xor_sync(unsigned, T v, int laneMask) {
    static_assert(sizeof(T) <= 8, "shuffle of at most 8 bytes");
    T* buf = static_cast<T*>(rift_emu_warp_buffer());
    int lane = rift_emu_lane();
    buf[lane] = v;
    rift_emu_syncwarp();
    T r = buf[lane ^ laneMask];
    rift_emu_syncwarp();
    return r;
}

/**
 * mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32, D = A B + C, with the PTX ISA's fragment
 * layout (lane = 4 * groupID + threadID_in_group; each 32-bit register holds two bf16, the lower
 * column or row in the low half):
 *   A 16x16: a[0] (row g, cols 2t, 2t+1), a[1] (row g+8, same cols), a[2] (row g, cols 2t+8, 2t+9), a[3] (row g+8, ...)
 *   B 16x8:  b0 (rows 2t, 2t+1 of column g), b1 (rows 2t+8, 2t+9 of column g)
 *   C/D 16x8: d[0], d[1] (row g, cols 2t, 2t+1), d[2], d[3] (row g+8, same cols)
 * Every lane publishes its fragments, then computes its own four outputs from the whole warp's.
 */
inline float rift_emu_bf16_half(uint32_t reg, int high) {
    uint32_t u = (high ? reg >> 16 : reg & 0xffffu) << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

inline void rift_emu_mma_bf16_16816(float d[4], const uint32_t a[4], uint32_t b0, uint32_t b1) {
    uint32_t* buf = static_cast<uint32_t*>(rift_emu_warp_buffer()) + 64;  // past the shuffle slots (shared with ldmatrix)
    int lane = rift_emu_lane();
    for (int i = 0; i < 4; i++) buf[6 * lane + i] = a[i];
    buf[6 * lane + 4] = b0;
    buf[6 * lane + 5] = b1;
    rift_emu_syncwarp();
    float r[4];
    for (int e = 0; e < 4; e++) {
        int row = (lane >> 2) + 8 * (e >> 1), col = 2 * (lane & 3) + (e & 1);
        float s = d[e];
        for (int k = 0; k < 16; k++) {
            int aLane = 4 * (row & 7) + ((k & 7) >> 1), aReg = (row >> 3) + 2 * (k >> 3);
            int bLane = 4 * col + ((k & 7) >> 1), bReg = k >> 3;
            s += rift_emu_bf16_half(buf[6 * aLane + aReg], k & 1) * rift_emu_bf16_half(buf[6 * bLane + 4 + bReg], k & 1);
        }
        r[e] = s;
    }
    rift_emu_syncwarp();
    for (int e = 0; e < 4; e++) d[e] = r[e];
}

/**
 * ldmatrix.sync.aligned.m8n8.x4[.trans].shared.b16: lane L gives the address of row L % 8 of the 8x8
 * matrix L / 8 (16 contiguous bytes); r[i] receives this lane's fragment of matrix i: lane 4g + t holds
 * row g, columns 2t and 2t+1 (low half first), or with .trans rows 2t and 2t+1 of column g.
 */
inline void rift_emu_ldmatrix_x4(uint32_t r[4], const void* row, bool trans) {
    const uint16_t** rows = reinterpret_cast<const uint16_t**>(static_cast<double*>(rift_emu_warp_buffer()) + 32);
    int lane = rift_emu_lane();
    rows[lane] = static_cast<const uint16_t*>(row);
    rift_emu_syncwarp();
    int g = lane >> 2, t = lane & 3;
    uint32_t out[4];
    for (int i = 0; i < 4; i++) {
        const uint16_t* const* m = rows + 8 * i;
        uint16_t lo = trans ? m[2 * t][g] : m[g][2 * t], hi = trans ? m[2 * t + 1][g] : m[g][2 * t + 1];
        out[i] = (uint32_t)lo | ((uint32_t)hi << 16);
    }
    rift_emu_syncwarp();
    for (int i = 0; i < 4; i++) r[i] = out[i];
}

struct alignas(16) float4 {
    float x, y, z, w;
};

struct alignas(16) uint4 {
    unsigned x, y, z, w;
};
inline uint4 make_uint4(unsigned x, unsigned y, unsigned z, unsigned w) { return uint4{x, y, z, w}; }
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }

inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return sqrtf(a); }

template <class A, class B>
inline typename std::common_type<A, B>::type min(A a, B b) { return a < b ? a : b; }
template <class A, class B>
inline typename std::common_type<A, B>::type max(A a, B b) { return a < b ? b : a; }
