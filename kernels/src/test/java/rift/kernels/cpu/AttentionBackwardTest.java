package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;
import static rift.kernels.cpu.AttentionReference.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Backward of {@link Attention}: against central finite differences of loss = sum(out * R) computed
 * with the double reference (small shapes), and against the analytic double reference (bigger ones).
 */
class AttentionBackwardTest {

    /** Inputs of one case, the kernel's float gradients of sum(out * R), and the double reference's. */
    private record Case(int[] seqStart, int Hq, int Hkv, int hd, float scale, float[] q, float[] k, float[] v, float[] r,
                        float[] dq, float[] dk, float[] dv) {
        static Case run(long seed, int[] lengths, int Hq, int Hkv, int hd, float scale) {
            Random rnd = new Random(seed);
            int[] seqStart = AttentionReference.seqStart(lengths);
            int n = seqStart[lengths.length];
            float[] q = randomFloats(rnd, n * Hq * hd, 1), k = randomFloats(rnd, n * Hkv * hd, 1);
            float[] v = randomFloats(rnd, n * Hkv * hd, 1), r = randomFloats(rnd, n * Hq * hd, 1);
            float[] out = new float[q.length], lse = new float[n * Hq];
            Attention.forward(out, lse, q, k, v, seqStart, Hq, Hkv, hd, scale);
            float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
            Attention.backward(dq, dk, dv, r, out, lse, q, k, v, seqStart, Hq, Hkv, hd, scale);
            return new Case(seqStart, Hq, Hkv, hd, scale, q, k, v, r, dq, dk, dv);
        }

        double loss(double[] dq, double[] dk, double[] dv) {
            double[] out = AttentionReference.forward(dq, dk, dv, seqStart, Hq, Hkv, hd, scale).out();
            double sum = 0;
            for (int i = 0; i < out.length; i++) sum += out[i] * r[i];
            return sum;
        }

        /** Central differences of the double loss with respect to every element of q, k and v. */
        AttentionReference.Grads finiteDifferences() {
            double[][] x = {toDouble(q), toDouble(k), toDouble(v)};
            double[][] g = new double[3][];
            double eps = 1e-5;
            for (int a = 0; a < 3; a++) {
                g[a] = new double[x[a].length];
                for (int i = 0; i < x[a].length; i++) {
                    double keep = x[a][i];
                    x[a][i] = keep + eps;
                    double up = loss(x[0], x[1], x[2]);
                    x[a][i] = keep - eps;
                    double down = loss(x[0], x[1], x[2]);
                    x[a][i] = keep;
                    g[a][i] = (up - down) / (2 * eps);
                }
            }
            return new AttentionReference.Grads(g[0], g[1], g[2]);
        }

        AttentionReference.Grads analytic() {
            return AttentionReference.backward(toDouble(r), toDouble(q), toDouble(k), toDouble(v), seqStart, Hq, Hkv, hd, scale);
        }

        void assertGradients(AttentionReference.Grads expected, double relTol, String what) {
            assertClose(dq, expected.dq(), relTol, what + " dq");
            assertClose(dk, expected.dk(), relTol, what + " dk");
            assertClose(dv, expected.dv(), relTol, what + " dv");
        }
    }

    private static void assertClose(float[] actual, double[] expected, double relTol, String what) {
        double tol = relTol * Math.max(1e-3, maxAbs(expected));
        double diff = maxAbsDiff(actual, expected);
        assertTrue(diff <= tol, what + ": max |diff| " + diff + " > " + tol);
    }

    private static void assertClose(double[] actual, double[] expected, double relTol, String what) {
        double diff = 0;
        for (int i = 0; i < actual.length; i++) diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
        double tol = relTol * Math.max(1e-3, maxAbs(expected));
        assertTrue(diff <= tol, what + ": max |diff| " + diff + " > " + tol);
    }

    @Test
    void kernelAndAnalyticReferenceMatchFiniteDifferencesOnSmallShapes() {
        Case c = Case.run(11, new int[] {3, 1, 6}, 4, 2, 5, 0.45f);
        AttentionReference.Grads fd = c.finiteDifferences();
        c.assertGradients(fd, 2e-5, "kernel vs finite differences");
        AttentionReference.Grads analytic = c.analytic();
        assertClose(analytic.dq(), fd.dq(), 1e-7, "reference dq");
        assertClose(analytic.dk(), fd.dk(), 1e-7, "reference dk");
        assertClose(analytic.dv(), fd.dv(), 1e-7, "reference dv");
    }

    @Test
    void kernelMatchesFiniteDifferencesAcrossTilesAndGroups() {
        // 70 rows span two query and two key tiles; Hq = 2 * Hkv; hd 3 is no multiple of a vector
        Case c = Case.run(12, new int[] {70, 2}, 2, 1, 3, 0.6f);
        c.assertGradients(c.finiteDifferences(), 2e-5, "kernel vs finite differences");
    }

    @Test
    void kernelMatchesAnalyticReferenceOnBiggerShapes() {
        Case c = Case.run(13, new int[] {100, 1, 67}, 8, 2, 24, (float) (1 / Math.sqrt(24)));
        c.assertGradients(c.analytic(), 2e-5, "GQA 4:1");
        c = Case.run(14, new int[] {150, 64, 0, 1}, 2, 2, 64, 0.125f);
        c.assertGradients(c.analytic(), 2e-5, "MHA hd 64");
        c = Case.run(15, new int[] {129}, 4, 1, 16, 0.25f);
        c.assertGradients(c.analytic(), 2e-5, "MQA hd 16");
    }

    @Test
    void backwardAddsToWhatIsAlreadyThere() {
        Random rnd = new Random(16);
        int Hq = 4, Hkv = 2, hd = 12;
        int[] seqStart = seqStart(90, 5);
        int n = seqStart[2];
        float[] q = randomFloats(rnd, n * Hq * hd, 1), k = randomFloats(rnd, n * Hkv * hd, 1), v = randomFloats(rnd, n * Hkv * hd, 1);
        float[] dout = randomFloats(rnd, n * Hq * hd, 1);
        float[] out = new float[q.length], lse = new float[n * Hq];
        Attention.forward(out, lse, q, k, v, seqStart, Hq, Hkv, hd, 0.3f);
        float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
        Attention.backward(dq, dk, dv, dout, out, lse, q, k, v, seqStart, Hq, Hkv, hd, 0.3f);
        float[] pq = randomFloats(rnd, q.length, 5), pk = randomFloats(rnd, k.length, 5), pv = randomFloats(rnd, v.length, 5);
        float[] aq = pq.clone(), ak = pk.clone(), av = pv.clone();
        Attention.backward(aq, ak, av, dout, out, lse, q, k, v, seqStart, Hq, Hkv, hd, 0.3f);
        // every gradient element receives a single addition, so the result is exactly prior + gradient
        for (int i = 0; i < q.length; i++) assertEquals(pq[i] + dq[i], aq[i], "dq " + i);
        for (int i = 0; i < k.length; i++) {
            assertEquals(pk[i] + dk[i], ak[i], "dk " + i);
            assertEquals(pv[i] + dv[i], av[i], "dv " + i);
        }
        assertFalse(Arrays.equals(new float[k.length], dk), "gradient must not be zero");
    }
}
