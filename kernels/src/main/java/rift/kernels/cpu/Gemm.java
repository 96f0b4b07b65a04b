package rift.kernels.cpu;

import rift.kernels.RiftException;

/**
 * Single-precision GEMM on row-major arrays: {@code C = alpha * op(A) * op(B) + beta * C}.
 *
 * <p>op(A) is [M, K]: A is stored row-major as [M, K] with leading dimension lda when transA is false,
 * or as [K, M] when transA is true. op(B) is [K, N]: B is [K, N] or, with transB, [N, K]. C is [M, N]
 * with leading dimension ldc. Offsets are element offsets into the arrays. beta == 0 means C is
 * overwritten (its old contents, NaN included, are ignored). As in BLAS, when K == 0 or alpha == 0
 * A and B are not read and C becomes beta * C (zero when beta == 0). Leading dimensions must be at
 * least the stored row length, and every element touched must lie inside its array (checked before
 * any work, so the native path can never read or write outside a Java array).
 *
 * <p>The fast path is OpenBLAS (through FFM, no copies of the Java arrays); a pure-Java Vector API
 * kernel is the fallback when OpenBLAS cannot be loaded or {@code -Drift.gemm=java} is set;
 * {@code -Drift.gemm=openblas} insists on OpenBLAS. A plain triple loop is the reference. For a fixed
 * thread count every path is deterministic. Threads: both fast paths split a call into fixed blocks over
 * {@link Parallel} (OpenBLAS itself held at one thread; {@code -Drift.openblas.threading=openblas}
 * hands the threading to OpenBLAS's own pool instead, see {@link OpenBlas}).
 */
public final class Gemm {
    private Gemm() {}

    /** Which path {@link #sgemm} takes; decided on first use. */
    private static volatile Boolean useOpenBlas;

    public static void sgemm(boolean transA, boolean transB, int M, int N, int K, float alpha,
                             float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                             float beta, float[] C, int cOff, int ldc) {
        if (useOpenBlas()) {
            openblas(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        } else {
            java(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        }
    }

    /** Checks the arguments; true when the product is empty or zero, after C has been scaled by beta. */
    private static boolean trivial(boolean transA, boolean transB, int M, int N, int K, float alpha, float[] A, int aOff, int lda,
                                   float[] B, int bOff, int ldb, float beta, float[] C, int cOff, int ldc) {
        check(transA, transB, M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
        if (M == 0 || N == 0) return true;
        if (K == 0 || alpha == 0f) {
            scaleC(M, N, beta, C, cOff, ldc);
            return true;
        }
        return false;
    }

    /** The OpenBLAS path (tests call it directly); fails if OpenBLAS could not be loaded. */
    static void openblas(boolean transA, boolean transB, int M, int N, int K, float alpha,
                         float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                         float beta, float[] C, int cOff, int ldc) {
        if (trivial(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc)) return;
        OpenBlas.sgemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
    }

    /** The pure-Java Vector API path (tests call it directly). */
    static void java(boolean transA, boolean transB, int M, int N, int K, float alpha,
                     float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                     float beta, float[] C, int cOff, int ldc) {
        if (trivial(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc)) return;
        VectorGemm.sgemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
    }

    /** The plain triple loop (double accumulation): the oracle every fast path is tested against. */
    public static void reference(boolean transA, boolean transB, int M, int N, int K, float alpha,
                                 float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                                 float beta, float[] C, int cOff, int ldc) {
        if (trivial(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc)) return;
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
        return useOpenBlas() ? "openblas" : "java";
    }

    /** The implementation with details for reports, e.g. "openblas (core Cooperlake)". */
    public static String implementationDetail() {
        return useOpenBlas() ? OpenBlas.description() : VectorGemm.description();
    }

    /**
     * Measured speed of {@link #sgemm} (the active path, current thread count) on a square n x n x n
     * problem: the median GFLOP/s of {@code repeats} timed calls after warm-up calls. Benchmarks use it
     * as the MFU denominator.
     */
    public static double measurePeakGflops(int n, int repeats) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1: " + n);
        if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1: " + repeats);
        float[] A = new float[n * n];
        float[] B = new float[n * n];
        float[] C = new float[n * n];
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int i = 0; i < A.length; i++) {
            A[i] = (float) (random.nextDouble() - 0.5);
            B[i] = (float) (random.nextDouble() - 0.5);
        }
        double flops = 2.0 * n * n * n;
        // Warm up until the JIT has compiled the path: at least 5 calls and about 0.2 s.
        long warmEnd = System.nanoTime() + 200_000_000L;
        for (int i = 0; i < 5 || System.nanoTime() < warmEnd; i++) {
            sgemm(false, false, n, n, n, 1f, A, 0, n, B, 0, n, 0f, C, 0, n);
            if (i >= 1000) break;
        }
        double[] gflops = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            sgemm(false, false, n, n, n, 1f, A, 0, n, B, 0, n, 0f, C, 0, n);
            long elapsed = Math.max(1, System.nanoTime() - t0);
            gflops[r] = flops / elapsed;
        }
        java.util.Arrays.sort(gflops);
        return repeats % 2 == 1 ? gflops[repeats / 2] : 0.5 * (gflops[repeats / 2 - 1] + gflops[repeats / 2]);
    }

