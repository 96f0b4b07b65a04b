package rift.kernels.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import rift.kernels.Backend;
import rift.kernels.SamplingParams;
import rift.kernels.Tensor;

/**
 * The sampling checks of {@link ParityChecks}: {@link Backend#sample} on the device against the CPU
 * backend (the reference) for every filter mix, on random rows and on hand-made edge rows.
 *
 * <p>Tolerance: tokens must be equal. The device sums probabilities in another (fixed) order than the
 * reference, so a token may legitimately differ only where the uniform falls within ~1e-16 relative of a
 * cumulative boundary (or a top-p / min-p cut sits that close to its threshold): random rows hit that with
 * probability ~1e-13 each, and the edge rows are built away from such boundaries. Log-probs: within
 * 1e-6 relative (1 float ulp plus the last bits of double exp/log); infinite ones must be equal.
 */
final class SamplingParity {
    private SamplingParity() {}

    /** The filter mixes every random-row check runs (temperature, top_k, top_p, min_p). */
    static final List<SamplingParams> MIXES = List.of(
            SamplingParams.GREEDY,
            new SamplingParams(1f, 0, 1f, 0f),
            new SamplingParams(0.7f, 0, 1f, 0f),
            new SamplingParams(1.3f, 0, 1f, 0.05f),
            new SamplingParams(1f, 1, 1f, 0f),
            new SamplingParams(0.9f, 7, 1f, 0f),
            new SamplingParams(1f, 300, 1f, 0f),
            new SamplingParams(1f, 0, 0.9f, 0f),
            new SamplingParams(0.6f, 0, 0.35f, 0f),
            new SamplingParams(1f, 40, 0.85f, 0f),
            new SamplingParams(1.1f, 50, 0.95f, 0.02f),
            new SamplingParams(0.8f, 0, 0.7f, 0.1f),
            new SamplingParams(1f, 12, 1f, 0.2f),
            new SamplingParams(1f, 1 << 20, 1f, 0f)); // top_k past the candidates: the filtered path with no filter

    /** Outcome of comparing both backends' picks on one batch. */
    static final class Tally {
        int rows, tokenMismatches;
        double worstLogp;
        final StringBuilder detail = new StringBuilder();

        void add(String what, Backend.Picks c, Backend.Picks d) {
            for (int r = 0; r < c.tokens().length; r++) {
                rows++;
                float lc = c.logp()[r], ld = d.logp()[r];
                double e = lc == ld ? 0 : Math.abs((double) ld - lc) / Math.max(1, Math.abs(lc));
                if (Double.isNaN(e) || Double.isInfinite(lc) || Double.isInfinite(ld)) e = lc == ld ? 0 : Double.POSITIVE_INFINITY;
                worstLogp = Math.max(worstLogp, e);
                boolean tokenOk = c.tokens()[r] == d.tokens()[r];
                if (!tokenOk) tokenMismatches++;
                if ((!tokenOk || e > 1e-6) && detail.length() < 600) {
                    detail.append(String.format("; %s row %d: token %d vs %d, logp %.7g vs %.7g", what, r, d.tokens()[r], c.tokens()[r], ld, lc));
                }
            }
        }

        ParityChecks.Result result(String name) {
            double error = tokenMismatches > 0 ? Double.POSITIVE_INFINITY : worstLogp;
            return new ParityChecks.Result(name, error <= 1e-6, error, 1e-6,
                    rows + " rows, " + tokenMismatches + " tokens differ, logp " + String.format("%.2e", worstLogp) + detail);
        }
    }

    /** Both backends sample the same logits [B, V] (already on both sides) with the same uniforms. */
    static void compare(Tally t, String what, Backend cpu, Tensor c, Backend dev, Tensor d, int candidates, SamplingParams p,
                        double[] u) {
        t.add(what, cpu.sample(c, candidates, p, u), dev.sample(d, candidates, p, u));
    }

    static double[] uniforms(SplittableRandom random, int n) {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = random.nextDouble();
        return u;
    }

    /**
     * Hand-made rows [rows, v] (v >= 16) away from rounding boundaries: -inf logits, ties at the top and at the
     * top-k / top-p cuts, -0 against +0, one finite candidate, candidates all -inf while later ids are finite.
     * Wide rows (v > 600) also tie ids 256 apart, which the device reduces in the same thread. Flat rows tie
     * every id, so v and v - 1 times every top_p of {@link #MIXES}, and top_k times its top_p, must be far from
     * integers (or the top-p cut would sit exactly on its threshold): 37 and 703 are.
     */
    static float[] edgeRows(int rows, int v, SplittableRandom random) {
        float[] l = new float[rows * v];
        float ninf = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            int o = r * v;
            for (int i = 0; i < v; i++) l[o + i] = (float) (random.nextDouble() * 4 - 6); // [-6, -2): well below the tops
            switch (r % 8) {
                case 0 -> { // four equal tops (p ~0.2 each after the tail): ties for greedy, top-k and top-p cuts
                    for (int i : new int[] {3, 9, 10, 14}) l[o + i] = 2f;
                    if (v > 600) for (int i : new int[] {259, 515}) l[o + i] = 2f;
                }
                case 1 -> { // everything -inf but three ids, one of them the last candidate
                    java.util.Arrays.fill(l, o, o + v, ninf);
                    l[o + 1] = 0.5f;
                    l[o + 7] = 1.5f;
                    l[o + v - 1] = 1f;
                }
                case 2 -> { // -0 at a lower id than +0, both the maximum
                    l[o + 4] = -0f;
                    l[o + 11] = 0f;
                    for (int i = 0; i < v; i++) if (i != 4 && i != 11) l[o + i] -= 1f;
                }
                case 3 -> { // a flat row: every id ties
                    java.util.Arrays.fill(l, o, o + v, 0.25f);
                }
                case 4 -> { // id 0 is -inf, and a tie of two at the top
                    l[o] = ninf;
                    l[o + 5] = 3f;
                    l[o + 6] = 3f;
                }
                case 5 -> { // only the last id is finite (outside the candidates when they exclude it)
                    java.util.Arrays.fill(l, o, o + v, ninf);
                    l[o + v - 1] = 0f;
                }
                case 6 -> { // two groups of ties: 3 at 1.0 and 5 at 0.5
                    for (int i : new int[] {2, 8, 13}) l[o + i] = 1f;
                    for (int i : new int[] {0, 1, 6, 12, 15}) l[o + i] = 0.5f;
                }
                default -> { // a dominant token and a long flat tail
                    java.util.Arrays.fill(l, o, o + v, -1f);
                    l[o + v / 2] = 4f;
                }
            }
        }
        return l;
    }

    /** Uniforms for the edge rows: 0, the largest double below 1, and a few in between. */
    static double[] edgeUniforms(int rows, SplittableRandom random) {
        double[] u = new double[rows];
        for (int r = 0; r < rows; r++) {
            u[r] = switch (r % 3) {
                case 0 -> Math.nextDown(1.0);
                case 1 -> 0.0;
                default -> random.nextDouble();
            };
        }
        return u;
    }

    /** The candidate counts the edge rows run with: all ids, all but the last, one id only. */
    static List<Integer> edgeCandidates(int v) {
        List<Integer> c = new ArrayList<>(List.of(v, v - 1, 1));
        return c;
    }
}
