package rift.kernels.cuda;

/**
 * Storage type of a {@link CudaTensor}. Kernels read and write either and compute in fp32; the flag
 * each kernel receives is {@link #flag()} (0 = fp32, 1 = bf16), matching common.cuh.
 */
public enum DType {
    F32(4, 0),
    BF16(2, 1);

    private final int bytes;
    private final int flag;

    DType(int bytes, int flag) {
        this.bytes = bytes;
        this.flag = flag;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The dtype flag the kernels take (0 = fp32, 1 = bf16). */
    public int flag() {
        return flag;
    }

    /** cudaDataType_t for cuBLAS: CUDA_R_32F = 0, CUDA_R_16BF = 14 (library_types.h). */
    int cudaDataType() {
        return this == F32 ? 0 : 14;
    }
}
