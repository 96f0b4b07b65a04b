// The CPU emulator's runtime (see cuda_emu.h): fiber scheduling of a block's threads, launches by
// kernel name, guarded allocations and a column-major GEMM with cuBLAS's semantics.
// C entry points (rift_emu_*) are called from Java through FFM (EmuGpu.java).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "../../main/cuda/rift_kernels.cu"

dim3 blockIdx, blockDim, gridDim;

#if !defined(__x86_64__)
#error "the CUDA emulator's fiber switch is written for x86-64"
#endif

// Saves the callee-saved registers (System V x86-64) on the current stack, stores the stack pointer
// in *save, switches to the stack `next` and restores its registers: a minimal coroutine switch
// (swapcontext would also make a signal-mask system call on every switch).
extern "C" void rift_emu_switch(void** save, void* next);
asm(R"(
    .text
    .globl rift_emu_switch
    .type rift_emu_switch, @function
rift_emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size rift_emu_switch, .-rift_emu_switch
)");

namespace {
enum State { READY, WAIT_BLOCK, WAIT_WARP, DONE };
struct Fiber {
    void* sp;  // saved stack pointer while switched out
    dim3 tid;
    State state;
};
constexpr int kThreads = RIFT_THREADS;
constexpr size_t kStack = 256 * 1024;
Fiber fibers[kThreads];
char* stacks = nullptr;
void* schedulerSp = nullptr;
Fiber* current = nullptr;
char* dynamicShared = nullptr;  // guarded (rift_emu_alloc): overruns fault
size_t dynamicBytes = 0;
alignas(16) double warpBuffers[kThreads / 32][128];  // shuffles use 32 entries, the mma emulation 96
void (*thunk)(void**) = nullptr;
void** thunkParams = nullptr;
std::string lastError;

void entry() {
    thunk(thunkParams);
    current->state = DONE;
    rift_emu_switch(&current->sp, schedulerSp);
    __builtin_unreachable();
}

void yield(State s) {
    current->state = s;
    rift_emu_switch(&current->sp, schedulerSp);
}

/** A fresh stack whose first switch-in "returns" into entry() with the ABI's alignment. */
void* initialStack(char* base, size_t size) {
    uintptr_t top = ((uintptr_t)(base + size)) & ~(uintptr_t)15;
    void** sp = reinterpret_cast<void**>(top);
    *--sp = nullptr;                                    // keeps rsp = 8 (mod 16) at entry, as after a call
    *--sp = reinterpret_cast<void*>(&entry);            // where rift_emu_switch's ret goes
    for (int i = 0; i < 6; i++) *--sp = nullptr;        // rbp, rbx, r12-r15 popped by the switch
    return sp;
}

/**
 * Runs one block to completion; false (with lastError) when a barrier is not reached by every live
 * thread of the block (or a shuffle by every lane of its warp).
 *
 * Schedule: between two block barriers the warps run one after another (lowest first, or highest
 * first when `reverse`), each through all of its shuffles up to the next __syncthreads before the
 * next warp starts; inside a warp the lanes run one after another between shuffles. So within a phase
 * a warp never sees shared-memory writes of a later warp of the same phase, and always sees those
 * of earlier ones: a missing __syncthreads between a write phase and a read phase (or a read phase
 * and an overwrite) produces wrong results instead of a silent race.
 */
bool runBlock(bool reverse) {
    for (int t = 0; t < kThreads; t++) {
        Fiber& f = fibers[t];
        f.tid = dim3{(unsigned)t, 0, 0};
        f.state = READY;
        f.sp = initialStack(stacks + (size_t)t * kStack, kStack);
    }
    // shared memory starts as NaN: a read of a value no thread wrote poisons the result
    if (dynamicBytes) memset(dynamicShared, 0xff, dynamicBytes);
    constexpr int kWarps = kThreads / 32;
    for (;;) {
        for (int i = 0; i < kWarps; i++) {
            const int w = reverse ? kWarps - 1 - i : i;
            for (;;) {
                for (int l = 0; l < 32; l++) {
                    Fiber& f = fibers[w * 32 + l];
                    if (f.state != READY) continue;
                    current = &f;
                    rift_emu_switch(&schedulerSp, f.sp);
                }
                int wDone = 0, wWarp = 0, wBlock = 0;
                for (int l = 0; l < 32; l++) {
                    State st = fibers[w * 32 + l].state;
                    wDone += st == DONE;
                    wWarp += st == WAIT_WARP;
                    wBlock += st == WAIT_BLOCK;
                }
                if (wWarp == 0) break;  // the warp is at the block barrier, or finished
                if (wWarp != 32) {
                    lastError = "warp " + std::to_string(w) + ": " + std::to_string(wWarp) + " lanes wait in a shuffle, " +
                                std::to_string(wBlock) + " at a block barrier, " + std::to_string(wDone) + " exited";
                    return false;
                }
                for (int l = 0; l < 32; l++) fibers[w * 32 + l].state = READY;
            }
        }
        int done = 0;
        for (int t = 0; t < kThreads; t++) done += fibers[t].state == DONE;
        if (done == kThreads) return true;
        if (done > 0) {
            lastError = std::to_string(kThreads - done) + " threads wait at __syncthreads after " + std::to_string(done) +
                        " threads of the block exited";
            return false;
        }
        for (int t = 0; t < kThreads; t++) fibers[t].state = READY;  // everyone is at the barrier
    }
}

template <class... A, size_t... I>
void invoke(void (*f)(A...), void** p, std::index_sequence<I...>) {
    f(*static_cast<A*>(p[I])...);
}

template <class... A>
constexpr size_t arity(void (*)(A...)) {
    return sizeof...(A);
}

template <auto F>
void launch(void** p) {
    invoke(F, p, std::make_index_sequence<arity(F)>{});
}

struct Entry {
    const char* name;
    void (*fn)(void**);
};
#define K(name) {#name, &launch<&name>},
const Entry kKernels[] = {
#include "emu_table.inc"
};
#undef K

struct Region {
    char* base;
    size_t total;
};
std::map<void*, Region> regions;
}  // namespace

