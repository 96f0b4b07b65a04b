package rift.kernels.cpu;

/**
 * Single-precision GEMM on row-major arrays: {@code C = alpha * op(A) * op(B) + beta * C}.
 *
 * <p>op(A) is [M, K]: A is stored row-major as [M, K] with leading dimension lda when transA is false,
 * or as [K, M] when transA is true. op(B) is [K, N]: B is [K, N] or, with transB, [N, K]. C is [M, N]
 * with leading dimension ldc. Offsets are element offsets into the arrays. beta == 0 means C is
 * overwritten (its old contents, NaN included, are ignored).
 *
 * <p>The fast path is OpenBLAS (through FFM, no copies of the Java arrays); a pure-Java Vector API
 * kernel is the fallback when OpenBLAS cannot be loaded or {@code -Drift.gemm=java} is set; a plain
 * triple loop is the reference. For a fixed thread count every path is deterministic.
 */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(boolean transA, boolean transB, int M, int N, int K, float alpha,
                             float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                             float beta, float[] C, int cOff, int ldc) {
        throw new UnsupportedOperationException("pending: Gemm.sgemm");
    }

    /** Which implementation {@link #sgemm} uses: "openblas" or "java". */
    public static String implementation() {
        throw new UnsupportedOperationException("pending: Gemm.implementation");
    }
}
