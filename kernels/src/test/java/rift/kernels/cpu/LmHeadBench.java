package rift.kernels.cpu;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Timing of LmHead forward + backward, off by default:
 * mvn -o -q -B test -pl kernels -Dtest=LmHeadBench -Drift.bench=true
 * Prints wall time and process CPU time (the latter is less disturbed by other processes on a shared
 * machine), and the same for the bare Gemm calls that LmHead makes, so the rest (norm, online
 * softmax, dlogits) shows as the difference.
 */
@EnabledIfSystemProperty(named = "rift.bench", matches = "true")
class LmHeadBench {
    @Test
    void timeForwardBackward() {
        time(2048, 256, 512, 512);
        time(2048, 512, 8192, 2048);
    }

    private static void time(int N, int D, int V, int chunk) {
        Random r = new Random(60);
        float[] h = Reference.randn(r, N * D, 1), normW = Reference.randn(r, D, 1), W = Reference.randn(r, V * D, 0.05);
        int[] targets = r.ints(N, 0, V).toArray();
        float[] dLogp = new float[N], dEntropy = new float[N];
        java.util.Arrays.fill(dLogp, -1f / N);
        java.util.Arrays.fill(dEntropy, 0.01f / N);
        float[] logp = new float[N], entropy = new float[N];
        int[] rank = new int[N];
        float[] dh = new float[N * D], dNormW = new float[D], dW = new float[V * D];
        double gflop = 2.0 * N * D * V * 4 / 1e9; // forward logits + backward logits, dxn, dW
        for (int rep = 0; rep <= 3; rep++) { // rep 0 warms up the JIT
            long w0 = System.nanoTime(), c0 = cpuNanos();
            LmHead.Saved s = LmHead.forward(logp, entropy, rank, h, N, D, normW, 1e-6f, W, V, targets, chunk);
            long w1 = System.nanoTime(), c1 = cpuNanos();
            LmHead.backward(dh, dNormW, dW, dLogp, dEntropy, s, h, normW, W, targets, chunk);
            long w2 = System.nanoTime(), c2 = cpuNanos();
            gemmOnly(s.xn, W, N, D, V, chunk, dW);
            long w3 = System.nanoTime(), c3 = cpuNanos();
            System.out.printf("LmHead N=%d D=%d V=%d chunk=%d threads=%d gemm=%s rep %d: forward %.0f ms (cpu %.0f), "
                            + "backward %.0f ms (cpu %.0f), %.1f GFLOP/s; its Gemm calls alone %.0f ms (cpu %.0f)%n",
                    N, D, V, chunk, Parallel.threads(), Gemm.implementation(), rep, (w1 - w0) / 1e6, (c1 - c0) / 1e6,
                    (w2 - w1) / 1e6, (c2 - c1) / 1e6, gflop / ((w2 - w0) / 1e9), (w3 - w2) / 1e6, (c3 - c2) / 1e6);
        }
    }

    /** The four Gemm calls per (row tile, vocabulary chunk) that forward + backward make, nothing else. */
    private static void gemmOnly(float[] xn, float[] W, int N, int D, int V, int chunk, float[] dW) {
        int tile = Math.min(LmHead.ROW_TILE, N);
        float[] block = new float[tile * chunk], dxn = new float[N * D];
        for (int pass = 0; pass < 2; pass++) {
            for (int r0 = 0; r0 < N; r0 += tile) {
                int rows = Math.min(tile, N - r0);
                for (int c0 = 0; c0 < V; c0 += chunk) {
                    int cw = Math.min(chunk, V - c0);
                    Gemm.sgemm(false, true, rows, cw, D, 1f, xn, r0 * D, D, W, c0 * D, D, 0f, block, 0, cw);
                    if (pass == 1) {
                        Gemm.sgemm(false, false, rows, D, cw, 1f, block, 0, cw, W, c0 * D, D, 1f, dxn, r0 * D, D);
                        Gemm.sgemm(true, false, cw, D, rows, 1f, block, 0, cw, xn, r0 * D, D, 1f, dW, c0 * D, D);
                    }
                }
            }
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
