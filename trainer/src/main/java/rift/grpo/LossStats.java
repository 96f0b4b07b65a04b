package rift.grpo;

/**
 * What one or more micro-batches of a step contributed: the loss terms (already divided by the step's
 * {@link Normaliser}, so adding the micro-batches gives the step loss) and raw sums and counts for the
 * metrics (so the step's metrics are exact token means over the step, not means of micro-batch means).
 * Counts are over loss tokens (mask true) unless named otherwise.
 *
 * @param pgLoss          sum of weight * clipped surrogate
 * @param klLoss          sum of weight * beta * k (kl_in: loss only)
 * @param entropyLoss     sum of weight * (-entropy_coef * entropy)
 * @param tokens          loss tokens
 * @param allTokens       completion tokens, masked or not
 * @param clipLow         loss tokens with A < 0 and ratio < 1 - epsilon_low (gradient removed by the lower clip)
 * @param clipHigh        loss tokens with A > 0 and ratio > 1 + epsilon_high (gradient removed by the upper clip)
 * @param clipDual        loss tokens with A < 0 whose loss the dual clip capped at -A * c (verl pg_clipfrac_lower)
 * @param sumApproxKl     sum of (rho - 1) - log rho: k3 estimate of KL(pi_old || pi_theta), log rho clamped to +-20
 * @param sumRefKl        sum of the configured estimator's k(logp, ref_logp), on tokens with a reference
 * @param refTokens       loss tokens that had a reference log-prob
 * @param sumEntropy      sum of entropy
 * @param entropyTokens   loss tokens that had an entropy
 * @param sequences       completions
 */
public record LossStats(double pgLoss, double klLoss, double entropyLoss, long tokens, long allTokens, long clipLow,
                        long clipHigh, long clipDual, double sumApproxKl, double sumRefKl, long refTokens,
                        double sumEntropy, long entropyTokens, int sequences) {

    public static final LossStats ZERO = new LossStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The step loss (or this micro-batch's share of it). */
    public double loss() {
        return pgLoss + klLoss + entropyLoss;
    }

    public LossStats plus(LossStats o) {
        return new LossStats(pgLoss + o.pgLoss, klLoss + o.klLoss, entropyLoss + o.entropyLoss, tokens + o.tokens,
                allTokens + o.allTokens, clipLow + o.clipLow, clipHigh + o.clipHigh, clipDual + o.clipDual,
                sumApproxKl + o.sumApproxKl, sumRefKl + o.sumRefKl, refTokens + o.refTokens, sumEntropy + o.sumEntropy,
                entropyTokens + o.entropyTokens, sequences + o.sequences);
    }

    public double clipLowFraction() {
        return ratio(clipLow, tokens);
    }

    public double clipHighFraction() {
        return ratio(clipHigh, tokens);
    }

    /** Low + high: verl's actor/pg_clipfrac (tokens where pg2 > pg1). */
    public double clipFraction() {
        return ratio(clipLow + clipHigh, tokens);
    }

    public double clipDualFraction() {
        return ratio(clipDual, tokens);
    }

    /** Mean k3(pi_old || pi_theta) per loss token: 0 on the first pass of an on-policy step. */
    public double approxKl() {
        return ratio(sumApproxKl, tokens);
    }

    /** Mean KL estimate to the reference per loss token; NaN without reference log-probs. */
    public double refKl() {
        return refTokens == 0 ? Double.NaN : sumRefKl / refTokens;
    }

    /** Mean entropy per loss token; NaN without entropies. */
    public double entropyMean() {
        return entropyTokens == 0 ? Double.NaN : sumEntropy / entropyTokens;
    }

    /** Loss tokens / completion tokens: below 1 when mask_truncated_completions removed some. */
    public double tokenFraction() {
        return ratio(tokens, allTokens);
    }

    private static double ratio(double num, double den) {
        return den == 0 ? 0.0 : num / den;
    }
}
