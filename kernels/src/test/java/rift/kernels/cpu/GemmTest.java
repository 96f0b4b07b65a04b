package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rift.kernels.RiftException;

class GemmTest {
    /** One sgemm implementation, so every test runs on each path. */
    @FunctionalInterface
    interface Sgemm {
        void run(boolean transA, boolean transB, int M, int N, int K, float alpha,
                 float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                 float beta, float[] C, int cOff, int ldc);
    }

    private static final float SENTINEL = 7777f;
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** OpenBLAS with its own thread pool instead of rift's split (the -Drift.openblas.threading=openblas mode). */
    static void openblasOwnThreads(boolean transA, boolean transB, int M, int N, int K, float alpha,
                                   float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                                   float beta, float[] C, int cOff, int ldc) {
        boolean saved = OpenBlas.nativeThreading;
        OpenBlas.nativeThreading = true;
        try {
            Gemm.openblas(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        } finally {
            OpenBlas.nativeThreading = saved;
        }
    }

    static Stream<Arguments> paths() {
        return Stream.of(Arguments.of("openblas", (Sgemm) Gemm::openblas),
                Arguments.of("openblas-own-threads", (Sgemm) GemmTest::openblasOwnThreads),
                Arguments.of("java", (Sgemm) Gemm::java));
    }

    /** An M x N x K problem stored with offsets and padded leading dimensions. */
    private record Problem(boolean transA, boolean transB, int M, int N, int K, float alpha, float beta,
                           float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                           float[] C, int cOff, int ldc) {
        static Problem random(boolean transA, boolean transB, int M, int N, int K, float alpha, float beta,
                              int pad, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int aRows = transA ? K : M, aCols = transA ? M : K;
            int bRows = transB ? N : K, bCols = transB ? K : N;
            int lda = aCols + pad, ldb = bCols + 2 * pad, ldc = N + pad;
            int aOff = 3 * pad, bOff = 5 * pad, cOff = 2 * pad;
            float[] A = new float[aOff + aRows * lda + 4];
            float[] B = new float[bOff + bRows * ldb + 4];
            float[] C = new float[cOff + M * ldc + 4];
            for (int i = 0; i < A.length; i++) A[i] = (float) (rnd.nextDouble() * 2 - 1);
            for (int i = 0; i < B.length; i++) B[i] = (float) (rnd.nextDouble() * 2 - 1);
            Arrays.fill(C, SENTINEL);
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    C[cOff + i * ldc + j] = beta == 0f ? Float.NaN : (float) (rnd.nextDouble() * 2 - 1);
                }
            }
            return new Problem(transA, transB, M, N, K, alpha, beta, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
        }

        float[] run(Sgemm path) {
            float[] out = C.clone();
            path.run(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        /**
         * Per-element bound |alpha| * sum_p |a_ip b_pj| + |beta c_ij| (from the reference on absolute
         * values): a float dot product of length K is within about K * 2^-24 times it of the exact value.
         */
        float[] magnitude() {
            float[] absA = abs(A), absB = abs(B), absC = C.clone();
            for (int i = 0; i < absC.length; i++) absC[i] = Float.isNaN(absC[i]) ? 0f : Math.abs(absC[i]);
            Gemm.reference(transA, transB, M, N, K, Math.abs(alpha), absA, aOff, lda, absB, bOff, ldb,
                    Math.abs(beta), absC, cOff, ldc);
            return absC;
        }

        private static float[] abs(float[] x) {
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) y[i] = Math.abs(x[i]);
            return y;
        }
    }

    private static void assertMatchesReference(String label, Problem p, Sgemm path) {
        float[] expected = p.run(Gemm::reference);
        float[] actual = p.run(path);
        float[] magnitude = p.magnitude();
        double unit = Math.ulp(1f) / 2; // 2^-24
        for (int x = 0; x < actual.length; x++) {
            int rel = x - p.cOff;
            boolean inside = rel >= 0 && rel / p.ldc < p.M && rel % p.ldc < p.N;
            if (!inside) {
                assertEquals(SENTINEL, actual[x], label + ": wrote outside C at index " + x);
                continue;
            }
            // Slack for the alpha/beta roundings and one extra rounding per K slice of a blocked kernel.
            double tol = 2.0 * (p.K + 8) * unit * magnitude[x] + 1e-30;
            assertTrue(Math.abs(actual[x] - expected[x]) <= tol, label + ": C[" + rel / p.ldc + "," + rel % p.ldc
                    + "] = " + actual[x] + ", reference " + expected[x] + ", tolerance " + tol);
        }
    }

    /** Sizes around the micro-tile (6 x 32), the K slice (256) and the packed blocks, plus degenerate 1s. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {7, 5, 3}, {6, 32, 256}, {33, 17, 65}, {130, 67, 259}, {13, 100, 7}, {1, 300, 40},
        {200, 1, 33}, {97, 1030, 5}, {12, 64, 513},
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void matchesReferenceForEveryTransposeShapeAndScale(String name, Sgemm path) {
        Parallel.setThreads(2); // the larger shapes are then split across threads (rows or columns)
        float[][] scales = {{1f, 0f}, {0.5f, -1.5f}, {-2f, 1f}};
        long seed = 1;
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                float[] ab = scales[(int) (seed % scales.length)];
                int pad = (int) (seed % 3); // 0: tight leading dimensions and zero offsets
                Problem p = Problem.random((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], ab[0], ab[1], pad, seed++);
                assertMatchesReference(name + " transA=" + p.transA + " transB=" + p.transB + " " + s[0] + "x" + s[1]
                        + "x" + s[2] + " alpha=" + ab[0] + " beta=" + ab[1] + " pad=" + pad, p, path);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void everyScaleCombinationOnOneShape(String name, Sgemm path) {
        float[] alphas = {1f, -0.75f, 3f};
        float[] betas = {0f, 1f, -1f, 0.25f};
        long seed = 100;
        for (float alpha : alphas) {
            for (float beta : betas) {
                Problem p = Problem.random(false, true, 29, 45, 70, alpha, beta, 2, seed++);
                assertMatchesReference(name + " alpha=" + alpha + " beta=" + beta, p, path);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void betaZeroOverwritesNaN(String name, Sgemm path) {
        Problem p = Problem.random(true, false, 40, 50, 30, 1f, 0f, 1, 7);
        float[] out = p.run(path);
        for (int i = 0; i < p.M; i++) {
            for (int j = 0; j < p.N; j++) assertFalse(Float.isNaN(out[p.cOff + i * p.ldc + j]), name + " C[" + i + "," + j + "]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void zeroDepthOrZeroAlphaOnlyScalesC(String name, Sgemm path) {
        float[] A = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        float[] B = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        float[] C = {1f, 2f, 3f, 4f};
        path.run(false, false, 2, 2, 2, 0f, A, 0, 2, B, 0, 2, 0.5f, C, 0, 2);
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, C, name + ": alpha=0 must not read A or B");
        path.run(false, false, 2, 2, 0, 1f, A, 0, 0, B, 0, 2, 2f, C, 0, 2);
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, C, name + ": K=0 gives beta*C");
        float[] nan = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        path.run(false, false, 2, 2, 0, 1f, A, 0, 0, B, 0, 2, 0f, nan, 0, 2);
        assertArrayEquals(new float[4], nan, name + ": K=0, beta=0 gives zeros");
        float[] untouched = {9f};
        path.run(false, false, 0, 1, 3, 1f, A, 0, 3, B, 0, 1, 0f, untouched, 0, 1);
        assertArrayEquals(new float[] {9f}, untouched, name + ": M=0 writes nothing");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void outOfBoundsArgumentsAreRejectedBeforeAnyWork(String name, Sgemm path) {
        float[] A = new float[6 * 4], B = new float[4 * 5], C = new float[6 * 5];
        assertThrows(IllegalArgumentException.class, () -> path.run(false, false, 6, 5, 4, 1f, A, 1, 4, B, 0, 5, 0f, C, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> path.run(false, true, 6, 5, 4, 1f, A, 0, 4, B, 0, 3, 0f, C, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> path.run(false, false, 6, 5, 4, 1f, A, 0, 4, B, 0, 5, 0f, C, 0, 6));
        assertThrows(IllegalArgumentException.class, () -> path.run(true, false, 6, 5, 4, 1f, A, 0, 5, B, 0, 5, 0f, C, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> path.run(false, false, 6, 5, 4, 1f, A, -1, 4, B, 0, 5, 0f, C, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> path.run(false, false, 6, -5, 4, 1f, A, 0, 4, B, 0, 5, 0f, C, 0, 5));
        assertArrayEquals(new float[6 * 5], C, name + ": C untouched after rejected calls");
    }

    /**
     * Large enough to be split across threads: along columns (N > M), along rows (M > N), and a
     * few-row problem (the skinny path when B is transposed, B read in place otherwise).
     */
    private static final int[][] PARALLEL_SHAPES = {{30, 130, 300}, {130, 30, 300}, {9, 200, 300}};

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void repeatsAreBitwiseIdenticalForOneAndTwoThreads(String name, Sgemm path) {
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            for (int[] s : PARALLEL_SHAPES) {
                for (int t = 0; t < 4; t++) {
                    Problem p = Problem.random((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1.25f, 0.5f, 1, 11 + t);
                    float[] first = p.run(path);
                    for (int r = 0; r < 3; r++) {
                        assertTrue(Arrays.equals(first, p.run(path)), name + " threads=" + threads + " "
                                + Arrays.toString(s) + " t=" + t + ": repeat " + r + " differs");
                    }
                }
            }
        }
    }

    @Test
    void javaPathGivesTheSameBitsForAnyThreadCount() {
        for (int[] s : PARALLEL_SHAPES) {
            for (boolean transB : new boolean[] {false, true}) {
                Problem p = Problem.random(false, transB, s[0], s[1], s[2], 1f, 0f, 0, 5);
                Parallel.setThreads(1);
                float[] one = p.run(Gemm::java);
                Parallel.setThreads(2);
                float[] two = p.run(Gemm::java);
                Parallel.setThreads(3);
                float[] three = p.run(Gemm::java);
                String label = Arrays.toString(s) + " transB=" + transB;
                assertTrue(Arrays.equals(one, two), label + ": 1 vs 2 threads");
                assertTrue(Arrays.equals(one, three), label + ": 1 vs 3 threads");
            }
        }
    }

    @Test
    void openBlasLoadsAndItsThreadCountFollowsTheThreadingMode() {
        assertTrue(OpenBlas.available(), "OpenBLAS failed to load: " + OpenBlas.failure());
        assertTrue(OpenBlas.description().startsWith("openblas (core "), OpenBlas.description());
        Problem p = Problem.random(false, false, 8, 8, 8, 1f, 0f, 0, 3);
        for (int threads : new int[] {2, 1, 2}) {
            Parallel.setThreads(threads);
            p.run(GemmTest::openblasOwnThreads);
            assertEquals(threads, OpenBlas.threads(), "own pool after Parallel.setThreads(" + threads + ")");
            p.run(Gemm::openblas);
            assertEquals(1, OpenBlas.threads(), "rift split keeps OpenBLAS single-threaded, threads=" + threads);
        }
        assertFalse(OpenBlas.readThreadingMode(null));
        assertFalse(OpenBlas.readThreadingMode("rift"));
        assertTrue(OpenBlas.readThreadingMode("openblas"));
        assertThrows(RiftException.class, () -> OpenBlas.readThreadingMode("omp"));
    }

    @Test
    void pathChoiceFollowsTheRiftGemmProperty() {
        assertFalse(Gemm.choosePath("java"));
        assertTrue(Gemm.choosePath("openblas"));
        assertTrue(Gemm.choosePath(null)); // auto picks OpenBLAS when it loads
        RiftException bad = assertThrows(RiftException.class, () -> Gemm.choosePath("cublas"));
        assertTrue(bad.getMessage().contains("-Drift.gemm"), bad.getMessage());
        assertTrue(Gemm.implementation().equals("openblas") || Gemm.implementation().equals("java"));
    }

    @Test
    void peakMeasurementIsAPositiveRate() {
        double gflops = Gemm.measurePeakGflops(64, 3);
        assertTrue(gflops > 0 && Double.isFinite(gflops), "GFLOP/s " + gflops);
        assertThrows(IllegalArgumentException.class, () -> Gemm.measurePeakGflops(0, 3));
    }
}
