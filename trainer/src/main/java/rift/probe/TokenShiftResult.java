package rift.probe;

import java.util.List;

/**
 * The token-distribution probes of one task (paper.md §4.2-§4.3), see {@link TokenShift}.
 *
 * @param task                  the task (benchmark) name
 * @param sequences             responses given
 * @param sequencesUsed         responses with at least one scored token after the optional first-token skip
 *                              (the others are left out of every statistic, as in the paper's code)
 * @param tokens                scored tokens over the used responses
 * @param klSigned              mean_seq mean_tok [log(p_tuned + 1e-10) − log(p_base + 1e-10)]
 * @param kl                    |klSigned|, the paper's KL value
 * @param avgRankShift          the headline average rank shift: mean over responses of the per-response mean
 *                              of rank_base − rank_tuned (every response weighs the same, like the KL)
 * @param avgRankShiftPerToken  the same difference averaged over all tokens pooled (long responses weigh more)
 * @param shiftedTokens         tokens with rank_base ≠ rank_tuned
 * @param shiftedFraction       shiftedTokens / tokens
 * @param shiftedPerResponse    shifted-token count of each used response (the paper's Tab. 8 numbers)
 * @param shiftedTokenList      token ids with rank_base ≠ rank_tuned, most frequent first (ties: lower id)
 * @param buckets               URIAL buckets of the base rank of every scored token
 * @param rankShiftByPosition   mean rank shift at response position t (0 = first scored token)
 * @param responsesAtPosition   how many responses reach position t (the curve's support)
 * @param skippedFirstToken     whether the paper code's first-response-token skip was applied
 */
public record TokenShiftResult(String task, int sequences, int sequencesUsed, long tokens, double klSigned,
                               double kl, double avgRankShift, double avgRankShiftPerToken, long shiftedTokens,
                               double shiftedFraction, List<Integer> shiftedPerResponse,
                               List<ShiftedToken> shiftedTokenList, Buckets buckets,
                               List<Double> rankShiftByPosition, List<Integer> responsesAtPosition,
                               boolean skippedFirstToken) {

    /**
     * A token id that was shifted at least once.
     *
     * @param count         how often it occurred with rank_base ≠ rank_tuned
     * @param rankShiftSum  sum of rank_base − rank_tuned over those occurrences
     */
    public record ShiftedToken(int tokenId, long count, long rankShiftSum) {
        /** Mean rank shift over the token's shifted occurrences. */
        public double meanRankShift() {
            return (double) rankShiftSum / count;
        }
    }

    /**
     * URIAL token-distribution-shift buckets (Lin et al. 2023) of rank_base of the tuned model's tokens.
     * The bucket bounds are the URIAL ones; the paper itself gives none (paper.md §4.3).
     *
     * @param unshifted rank_base = 1
     * @param marginal  rank_base ∈ {2, 3}
     * @param shifted   rank_base &gt; 3
     */
    public record Buckets(long unshifted, long marginal, long shifted) {
        public long total() {
            return unshifted + marginal + shifted;
        }

        public double unshiftedFraction() {
            return fraction(unshifted);
        }

        public double marginalFraction() {
            return fraction(marginal);
        }

        public double shiftedFraction() {
            return fraction(shifted);
        }

        private double fraction(long n) {
            long t = total();
            return t == 0 ? 0 : (double) n / t;
        }

        Buckets plus(Buckets o) {
            return new Buckets(unshifted + o.unshifted, marginal + o.marginal, shifted + o.shifted);
        }
    }

    /**
     * The shifted tokens for a word cloud: at least minCount occurrences and a mean rank shift of at least
     * minMeanRankShift. The paper does not give its thresholds (paper.md §4.3), so both are the caller's.
     */
    public List<ShiftedToken> frequentShiftedTokens(long minCount, double minMeanRankShift) {
        return shiftedTokenList.stream()
                .filter(t -> t.count() >= minCount && t.meanRankShift() >= minMeanRankShift)
                .toList();
    }
}
