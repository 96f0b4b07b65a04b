package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;
import static rift.kernels.cpu.TileMath.F;
import static rift.kernels.cpu.TileMath.L;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The attention inner loops against plain loops, and the vector exp against Math.exp. */
class TileMathTest {

    /** rows4 against a plain double loop, for every block shape (4x4, 4x2, 4x1 vectors) and A read either way. */
    @Test
    void rows4MatchesPlainLoops() {
        Random rnd = new Random(31);
        for (int wVecs = 1; wVecs <= 7; wVecs++) {
            for (boolean transposedA : new boolean[] {false, true}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    int K = 13, k0 = 2, k1 = 11, ldb = wVecs * L + 3, ldc = wVecs * L + 5;
                    float[] a = AttentionReference.randomFloats(rnd, 4 * K + 7, 1);
                    float[] b = AttentionReference.randomFloats(rnd, K * ldb + 9, 1);
                    float[] c = AttentionReference.randomFloats(rnd, 4 * ldc + 6, 1);
                    int aOff = 3, bOff = 4, cOff = 6;
                    int ars = transposedA ? 1 : K, aks = transposedA ? 4 : 1;
                    double[] expected = new double[c.length];
                    for (int i = 0; i < c.length; i++) expected[i] = c[i];
                    for (int r = 0; r < 4; r++) {
                        for (int w = 0; w < wVecs * L; w++) {
                            double s = accumulate ? c[cOff + r * ldc + w] : 0;
                            for (int k = k0; k < k1; k++) s += (double) a[aOff + r * ars + k * aks] * b[bOff + k * ldb + w];
                            expected[cOff + r * ldc + w] = s;
                        }
                    }
                    TileMath.rows4(a, aOff, ars, aks, b, bOff, ldb, c, cOff, ldc, k0, k1, wVecs, accumulate);
                    String what = "wVecs " + wVecs + " transposedA " + transposedA + " accumulate " + accumulate;
                    // entries outside the four rows' first wVecs*L columns are untouched (exactly equal)
                    assertTrue(AttentionReference.maxAbsDiff(c, expected) < 1e-5, what);
                }
            }
        }
    }

    @Test
    void expIsWithinTwoUlpOfMathExp() {
        Random rnd = new Random(32);
        float[] x = new float[L], y = new float[L];
        double worst = 0;
        for (int it = 0; it < 20000; it++) {
            for (int i = 0; i < L; i++) x[i] = (float) (rnd.nextDouble() * 175 - 87);
            TileMath.exp(FloatVector.fromArray(F, x, 0)).intoArray(y, 0);
            for (int i = 0; i < L; i++) {
                double e = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(y[i] - e) / Math.ulp((float) e));
            }
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
    }

    @Test
    void expEdgeCases() {
        float[] x = new float[Math.max(L, 8)];
        float[] special = {0f, -0f, 1f, -1f, -100f, Float.NEGATIVE_INFINITY, 88f, 1000f};
        float[] want = {1f, 1f, (float) Math.E, (float) Math.exp(-1), 0f, 0f, (float) Math.exp(88), (float) Math.exp(88)};
        float[] y = new float[x.length];
        for (int start = 0; start < special.length; start += L) {
            java.util.Arrays.fill(x, 0f);
            int n = Math.min(L, special.length - start);
            System.arraycopy(special, start, x, 0, n);
            TileMath.exp(FloatVector.fromArray(F, x, 0)).intoArray(y, 0);
            for (int i = 0; i < n; i++) {
                float w = want[start + i];
                assertEquals(w, y[i], 2 * Math.ulp(w), "exp(" + special[start + i] + ")");
            }
        }
        x[0] = Float.NaN;
        TileMath.exp(FloatVector.fromArray(F, x, 0)).intoArray(y, 0);
        assertTrue(Float.isNaN(y[0]), "exp(NaN) must stay NaN");
    }

    @Test
    void dotAndAxpyHandleTails() {
        Random rnd = new Random(33);
        for (int n : new int[] {1, L - 1, L, L + 3, 3 * L + 1}) {
            float[] a = AttentionReference.randomFloats(rnd, n + 2, 1), b = AttentionReference.randomFloats(rnd, n + 5, 1);
            double dot = 0;
            for (int i = 0; i < n; i++) dot += (double) a[2 + i] * b[5 + i];
            assertEquals(dot, TileMath.dot(a, 2, b, 5, n), 1e-5, "dot n=" + n);
            float[] y = b.clone();
            TileMath.axpy(0.75f, a, 2, y, 5, n);
            for (int i = 0; i < b.length; i++) {
                double want = i >= 5 && i < 5 + n ? b[i] + 0.75 * a[i - 3] : b[i];
                assertEquals(want, y[i], 1e-6, "axpy n=" + n + " i=" + i);
            }
        }
    }

    @Test
    void workSplitCutsContiguousPartsOfEqualCost() {
        long[] cost = {1, 1, 1, 1, 10, 1, 1, 1, 1, 10, 1, 1};
        int[] b = WorkSplit.bounds(cost, 2);
        assertArrayEquals(new int[] {0, 6, 12}, b); // 15 and 15 of 30
        int[] three = WorkSplit.bounds(cost, 3);
        for (int p = 0; p < 3; p++) assertTrue(three[p] <= three[p + 1]);
        assertEquals(0, three[0]);
        assertEquals(cost.length, three[3]);
        assertArrayEquals(new int[] {0, 0, 1}, WorkSplit.bounds(new long[] {5}, 2)); // more parts than items
    }
}
