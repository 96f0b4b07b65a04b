package rift.kernels.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWTest {
    /**
     * One parameter, p0 = 1, lr = 0.1, betas (0.9, 0.999), eps = 1e-8, wd = 0.1, gradients 0.5 then -0.25.
     * Step 1: p = 1 * (1 - 0.01) = 0.99; m = 0.05; v = 0.001 * 0.25 = 0.00025; m^ = 0.05 / 0.1 = 0.5;
     *   v^ = 0.00025 / 0.001 = 0.25; p = 0.99 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.890000002.
     * Step 2: p = 0.890000002 * 0.99 = 0.88110000198; m = 0.045 - 0.025 = 0.02;
     *   v = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225; m^ = 0.02 / 0.19 = 0.10526315789;
     *   v^ = 0.00031225 / 0.001999 = 0.15620310155, sqrt = 0.39522538070;
     *   p = 0.88110000198 - 0.1 * 0.10526315789 / 0.39522538080 = 0.85446629869.
     */
    @Test
    void handComputedTwoSteps() {
        float[] p = {1f}, m = {0f}, v = {0f};
        AdamW.update(p, new float[] {0.5f}, m, v, 0, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, 1, 1f);
        assertEquals(0.890000002, p[0], 1e-7);
        assertEquals(0.05, m[0], 1e-9); // 0.1f * 0.5f: 1 - beta1 is 0.1 as written, not 1 - 0.9f
        assertEquals(0.00025, v[0], 3e-11);
        AdamW.update(p, new float[] {-0.25f}, m, v, 0, 1, 0.1f, 0.9f, 0.999f, 1e-8f, 0.1f, 2, 1f);
        assertEquals(0.85446629869, p[0], 1e-7);
        assertEquals(0.02, m[0], 1e-8);
        assertEquals(0.00031225, v[0], 3e-11);
    }

    /** gradScale multiplies g before anything else: (g, scale 0.5) is the same update as (g/2, scale 1). */
    @Test
    void gradScaleScalesTheGradientFirst() {
        float[] p1 = {1f, -2f}, m1 = new float[2], v1 = new float[2];
        float[] p2 = p1.clone(), m2 = new float[2], v2 = new float[2];
        AdamW.update(p1, new float[] {0.6f, -1.2f}, m1, v1, 0, 2, 0.01f, 0.9f, 0.95f, 1e-8f, 0.1f, 1, 0.5f);
        AdamW.update(p2, new float[] {0.3f, -0.6f}, m2, v2, 0, 2, 0.01f, 0.9f, 0.95f, 1e-8f, 0.1f, 1, 1f);
        assertArrayEquals(p2, p1);
        assertArrayEquals(m2, m1);
        assertArrayEquals(v2, v1);
    }

    /** Three steps on 1000 elements at an offset against the same algorithm in double. */
    @Test
    void matchesDoubleReimplementationAndLeavesOtherElementsAlone() {
        Random r = new Random(40);
        int total = 1100, off = 37, n = 1000;
        double lr = 3e-3, b1 = 0.9, b2 = 0.95, eps = 1e-8, wd = 0.1;
        float scale = 0.7f;
        float[] p = Reference.randn(r, total, 1), m = new float[total], v = new float[total];
        double[] pd = Reference.toDouble(p), md = new double[total], vd = new double[total];
        float[] p0 = p.clone();
        for (int step = 1; step <= 3; step++) {
            float[] g = Reference.randn(r, total, step == 2 ? 1e-3 : 1); // tiny gradients too: eps matters
            AdamW.update(p, g, m, v, off, n, (float) lr, (float) b1, (float) b2, (float) eps, (float) wd, step, scale);
            for (int i = off; i < off + n; i++) {
                double gi = (double) g[i] * scale;
                pd[i] -= lr * wd * pd[i];
                md[i] = b1 * md[i] + (1 - b1) * gi;
                vd[i] = b2 * vd[i] + (1 - b2) * gi * gi;
                double mh = md[i] / (1 - Math.pow(b1, step)), vh = vd[i] / (1 - Math.pow(b2, step));
                pd[i] -= lr * mh / (Math.sqrt(vh) + eps);
            }
        }
        for (int i = 0; i < total; i++) {
            if (i < off || i >= off + n) {
                assertEquals(p0[i], p[i], "outside the range " + i);
                assertEquals(0f, m[i]);
                assertEquals(0f, v[i]);
            } else {
                assertEquals(pd[i], p[i], 1e-6 * Math.abs(pd[i]) + 1e-8, "p " + i);
                assertEquals(md[i], m[i], 1e-7, "m " + i); // m is O(0.1) and may cancel: absolute
                assertEquals(vd[i], v[i], 1e-5 * Math.abs(vd[i]) + 1e-15, "v " + i);
            }
        }
    }

    @Test
    void sameBitsFor1And2Threads() {
        Random r = new Random(41);
        int n = 50_001;
        float[] p = Reference.randn(r, n, 1), g = Reference.randn(r, n, 1);
        float[][] one = Reference.withThreads(1, () -> twoSteps(p, g, n));
        float[][] two = Reference.withThreads(2, () -> twoSteps(p, g, n));
        float[][] again = Reference.withThreads(2, () -> twoSteps(p, g, n));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(one[i], two[i]);
            assertArrayEquals(two[i], again[i]);
        }
    }

    private static float[][] twoSteps(float[] p0, float[] g, int n) {
        float[] p = p0.clone(), m = new float[n], v = new float[n];
        AdamW.update(p, g, m, v, 0, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 1, 1f);
        AdamW.update(p, g, m, v, 0, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 2, 1f);
        return new float[][] {p, m, v};
    }

    @Test
    void stepIsOneBased() {
        float[] a = {1f};
        assertThrows(IllegalArgumentException.class, () -> AdamW.update(a, a, a, a, 0, 1, 1f, 0.9f, 0.999f, 1e-8f, 0f, 0, 1f));
    }
}
