package rift.grpo;

import java.util.Arrays;

/**
 * grpo.top_entropy_quantile (the "80/20" paper, Wang et al. 2025; TRL's get_high_entropy_mask): the tokens that keep
 * the policy-gradient term are those whose entropy is at least the (1 - top) quantile of the entropies of all the
 * step's loss tokens, the quantile interpolated linearly between order statistics as torch.quantile does.
 *
 * @param keep      per completion, per token: whether the policy-gradient term applies (false outside the loss mask)
 * @param threshold the entropy a kept token reaches (NaN when the step has no loss token)
 * @param kept      how many loss tokens are kept
 * @param tokens    how many loss tokens there are
 */
public record EntropyMask(boolean[][] keep, double threshold, long kept, long tokens) {
    /**
     * @param entropy  per completion, per token entropy under the policy
     * @param lossMask per completion, per token: in the loss (a truncated completion may be out entirely)
     * @param top      the fraction to keep, in (0, 1]
     */
    public static EntropyMask of(double[][] entropy, boolean[][] lossMask, double top) {
        long n = 0;
        for (int i = 0; i < entropy.length; i++) for (int t = 0; t < entropy[i].length; t++) if (lossMask[i][t]) n++;
        double[] values = new double[Math.toIntExact(n)];
        int at = 0;
        for (int i = 0; i < entropy.length; i++) for (int t = 0; t < entropy[i].length; t++) if (lossMask[i][t]) values[at++] = entropy[i][t];
        double threshold = quantile(values, 1 - top);
        boolean[][] keep = new boolean[entropy.length][];
        long kept = 0;
        for (int i = 0; i < entropy.length; i++) {
            keep[i] = new boolean[entropy[i].length];
            for (int t = 0; t < keep[i].length; t++) {
                keep[i][t] = lossMask[i][t] && entropy[i][t] >= threshold;
                if (keep[i][t]) kept++;
            }
        }
        return new EntropyMask(keep, threshold, kept, n);
    }

    /** torch.quantile(values, q) (linear interpolation): sorted x, position q (n - 1), between its neighbours. */
    static double quantile(double[] values, double q) {
        if (values.length == 0) return Double.NaN;
        double[] x = values.clone();
        Arrays.sort(x);
        double pos = q * (x.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(lo + 1, x.length - 1);
        return x[lo] + (pos - lo) * (x[hi] - x[lo]);
    }

    public double keptFraction() {
        return tokens == 0 ? 0 : (double) kept / tokens;
    }
}
