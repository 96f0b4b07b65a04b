package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SwiGluTest {
    @Test
    void forwardMatchesDoubleReference() {
        Random r = new Random(30);
        int n = 10_007;
        float[] gate = Reference.randn(r, n, 4), up = Reference.randn(r, n, 1);
        gate[0] = -100f; // exp(100) overflows float: silu must still be a tiny number, not NaN
        gate[1] = 100f;
        gate[2] = 0f;
        float[] out = new float[n];
        SwiGlu.forward(out, gate, up, n);
        for (int i = 0; i < n; i++) {
            double want = Reference.silu(gate[i]) * up[i];
            assertEquals(want, out[i], 3e-7 * Math.abs(want) + 1e-30, "i=" + i + " gate=" + gate[i]);
        }
    }

    @Test
    void backwardMatchesFiniteDifferencesAndAccumulates() {
        Random r = new Random(31);
        int n = 37;
        float[] gate = Reference.randn(r, n, 3), up = Reference.randn(r, n, 1), dout = Reference.randn(r, n, 1);
        double[] g = Reference.toDouble(gate), u = Reference.toDouble(up);
        java.util.function.DoubleSupplier loss = () -> {
            double l = 0;
            for (int i = 0; i < n; i++) l += dout[i] * Reference.silu(g[i]) * u[i];
            return l;
        };
        double[] dgNum = Reference.numericGrad(g, loss, 1e-5);
        double[] duNum = Reference.numericGrad(u, loss, 1e-5);
        float[] dg0 = Reference.randn(r, n, 0.5), du0 = Reference.randn(r, n, 0.5);
        float[] dg = dg0.clone(), du = du0.clone();
        SwiGlu.backward(dg, du, dout, gate, up, n);
        Reference.assertClose("dgate", dgNum, Reference.minus(dg, dg0), 1e-5, 1e-6);
        Reference.assertClose("dup", duNum, Reference.minus(du, du0), 1e-5, 1e-6);
    }

    /** Every element is computed the same way in a vector lane and in a tail: thread count changes nothing. */
    @Test
    void sameBitsFor1And2ThreadsAndOnRepeat() {
        Random r = new Random(32);
        int n = 100_003;
        float[] gate = Reference.randn(r, n, 3), up = Reference.randn(r, n, 1), dout = Reference.randn(r, n, 1);
        float[][] one = Reference.withThreads(1, () -> run(gate, up, dout, n));
        float[][] two = Reference.withThreads(2, () -> run(gate, up, dout, n));
        float[][] twoAgain = Reference.withThreads(2, () -> run(gate, up, dout, n));
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], two[i], "output " + i);
            assertArrayEquals(two[i], twoAgain[i], "output " + i);
        }
    }

    private static float[][] run(float[] gate, float[] up, float[] dout, int n) {
        float[] out = new float[n], dg = new float[n], du = new float[n];
        SwiGlu.forward(out, gate, up, n);
        SwiGlu.backward(dg, du, dout, gate, up, n);
        return new float[][] {out, dg, du};
    }
}
