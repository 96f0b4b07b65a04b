package rift.kernels.cuda;

/**
 * A CUDA driver or cuBLAS call that failed, with the driver's error name and text. {@link #sticky()}
 * tells whether the context is now unusable (a kernel faulted): every later call in this process
 * fails the same way, so callers that want to go on must start a new process.
 */
public final class CudaFailure extends RuntimeException {
    private final int code;
    private final boolean sticky;

    CudaFailure(String message, int code, boolean sticky) {
        super(message);
        this.code = code;
        this.sticky = sticky;
    }

    /** The CUresult (driver) or cublasStatus_t (cuBLAS) code. */
    public int code() {
        return code;
    }

    public boolean sticky() {
        return sticky;
    }

    /**
     * Driver errors after which the context is corrupt (CUDA's documentation: "the process must be
     * terminated and relaunched"): illegal address, launch timeout, hardware stack error, illegal
     * instruction, misaligned address, invalid address space, invalid PC, launch failed, unknown.
     */
    static boolean isSticky(int cuResult) {
        return switch (cuResult) {
            case 700, 702, 714, 715, 716, 717, 718, 719, 999 -> true;
            default -> false;
        };
    }
}
