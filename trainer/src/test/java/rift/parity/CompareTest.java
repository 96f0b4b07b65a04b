package rift.parity;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rift.kernels.cpu.AdamW;

/** The comparisons on hand-made inputs: each passes what it should and fails what it should. */
class CompareTest {
    private static final float LR = 5e-4f, WD = 0.1f, EPS = 1e-8f;

    /** One real AdamW step (the CPU kernel) from w0 with gradients g and clip scale 1. */
    private static float[] adamw(float[] w0, float[] g) {
        float[] p = w0.clone(), m = new float[w0.length], v = new float[w0.length];
        AdamW.update(p, g, m, v, 0, p.length, LR, 0.9f, 0.999f, EPS, WD, 1, 1f);
        return p;
    }

    private static StepState state(float[] w0, float[] g, float[] w1, double norm) {
        Map<String, float[]> a = new LinkedHashMap<>(), b = new LinkedHashMap<>(), c = new LinkedHashMap<>();
        a.put("w", w0);
        b.put("w", g);
        c.put("w", w1);
        return new StepState(a, b, c, norm, LR);
    }

    private static final float[] W0 = {0.02f, -0.5f, 1f, 0.3f, -0.01f};
    private static final float[] G = {0.4f, -0.2f, 3e-9f, 0.05f, 0f};

    @Test
    void adamwBoundAcceptsSignFlipsOfNoiseLevelGradients() {
        float[] gDev = G.clone();
        gDev[2] = -2e-9f; // below the gradient's rounding noise: the sign may legitimately differ
        gDev[0] = 0.40001f;
        Check c = Compare.adamwFirstStep("m", "w", state(W0, gDev, adamw(W0, gDev), 0.5), state(W0, G, adamw(W0, G), 0.5), EPS, 1.0,
                Tolerances.fp32().weights());
        assertEquals(Check.Status.PASS, c.status(), c.detail());
        assertTrue(c.detail().contains("1 gradient sign flips"), c.detail());
        assertTrue(c.maxAbs() > 1e-4, "the flipped weight moved the other way: about lr apart");
    }

    @Test
    void adamwBoundCatchesAWrongUpdate() {
        float[] w1 = adamw(W0, G);
        w1[1] += 5e-5f; // a tenth of a step off where both gradients agree
        Check c = Compare.adamwFirstStep("m", "w", state(W0, G, w1, 0.5), state(W0, G, adamw(W0, G), 0.5), EPS, 1.0,
                Tolerances.fp32().weights());
        assertEquals(Check.Status.FAIL, c.status());
        assertTrue(c.detail().contains("1 outside"), c.detail());
    }

    @Test
    void adamwBoundCountsTheClipScaleAndRejectsDifferentLearningRates() {
        // norm above the clip: the device's update used scale clip / norm on both sides, so identical steps pass
        Check ok = Compare.adamwFirstStep("m", "w", state(W0, G, adamw(W0, G), 4.0), state(W0, G, adamw(W0, G), 4.0), EPS, 1.0,
                Tolerances.fp32().weights());
        assertEquals(Check.Status.PASS, ok.status(), ok.detail());
        StepState dev = new StepState(state(W0, G, adamw(W0, G), 0.5).before(), Map.of("w", G), Map.of("w", adamw(W0, G)), 0.5, 2 * LR);
        assertEquals(Check.Status.FAIL, Compare.adamwFirstStep("m", "w", dev, state(W0, G, adamw(W0, G), 0.5), EPS, 1.0,
                Tolerances.fp32().weights()).status());
    }

    @Test
    void valuesUseTheReferenceForRelativeToleranceAndFailOnNaN() {
        Tol t = new Tol(0, 1e-3);
        assertEquals(Check.Status.PASS, Compare.values("m", "x", new double[] {1.0009, -2}, new double[] {1, -2}, t).status());
        assertEquals(Check.Status.FAIL, Compare.values("m", "x", new double[] {1.0011, -2}, new double[] {1, -2}, t).status());
        assertEquals(Check.Status.FAIL, Compare.values("m", "x", new double[] {Double.NaN}, new double[] {1}, t).status());
        assertEquals(Check.Status.FAIL, Compare.values("m", "x", new double[] {1}, new double[] {1, 2}, t).status());
        assertEquals(Check.Status.FAIL, Compare.values("m", "x", new double[0], new double[0], t).status(), "nothing compared is no pass");
        assertEquals(Check.Status.FAIL, Compare.scalar("m", "x", Double.NaN, Double.NaN, new Tol(1, 1)).status());
    }

    @Test
    void gradientsAreJudgedAgainstEachTensorsLargestEntry() {
        Map<String, float[]> cpu = Map.of("a", new float[] {1f, 1e-6f}, "b", new float[] {1e-3f, 0f});
        Map<String, float[]> close = Map.of("a", new float[] {1f + 5e-5f, 0f}, "b", new float[] {1e-3f + 5e-8f, 0f});
        Map<String, float[]> far = Map.of("a", new float[] {1f, 1e-6f}, "b", new float[] {1e-3f + 5e-7f, 0f});
        assertEquals(Check.Status.PASS, Compare.gradients("m", "g", close, cpu, 1e-4).status());
        Check c = Compare.gradients("m", "g", far, cpu, 1e-4);
        assertEquals(Check.Status.FAIL, c.status());
        assertTrue(c.detail().endsWith("worst b"), c.detail());
    }

    @Test
    void tokensMustMatchOnlyWhenAsked() {
        List<int[]> cpu = List.of(new int[] {1, 2, 3}, new int[] {4, 5});
        List<int[]> dev = List.of(new int[] {1, 2, 3}, new int[] {4, 6});
        Check strict = Compare.tokens("m", "t", dev, cpu, true);
        assertEquals(Check.Status.FAIL, strict.status());
        assertTrue(strict.detail().contains("first difference: sequence 1 at token 1"), strict.detail());
        assertEquals(Check.Status.INFO, Compare.tokens("m", "t", dev, cpu, false).status());
        assertEquals(Check.Status.PASS, Compare.tokens("m", "t", cpu, cpu, true).status());
    }
}