const dim3& rift_emu_thread_idx() { return current->tid; }
void* rift_emu_dynamic_shared() { return dynamicShared; }
void rift_emu_syncthreads() { yield(WAIT_BLOCK); }
void rift_emu_syncwarp() { yield(WAIT_WARP); }
void* rift_emu_warp_buffer() { return warpBuffers[current->tid.x >> 5]; }
int rift_emu_lane() { return (int)(current->tid.x & 31); }

extern "C" void* rift_emu_alloc(long long bytes);
extern "C" int rift_emu_free(void* p);

extern "C" const char* rift_emu_last_error() { return lastError.c_str(); }

extern "C" int rift_emu_launch(const char* name, int gx, int gy, int sharedBytes, void** params) {
    void (*fn)(void**) = nullptr;
    for (const Entry& e : kKernels) {
        if (strcmp(e.name, name) == 0) fn = e.fn;
    }
    if (!fn) {
        lastError = std::string("no kernel named ") + name;
        return 1;
    }
    if (!stacks) stacks = static_cast<char*>(malloc((size_t)kThreads * kStack));
    dynamicBytes = (size_t)sharedBytes;
    dynamicShared = dynamicBytes ? static_cast<char*>(rift_emu_alloc((long long)dynamicBytes)) : nullptr;
    gridDim = dim3{(unsigned)gx, (unsigned)gy, 1};
    blockDim = dim3{(unsigned)kThreads, 1, 1};
    thunk = fn;
    thunkParams = params;
    for (int by = 0; by < gy; by++) {
        for (int bx = 0; bx < gx; bx++) {
            blockIdx = dim3{(unsigned)bx, (unsigned)by, 0};
            if (!runBlock(((bx + by) & 1) != 0)) {
                lastError = std::string(name) + " block (" + std::to_string(bx) + ", " + std::to_string(by) + "): " + lastError;
                if (dynamicShared) rift_emu_free(dynamicShared);
                dynamicShared = nullptr;
                return 2;
            }
        }
    }
    if (dynamicShared) rift_emu_free(dynamicShared);
    dynamicShared = nullptr;
    return 0;
}

