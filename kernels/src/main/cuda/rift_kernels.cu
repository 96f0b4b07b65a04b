// rift's CUDA kernels: one translation unit, built into one fatbin by scripts/build-cuda.sh
// (SASS for sm_80 and sm_90 plus compute_90 PTX) and loaded by rift.kernels.cuda.CudaBackend.
// Every kernel is extern "C" so the Java side finds it by its plain name; Kernels.java lists each
// signature and a unit test checks the two agree.
#include "common.cuh"
#include "elementwise.cuh"
#include "norm_embed_rope.cuh"
#include "attention.cuh"
#include "attention_tc.cuh"
#include "attention_fa2_bwd.cuh"
#include "lmhead.cuh"
#include "sampling.cuh"
