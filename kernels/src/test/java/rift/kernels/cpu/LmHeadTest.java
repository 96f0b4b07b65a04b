package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LmHeadTest {
    /** Random data, V = 1000 in chunks of 128 (last chunk 104 wide), 200 rows = one full and one partial tile of 128. */
    @Test
    void forwardMatchesFullLogitsReference() {
        Random r = new Random(50);
        int N = 200, D = 64, V = 1000;
        float eps = 1e-6f;
        float[] h = Reference.randn(r, N * D, 1), normW = Reference.randn(r, D, 1), W = Reference.randn(r, V * D, 0.3);
        int[] targets = r.ints(N, 0, V).toArray();
        for (int n = 0; n < N; n += 7) targets[n] = -1;
        float[] logp = new float[N], entropy = new float[N];
        int[] rank = new int[N];
        LmHead.Saved s = LmHead.forward(logp, entropy, rank, h, N, D, normW, eps, W, V, targets, 128, 128);
        Reference.LmHeadOut ref = Reference.lmHead(Reference.toDouble(h), N, D, Reference.toDouble(normW), eps,
                Reference.toDouble(W), V, targets);
        Reference.assertClose("logp", ref.logp(), logp, 0, 2e-5);
        Reference.assertClose("entropy", ref.entropy(), entropy, 0, 2e-5);
        for (int n = 0; n < N; n++) {
            if (targets[n] < 0) {
                assertEquals(0f, logp[n]);
                assertEquals(0, rank[n]);
                continue;
            }
            // float logits may reorder logits that the double ones put within rounding of the target
            double[] l = ref.logits()[n];
            int near = 0;
            for (int j = 0; j < V; j++) if (j != targets[n] && Math.abs(l[j] - l[targets[n]]) < 1e-4) near++;
            assertTrue(Math.abs(rank[n] - ref.rank()[n]) <= near, "rank row " + n + ": " + rank[n] + " vs " + ref.rank()[n]);
        }
        double lseErr = 0;
        for (int n = 0; n < N; n++) {
            double[] l = ref.logits()[n];
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (double x : l) max = Math.max(max, x);
            for (double x : l) z += Math.exp(x - max);
            lseErr = Math.max(lseErr, Math.abs(s.lse[n] - (max + Math.log(z))));
        }
        assertTrue(lseErr < 2e-5, "lse error " + lseErr);
    }

    /**
     * Exact arithmetic: rows of h are +-1 and eps = 0 (so rstd = 1 exactly, here and in the reference),
     * normW and W hold small multiples of 1/4 and 1/2, so every logit is a small multiple of 1/8 that
     * any Gemm computes exactly. Many logits tie with the target's, and the ranks must be exact.
     */
    @Test
    void rankCountsTiesInTheTargetsFavour() {
        Random r = new Random(51);
        int N = 150, D = 16, V = 1000;
        float[] h = new float[N * D], normW = new float[D], W = new float[V * D];
        for (int i = 0; i < h.length; i++) h[i] = r.nextBoolean() ? 1f : -1f;
        for (int d = 0; d < D; d++) normW[d] = 0.25f * (1 + r.nextInt(4));
        for (int i = 0; i < W.length; i++) W[i] = 0.5f * (r.nextInt(5) - 2);
        int[] targets = r.ints(N, 0, V).toArray();
        targets[0] = -1;
        System.arraycopy(W, targets[1] * D, W, 5 * D, D); // an exact duplicate of a target's row
        float[] logp = new float[N], entropy = new float[N];
        int[] rank = new int[N];
        LmHead.forward(logp, entropy, rank, h, N, D, normW, 0f, W, V, targets, 128);
        Reference.LmHeadOut ref = Reference.lmHead(Reference.toDouble(h), N, D, Reference.toDouble(normW), 0,
                Reference.toDouble(W), V, targets);
        int ties = 0;
        for (int n = 1; n < N; n++) {
            double[] l = ref.logits()[n];
            for (int j = 0; j < V; j++) if (j != targets[n] && l[j] == l[targets[n]]) ties++;
        }
        assertTrue(ties > N, "the data must have ties, got " + ties);
        assertArrayEquals(ref.rank(), rank);
        Reference.assertClose("logp", ref.logp(), logp, 0, 2e-5);
        Reference.assertClose("entropy", ref.entropy(), entropy, 0, 2e-5);
    }

    /**
     * The rank threshold is a dot product, the target's logit in the block a Gemm result; they may
     * differ in the last bit. The target must never count as above itself, and ties with the threshold
     * never count either. Here the block's own value sits one ulp above the dot product.
     */
    @Test
    void foldNeverRanksTheTargetAgainstItself() {
        int cw = 40, c0 = 100, target = 117;
        float tl = 0.75f;
        float[] block = new float[cw];
        for (int j = 0; j < cw; j++) block[j] = (j % 4) * 0.5f - 0.5f; // -0.5, 0, 0.5, 1: ten logits are 1 > tl
        block[3] = tl; // a tie with the threshold: not above
        block[target - c0] = Math.nextUp(tl);
        float[] rowMax = {Float.NEGATIVE_INFINITY};
        double[] sumExp = new double[1], sumExpShifted = new double[1];
        float[] targetLogit = new float[1];
        int[] above = new int[1];
        LmHead.foldBlockRow(block, 0, cw, 0, c0, target, new float[] {tl}, rowMax, sumExp, sumExpShifted, targetLogit, above);
        int expected = 0;
        for (int j = 0; j < cw; j++) if (j != target - c0 && block[j] > tl) expected++;
        assertEquals(9, expected, "test data"); // ten 1s, one of them overwritten by block[3]
        assertEquals(expected, above[0]);
        assertEquals(Math.nextUp(tl), targetLogit[0]);
        assertEquals(1f, rowMax[0]);
    }

    /** Gradients for the log-prob term, the entropy term and both, against finite differences in double. */
    @Test
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(52);
        checkGradients(r, true, false);
        checkGradients(r, false, true);
        checkGradients(r, true, true);
    }

    private static void checkGradients(Random r, boolean logpTerm, boolean entropyTerm) {
        int N = 7, D = 8, V = 37, chunk = 8, rowTile = 3; // V and N not multiples of chunk and tile
        float eps = 1e-5f;
        float[] h = Reference.randn(r, N * D, 1), normW = Reference.randn(r, D, 1), W = Reference.randn(r, V * D, 0.7);
        int[] targets = {3, -1, 36, 0, 12, -1, 20};
        float[] dLogp = logpTerm ? Reference.randn(r, N, 1) : new float[N];
        float[] dEntropy = entropyTerm ? Reference.randn(r, N, 1) : null;
        double[] a = Reference.toDouble(dLogp), b = dEntropy == null ? null : Reference.toDouble(dEntropy);
        double[] hd = Reference.toDouble(h), wd = Reference.toDouble(normW), Wd = Reference.toDouble(W);
        java.util.function.DoubleSupplier loss = () -> Reference.lmHeadLoss(hd, N, D, wd, eps, Wd, V, targets, a, b);
        double[] dhNum = Reference.numericGrad(hd, loss, 1e-5);
        double[] dNormWNum = Reference.numericGrad(wd, loss, 1e-5);
        double[] dWNum = Reference.numericGrad(Wd, loss, 1e-5);

        float[] logp = new float[N], entropy = new float[N];
        LmHead.Saved s = LmHead.forward(logp, entropy, null, h, N, D, normW, eps, W, V, targets, chunk, rowTile);
        java.util.Arrays.fill(entropy, Float.NaN); // the caller reuses its buffer: backward must not care
        float[] dh0 = Reference.randn(r, N * D, 0.5), dNormW0 = Reference.randn(r, D, 0.5), dW0 = Reference.randn(r, V * D, 0.5);
        float[] dh = dh0.clone(), dNormW = dNormW0.clone(), dW = dW0.clone();
        LmHead.backward(dh, dNormW, dW, dLogp, dEntropy, s, h, normW, W, targets, chunk, rowTile);
        String what = (logpTerm ? "logp" : "") + (entropyTerm ? "+entropy" : "");
        Reference.assertClose(what + " dh", dhNum, Reference.minus(dh, dh0), 1e-4, 1e-6);
        Reference.assertClose(what + " dNormW", dNormWNum, Reference.minus(dNormW, dNormW0), 1e-4, 1e-6);
        Reference.assertClose(what + " dW", dWNum, Reference.minus(dW, dW0), 1e-4, 1e-6);
    }

    /** A target of -1 contributes no log-prob gradient even when dLogp is non-zero there. */
    @Test
    void rowsWithoutTargetIgnoreDLogp() {
        Random r = new Random(53);
        int N = 4, D = 8, V = 20;
        float[] h = Reference.randn(r, N * D, 1), normW = Reference.randn(r, D, 1), W = Reference.randn(r, V * D, 1);
        int[] targets = {-1, -1, -1, -1};
        float[] logp = new float[N];
        LmHead.Saved s = LmHead.forward(logp, null, null, h, N, D, normW, 1e-6f, W, V, targets, 8);
        float[] dh = new float[N * D], dNormW = new float[D], dW = new float[V * D];
        LmHead.backward(dh, dNormW, dW, new float[] {1, 2, 3, 4}, null, s, h, normW, W, targets, 8);
        assertArrayEquals(new float[N * D], dh);
        assertArrayEquals(new float[V * D], dW);
        assertArrayEquals(new float[N], logp);
    }

    @Test
    void forwardAndBackwardAreBitwiseRepeatableFor1And2Threads() {
        Random r = new Random(54);
        int N = 150, D = 48, V = 700;
        float[] h = Reference.randn(r, N * D, 1), normW = Reference.randn(r, D, 1), W = Reference.randn(r, V * D, 0.3);
        int[] targets = r.ints(N, -1, V).toArray();
        float[] dLogp = Reference.randn(r, N, 1), dEntropy = Reference.randn(r, N, 1);
        for (int threads : new int[] {1, 2}) {
            float[][] first = Reference.withThreads(threads, () -> run(h, normW, W, targets, dLogp, dEntropy, N, D, V));
            float[][] again = Reference.withThreads(threads, () -> run(h, normW, W, targets, dLogp, dEntropy, N, D, V));
            for (int i = 0; i < first.length; i++) assertArrayEquals(first[i], again[i], "output " + i + ", threads=" + threads);
        }
    }

    private static float[][] run(float[] h, float[] normW, float[] W, int[] targets, float[] dLogp, float[] dEntropy,
                                 int N, int D, int V) {
        float[] logp = new float[N], entropy = new float[N];
        int[] rank = new int[N];
        LmHead.Saved s = LmHead.forward(logp, entropy, rank, h, N, D, normW, 1e-6f, W, V, targets, 96, 64);
        float[] dh = new float[N * D], dNormW = new float[D], dW = new float[V * D];
        LmHead.backward(dh, dNormW, dW, dLogp, dEntropy, s, h, normW, W, targets, 96, 64);
        float[] rankF = new float[N];
        for (int n = 0; n < N; n++) rankF[n] = rank[n];
        return new float[][] {logp, entropy, rankF, s.lse, dh, dNormW, dW};
    }

    @Test
    void targetsOutsideTheVocabularyAreRejected() {
        float[] h = new float[2 * 4], w = new float[4], W = new float[5 * 4];
        assertThrows(IllegalArgumentException.class,
                () -> LmHead.forward(new float[2], null, null, h, 2, 4, w, 1e-6f, W, 5, new int[] {0, 5}, 4));
    }
}
