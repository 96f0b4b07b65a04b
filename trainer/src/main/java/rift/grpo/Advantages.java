package rift.grpo;

import rift.grpo.GrpoLossConfig.ScaleRewards;
import rift.grpo.GrpoLossConfig.Weight;

/**
 * Group rewards to per-completion advantages (outcome reward: one scalar per completion, broadcast to all
 * its tokens by the loss), and the paper's Eq. 3 weights. Groups are the G completions of one prompt.
 *
 * <pre>
 *   mean_g = (1/G) sum_j r_j                                   (the group of r_i)
 *   std_g  = sqrt( sum_j (r_j - mean_g)^2 / (G - 1) )          Bessel-corrected, as TRL (torch.std / nanstd)
 *   group: A_i = (r_i - mean_g) / (std_g + 1e-4)
 *   batch: A_i = (r_i - mean_g) / (std_B + 1e-4)               std_B: Bessel std of all rewards of the batch
 *   none:  A_i =  r_i - mean_g                                 (Dr. GRPO)
 *   G = 1: A_i = 0
 * </pre>
 * trainers.md §2.1 lines 152-160 (TRL). The epsilon is TRL's 1e-4; verl uses 1e-6 (§2.2 line 212), which only
 * matters when std is tiny: with 0/1 rewards the smallest non-zero group std is about 0.25 (G = 16), where the two
 * differ by 4e-4 relative. A group of one completion gets advantage 0 here: verl instead uses mean 0, std 1
 * (§2.2 line 211), i.e. A = r / (1 + 1e-6), which trains on a lone sample's raw reward; TRL requires G >= 2.
 * A zero-std group (all rewards equal) gets A = 0 / (0 + eps) = 0 exactly.
 */
public final class Advantages {
    /** TRL's epsilon added to the std (trainers.md line 158). */
    public static final double STD_EPSILON = 1e-4;

    private Advantages() {}

    /** Advantages of each group, same shape as {@code groupRewards}. */
    public static double[][] compute(double[][] groupRewards, ScaleRewards mode) {
        checkFinite(groupRewards);
        double batchStd = mode == ScaleRewards.BATCH ? stdBessel(flatten(groupRewards)) : 0;
        double[][] out = new double[groupRewards.length][];
        for (int g = 0; g < groupRewards.length; g++) {
            double[] r = groupRewards[g];
            out[g] = new double[r.length];
            if (r.length < 2) continue;
            double mean = mean(r);
            double scale = switch (mode) {
                case GROUP -> stdBessel(r) + STD_EPSILON;
                case BATCH -> batchStd + STD_EPSILON;
                case NONE -> 1.0;
            };
            for (int i = 0; i < r.length; i++) out[g][i] = mode == ScaleRewards.NONE ? r[i] - mean : (r[i] - mean) / scale;
        }
        return out;
    }

    /**
     * The per-completion weight w of paper Eq. 3 (L = -E[w log pi]), which {@link GrpoLoss} uses in place
     * of the advantage: ADVANTAGE: {@link #compute}; ONE: 1 for every completion (SFT on the samples);
     * REJECT: 1 if the verifier accepted the completion, else 0 (rejection-sampled SFT). With ratio 1 (mu = 1)
     * the clipped surrogate's gradient is exactly -w grad log pi, i.e. Eq. 3.
     */
    public static double[][] weights(Weight weight, double[][] groupRewards, boolean[][] groupCorrect, ScaleRewards mode) {
        return switch (weight) {
            case ADVANTAGE -> compute(groupRewards, mode);
            case ONE -> {
                double[][] out = new double[groupCorrect.length][];
                for (int g = 0; g < out.length; g++) {
                    out[g] = new double[groupCorrect[g].length];
                    java.util.Arrays.fill(out[g], 1.0);
                }
                yield out;
            }
            case REJECT -> {
                double[][] out = new double[groupCorrect.length][];
                for (int g = 0; g < out.length; g++) {
                    out[g] = new double[groupCorrect[g].length];
                    for (int i = 0; i < out[g].length; i++) out[g][i] = groupCorrect[g][i] ? 1.0 : 0.0;
                }
                yield out;
            }
        };
    }

    /** Arithmetic mean, summed in index order. */
    public static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** Bessel-corrected standard deviation; 0 for fewer than two values. */
    public static double stdBessel(double[] x) {
        if (x.length < 2) return 0;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1));
    }

    /** True when a group carries no learning signal: fewer than two rewards, or all equal. */
    public static boolean zeroStd(double[] group) {
        for (int i = 1; i < group.length; i++) if (group[i] != group[0]) return false;
        return true;
    }

    /** Fraction of groups with zero reward std (TRL frac_reward_zero_std); 0 for no groups. */
    public static double zeroStdFraction(double[][] groups) {
        if (groups.length == 0) return 0;
        int zero = 0;
        for (double[] g : groups) if (zeroStd(g)) zero++;
        return (double) zero / groups.length;
    }

    private static double[] flatten(double[][] groups) {
        int n = 0;
        for (double[] g : groups) n += g.length;
        double[] out = new double[n];
        int at = 0;
        for (double[] g : groups) {
            System.arraycopy(g, 0, out, at, g.length);
            at += g.length;
        }
        return out;
    }

    private static void checkFinite(double[][] groups) {
        for (int g = 0; g < groups.length; g++)
            for (int i = 0; i < groups[g].length; i++)
                if (!Double.isFinite(groups[g][i]))
                    throw new IllegalArgumentException("reward " + groups[g][i] + " of completion " + i + " in group " + g
                            + " is not finite: a reward function returned NaN or infinity");
    }
}
