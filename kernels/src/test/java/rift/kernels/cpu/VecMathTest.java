package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VecMathTest {
    @Test
    void expMatchesMathExpWithinTwoUlpsAndVectorEqualsScalar() {
        Random r = new Random(1);
        int n = 200_000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * 88.7);
        x[0] = 0f;
        x[1] = -0f;
        x[2] = 1e-30f;
        x[3] = 88.7f;
        x[4] = -87f;
        x[5] = (float) Math.log(2);
        float[] vec = new float[n];
        int i = 0;
        for (; i < VecMath.FS.loopBound(n); i += VecMath.FL) {
            VecMath.exp(FloatVector.fromArray(VecMath.FS, x, i)).intoArray(vec, i);
        }
        for (; i < n; i++) vec[i] = VecMath.exp(x[i]);
        double worstUlps = 0;
        float worstX = 0;
        for (i = 0; i < n; i++) {
            float s = VecMath.exp(x[i]);
            assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(vec[i]), "vector lane != scalar at x=" + x[i]);
            double exact = Math.exp(x[i]);
            double ulps = Math.abs(s - exact) / Math.ulp((float) exact);
            if (ulps > worstUlps) {
                worstUlps = ulps;
                worstX = x[i];
            }
        }
        assertTrue(worstUlps <= 2, "worst error " + worstUlps + " ulps at x=" + worstX);
        assertEquals(1f, VecMath.exp(0f));
    }

    @Test
    void expEdgeCases() {
        assertEquals(0f, VecMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, VecMath.exp(-1000f));
        assertEquals(0f, VecMath.exp(-104f));
        assertEquals(Float.POSITIVE_INFINITY, VecMath.exp(88.73f));
        // gradual underflow: subnormal results as Math.exp gives them (to 2 subnormal steps)
        assertEquals((float) Math.exp(-95.0), VecMath.exp(-95f), 2 * Float.MIN_VALUE);
        assertEquals((float) Math.exp(-103.0), VecMath.exp(-103f), 2 * Float.MIN_VALUE);
        assertEquals(Float.POSITIVE_INFINITY, VecMath.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(VecMath.exp(Float.NaN)));
        // just below the float overflow threshold the result is finite and accurate
        float big = 88.7f;
        assertEquals(Math.exp(big), VecMath.exp(big), 2 * Math.ulp((float) Math.exp(big)));
        float[] special = {Float.NEGATIVE_INFINITY, -1000f, 89f, Float.POSITIVE_INFINITY, Float.NaN, 0f, 88.7f, -87.5f};
        float[] padded = java.util.Arrays.copyOf(special, Math.max(special.length, VecMath.FL));
        float[] out = new float[padded.length];
        VecMath.exp(FloatVector.fromArray(VecMath.FS, padded, 0)).intoArray(out, 0);
        for (int i = 0; i < special.length; i++) {
            assertEquals(Float.floatToIntBits(VecMath.exp(special[i])), Float.floatToIntBits(out[i]), "lane " + special[i]);
        }
    }

    @Test
    void dotAndSumSquaresMatchDoubleReference() {
        Random r = new Random(2);
        for (int n : new int[] {0, 1, 7, 16, 33, 100, 1031}) {
            float[] a = Reference.randn(r, n + 5, 1), b = Reference.randn(r, n + 3, 1);
            double dot = 0, ss = 0, abs = 0;
            for (int i = 0; i < n; i++) {
                dot += (double) a[i + 5] * b[i + 3];
                abs += Math.abs((double) a[i + 5] * b[i + 3]);
                ss += (double) a[i + 5] * a[i + 5];
            }
            assertEquals(dot, VecMath.dot(a, 5, b, 3, n), 1e-6 * abs + 1e-7, "dot n=" + n);
            assertEquals(ss, VecMath.sumSquares(a, 5, n), 1e-14 * ss, "sumSquares n=" + n);
        }
    }
}