    private static boolean useOpenBlas() {
        Boolean use = useOpenBlas;
        if (use == null) {
            synchronized (Gemm.class) {
                use = useOpenBlas;
                if (use == null) {
                    use = choosePath(System.getProperty("rift.gemm"));
                    useOpenBlas = use;
                }
            }
        }
        return use;
    }

    /** Reads -Drift.gemm (java | openblas | auto, default auto); auto falls back to Java with one note. */
    static boolean choosePath(String requested) {
        String mode = requested == null || requested.isBlank() ? "auto" : requested.trim().toLowerCase(java.util.Locale.ROOT);
        switch (mode) {
            case "java":
                return false;
            case "openblas":
                if (!OpenBlas.available()) {
                    throw new RiftException("-Drift.gemm=openblas was given but OpenBLAS could not be loaded ("
                            + OpenBlas.failure() + "); fix the OpenBLAS install (org.bytedeco:openblas linux-x86_64 on the"
                            + " classpath, --enable-native-access=ALL-UNNAMED) or use -Drift.gemm=java");
                }
                return true;
            case "auto":
                if (OpenBlas.available()) return true;
                System.err.println("rift: OpenBLAS could not be loaded (" + OpenBlas.failure()
                        + "); using the pure-Java Vector API GEMM instead");
                return false;
            default:
                throw new RiftException("-Drift.gemm must be 'java', 'openblas' or 'auto', got '" + requested
                        + "'; fix the -Drift.gemm flag or remove it");
        }
    }

    /** C = beta * C over the M x N block (zero when beta == 0, ignoring what C held). */
    private static void scaleC(int M, int N, float beta, float[] C, int cOff, int ldc) {
        for (int i = 0; i < M; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(C, row, row + N, 0f);
            } else if (beta != 1f) {
                for (int j = 0; j < N; j++) C[row + j] *= beta;
            }
        }
    }

    /** Rejects shapes, leading dimensions or offsets that would touch memory outside an array. */
    private static void check(boolean transA, boolean transB, int M, int N, int K,
                              float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                              float[] C, int cOff, int ldc) {
        if (M < 0 || N < 0 || K < 0) {
            throw new IllegalArgumentException("sgemm: negative size M=" + M + " N=" + N + " K=" + K);
        }
        checkMatrix("C", C, cOff, ldc, M, N, M > 0 && N > 0);
        boolean readsAB = M > 0 && N > 0 && K > 0;
        checkMatrix("A", A, aOff, lda, transA ? K : M, transA ? M : K, readsAB);
        checkMatrix("B", B, bOff, ldb, transB ? N : K, transB ? K : N, readsAB);
    }

    /** A stored matrix of rows x cols at off with leading dimension ld must fit its array. */
    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols, boolean accessed) {
        if (ld < cols) {
            throw new IllegalArgumentException("sgemm: ld" + name.toLowerCase(java.util.Locale.ROOT) + "=" + ld
                    + " is smaller than the " + cols + " columns of stored " + name);
        }
        if (!accessed) return;
        if (x == null) throw new IllegalArgumentException("sgemm: " + name + " is null");
        long end = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > x.length) {
            throw new IllegalArgumentException("sgemm: " + name + " [" + rows + " x " + cols + ", ld " + ld
                    + "] at offset " + off + " needs " + end + " elements but the array has " + x.length);
        }
    }
}
