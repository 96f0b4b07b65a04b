package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;

class RopeTest {
    /** Llama 3.2 1B/3B: rope_theta 500000, head dim 64, rope_scaling llama3 (32, 1, 4, 8192). */
    private static final Rope.Llama3Scaling LLAMA32 = new Rope.Llama3Scaling(32, 1, 4, 8192);

    /** Direct double computation: 1 / theta^(2i/hd), then the llama3 rule written as a piecewise function. */
    private static double expectedInvFreq(int i, int hd, double theta, Rope.Llama3Scaling s) {
        double f = 1 / Math.pow(theta, 2.0 * i / hd);
        if (s == null) return f;
        double wavelen = 2 * Math.PI / f;
        double lowWavelen = s.originalMaxPositions() / s.lowFreqFactor();
        double highWavelen = s.originalMaxPositions() / s.highFreqFactor();
        if (wavelen < highWavelen) return f;
        if (wavelen > lowWavelen) return f / s.factor();
        double t = (s.originalMaxPositions() / wavelen - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
        return (1 - t) * f / s.factor() + t * f;
    }

    private static void assertTableMatches(int maxPos, int hd, double theta, Rope.Llama3Scaling s) {
        Rope.Table t = Rope.table(maxPos, hd, theta, s);
        assertEquals(maxPos, t.maxPositions());
        assertEquals(hd, t.headDim());
        int half = hd / 2;
        for (int pos = 0; pos < maxPos; pos++) {
            for (int i = 0; i < half; i++) {
                double angle = pos * expectedInvFreq(i, hd, theta, s);
                assertEquals(Math.cos(angle), t.cos()[pos * half + i], 1e-7, "cos pos " + pos + " i " + i);
                assertEquals(Math.sin(angle), t.sin()[pos * half + i], 1e-7, "sin pos " + pos + " i " + i);
            }
        }
    }

    @Test
    void plainTableMatchesDirectDoubleComputation() {
        assertTableMatches(300, 64, 10000, null);
        assertTableMatches(50, 6, 1e6, null);
    }

    @Test
    void llama3TableMatchesDirectDoubleComputation() {
        assertTableMatches(2000, 64, 500000, LLAMA32);
        assertTableMatches(100, 128, 500000, new Rope.Llama3Scaling(8, 1, 4, 8192));
    }

    /** Values worked out independently (Python, double) for Llama 3.2: high, band and low frequencies. */
    @Test
    void llama3InverseFrequenciesMatchWorkedNumbers() {
        double[] f = Rope.inverseFrequencies(64, 500000, LLAMA32);
        assertEquals(32, f.length);
        assertEquals(1.0, f[0], 1e-15);                                  // wavelength 2 pi: kept
        assertEquals(0.003211445994752591, f[14], 1e-12 * f[14]);       // wavelength 1956 < 2048: kept
        assertEquals(0.001290547928209264, f[15], 1e-12 * f[15]);       // 2948: smoothed
        assertEquals(9.70828780262767e-05, f[17], 1e-12 * f[17]);       // 6695: smoothed
        assertEquals(1.9461638184831125e-05, f[18], 1e-12 * f[18]);     // 10089 > 8192: divided by 32
        assertEquals(9.41830672543491e-08, f[31], 1e-12 * f[31]);
        double[] plain = Rope.inverseFrequencies(64, 500000, null);
        assertEquals(0.0021311195369119653, plain[15], 1e-12 * plain[15]);
    }

    /** x rotated as HF does: first half x1 cos - x2 sin, second half x2 cos + x1 sin, in double. */
    private static double[] reference(float[] x, int N, int H, int hd, int[] positions, Rope.Table t) {
        return reference(AttentionReference.toDouble(x), N, H, hd, positions, t);
    }

    private static double[] reference(double[] x, int N, int H, int hd, int[] positions, Rope.Table t) {
        double[] y = new double[N * H * hd];
        int half = hd / 2;
        for (int n = 0; n < N; n++) {
            for (int h = 0; h < H; h++) {
                int a = (n * H + h) * hd;
                for (int i = 0; i < half; i++) {
                    double c = t.cos()[positions[n] * half + i], s = t.sin()[positions[n] * half + i];
                    y[a + i] = x[a + i] * c - x[a + half + i] * s;
                    y[a + half + i] = x[a + half + i] * c + x[a + i] * s;
                }
            }
        }
        return y;
    }

    /** Positions like a packed batch (restarting at 0) followed by a left-padded row (starting late). */
    private static int[] positions(int N) {
        int[] p = new int[N];
        for (int n = 0; n < N; n++) p[n] = n < N / 2 ? n : 5 + 2 * (n - N / 2);
        return p;
    }

    @Test
    void forwardMatchesReference() {
        Random rnd = new Random(21);
        for (int hd : new int[] {64, 20, 2, 128}) {
            int N = 37, H = 3;
            Rope.Table t = Rope.table(200, hd, 10000, hd == 64 ? LLAMA32 : null);
            float[] x = AttentionReference.randomFloats(rnd, N * H * hd, 2);
            int[] pos = positions(N);
            double[] expected = reference(x, N, H, hd, pos, t);
            Rope.forward(x, N, H, hd, pos, t);
            assertTrue(AttentionReference.maxAbsDiff(x, expected) < 1e-6, "hd " + hd + ": " + AttentionReference.maxAbsDiff(x, expected));
        }
    }

    @Test
    void forwardThenBackwardIsIdentity() {
        Random rnd = new Random(22);
        int N = 50, H = 4, hd = 40;
        Rope.Table t = Rope.table(128, hd, 500000, LLAMA32);
        float[] x = AttentionReference.randomFloats(rnd, N * H * hd, 3), y = x.clone();
        int[] pos = positions(N);
        Rope.forward(y, N, H, hd, pos, t);
        assertTrue(AttentionReference.maxAbsDiff(y, AttentionReference.toDouble(x)) > 0.1, "rotation must change x");
        Rope.backward(y, N, H, hd, pos, t);
        assertTrue(AttentionReference.maxAbsDiff(y, AttentionReference.toDouble(x)) < 2e-6);
    }

    /** loss = sum(reference(x) * R), all in double; central differences against Rope.backward(R). */
    @Test
    void backwardMatchesFiniteDifferences() {
        Random rnd = new Random(23);
        int N = 6, H = 2, hd = 10;
        Rope.Table t = Rope.table(20, hd, 10000, null);
        int[] pos = {0, 1, 2, 0, 7, 19};
        double[] x = AttentionReference.toDouble(AttentionReference.randomFloats(rnd, N * H * hd, 1));
        float[] r = AttentionReference.randomFloats(rnd, N * H * hd, 1);
        float[] grad = r.clone();
        Rope.backward(grad, N, H, hd, pos, t);
        double eps = 1e-4;
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + eps;
            double up = loss(x, r, N, H, hd, pos, t);
            x[i] = keep - eps;
            double down = loss(x, r, N, H, hd, pos, t);
            x[i] = keep;
            assertEquals((up - down) / (2 * eps), grad[i], 1e-6, "element " + i);
        }
    }

    private static double loss(double[] x, float[] r, int N, int H, int hd, int[] pos, Rope.Table t) {
        double[] y = reference(x, N, H, hd, pos, t);
        double sum = 0;
        for (int j = 0; j < y.length; j++) sum += y[j] * r[j];
        return sum;
    }

    @Test
    void positionsOutsideTheTableAreRejected() {
        Rope.Table t = Rope.table(16, 8, 10000, null);
        float[] x = new float[2 * 8];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rope.forward(x, 2, 1, 8, new int[] {3, 16}, t));
        assertTrue(e.getMessage().contains("[0, 16)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rope.backward(x, 2, 1, 8, new int[] {-1, 0}, t));
        assertThrows(IllegalArgumentException.class, () -> Rope.table(16, 7, 10000, null));
        assertThrows(RiftException.class, () -> Rope.table(16, 8, 10000, new Rope.Llama3Scaling(8, 4, 1, 8192)));
    }
}
