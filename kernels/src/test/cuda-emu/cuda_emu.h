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

inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return sqrtf(a); }

template <class A, class B>
inline typename std::common_type<A, B>::type min(A a, B b) { return a < b ? a : b; }
template <class A, class B>
inline typename std::common_type<A, B>::type max(A a, B b) { return a < b ? b : a; }