/**
 * A "device" allocation: its end is flush against an inaccessible page (after at most 15 bytes of
 * padding that keep its start 16-byte aligned) and another one sits before it, so reading or writing
 * past either end faults at once. Filled with 0xff bytes (NaN as floats):
 * reading memory nobody wrote shows up in the results.
 */
extern "C" void* rift_emu_alloc(long long bytes) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    // the start is 16-byte aligned, as every cuMemAlloc address is (256 there): kernels may read 16 bytes
    // at a time from a buffer's start; an overrun lands in the guard page past at most 15 bytes of slack
    size_t padded = ((size_t)bytes + 15) / 16 * 16;
    size_t body = (padded + page - 1) / page * page;
    size_t total = body + 2 * page;
    char* base = static_cast<char*>(mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (base == MAP_FAILED) return nullptr;
    mprotect(base, page, PROT_NONE);
    mprotect(base + page + body, page, PROT_NONE);
    char* p = base + page + body - padded;
    memset(p, 0xff, (size_t)bytes);
    regions[p] = Region{base, total};
    return p;
}

extern "C" int rift_emu_free(void* p) {
    auto it = regions.find(p);
    if (it == regions.end()) return 1;
    munmap(it->second.base, it->second.total);
    regions.erase(it);
    return 0;
}

namespace {
inline float load(const void* p, long long i, int type) {
    if (type == 14) return __bfloat162float(static_cast<const __nv_bfloat16*>(p)[i]);
    return static_cast<const float*>(p)[i];
}

inline void store(void* p, long long i, int type, float v) {
    if (type == 14) {
        static_cast<__nv_bfloat16*>(p)[i] = __float2bfloat16_rn(v);
    } else {
        static_cast<float*>(p)[i] = v;
    }
}
}  // namespace

/** cublasGemmStridedBatchedEx semantics (column-major, types 0 = fp32, 14 = bf16, fp32 accumulation). */
extern "C" int rift_emu_gemm(int transa, int transb, int m, int n, int k, float alpha, const void* A, int at, int lda,
                             long long strideA, const void* B, int bt, int ldb, long long strideB, float beta, void* C,
                             int ct, int ldc, long long strideC, int batch) {
    if ((at != 0 && at != 14) || at != bt || (ct != 0 && ct != 14) || (at == 0 && ct != 0)) return 15;  // NOT_SUPPORTED
    if (m < 0 || n < 0 || k < 0) return 7;
    if (lda < (transa ? (k > 1 ? k : 1) : (m > 1 ? m : 1)) || ldb < (transb ? (n > 1 ? n : 1) : (k > 1 ? k : 1)) ||
        ldc < (m > 1 ? m : 1)) {
        return 7;  // INVALID_VALUE, as cuBLAS
    }
    for (int b = 0; b < batch; b++) {
        const long long a0 = b * strideA, b0 = b * strideB, c0 = b * strideC;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float s = 0.0f;
                for (int p = 0; p < k; p++) {
                    float x = transa ? load(A, a0 + p + (long long)i * lda, at) : load(A, a0 + i + (long long)p * lda, at);
                    float y = transb ? load(B, b0 + j + (long long)p * ldb, bt) : load(B, b0 + p + (long long)j * ldb, bt);
                    s = fmaf(x, y, s);
                }
                long long ci = c0 + i + (long long)j * ldc;
                store(C, ci, ct, beta == 0.0f ? alpha * s : alpha * s + beta * load(C, ci, ct));
            }
        }
    }
    return 0;
}
