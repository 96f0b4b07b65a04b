package rift.kernels.cpu;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Wall-clock timing of LmHead forward + backward, off by default:
 * mvn -o -q -B test -pl kernels -Dtest=LmHeadBench -Drift.bench=true
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
        int reps = 3;
        for (int rep = 0; rep <= reps; rep++) { // rep 0 warms up the JIT
            long t0 = System.nanoTime();
            LmHead.Saved s = LmHead.forward(logp, entropy, rank, h, N, D, normW, 1e-6f, W, V, targets, chunk);
            long t1 = System.nanoTime();
            LmHead.backward(dh, dNormW, dW, dLogp, dEntropy, s, h, normW, W, targets, chunk);
            long t2 = System.nanoTime();
            double gflop = 2.0 * N * D * V * 4 / 1e9; // forward logits + backward logits, dxn, dW
            System.out.printf("LmHead N=%d D=%d V=%d chunk=%d threads=%d gemm=%s rep %d: forward %.1f ms, backward %.1f ms (%.1f GFLOP/s overall)%n",
                    N, D, V, chunk, Parallel.threads(), Gemm.implementation(), rep, (t1 - t0) / 1e6, (t2 - t1) / 1e6, gflop / ((t2 - t0) / 1e9));
        }
    }
}
