package rift.kernels.cuda;

/**
 * Every Backend op, CUDA against CPU ({@link ParityChecks}): fp32 storage (tight tolerances) and bf16
 * storage (loose, bounded). Each check is skipped, with the reason, where there is no CUDA driver
 * and GPU (CI).
 */
class CudaParityTest extends ParityTestBase {
    @Override
    String unavailable() {
        return Cuda.available() ? null : "no CUDA driver/GPU: " + Cuda.unavailableReason();
    }

    @Override
    CudaBackend backend(boolean bf16) {
        return new CudaBackend((bf16 ? CudaBackend.Options.bf16() : CudaBackend.Options.fp32()).withSyncEachOp(true));
    }
}
