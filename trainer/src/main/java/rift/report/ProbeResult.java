package rift.report;

import java.util.List;

/**
 * The drift probes of one trained arm and seed on one task (paper.md §4.1–4.3).
 *
 * @param arm                 the arm's name ({@link ArmResult#name()}); never the base arm
 * @param seed                the training seed
 * @param task                the probe task (a benchmark name, e.g. MATH500)
 * @param tokenKl             per-token KL(π_tuned ‖ π_base) on the tuned model's own responses (§4.2)
 * @param meanRankShift       mean over response tokens of rank_base − rank_tuned (§4.3)
 * @param urial               token counts in Lin et al.'s buckets by base rank (§4.3)
 * @param topShiftedTokens    the most frequent shifted tokens (base rank ≠ tuned rank) with their counts
 * @param rankShiftHistogram  token counts per rank-shift bin; may be empty
 * @param pca                 per-layer mean projections on the base model's first two principal components (§4.1)
 * @param pcaDistance         the paper's PCA shift d between the layer-averaged base and tuned points; NaN if absent
 */
public record ProbeResult(String arm, int seed, String task, double tokenKl, double meanRankShift,
                          UrialBuckets urial, List<TokenCount> topShiftedTokens,
                          List<RankShiftBin> rankShiftHistogram, List<PcaLayerPoint> pca, double pcaDistance) {
    public ProbeResult {
        if (urial == null) urial = new UrialBuckets(0, 0, 0);
        topShiftedTokens = topShiftedTokens == null ? List.of() : List.copyOf(topShiftedTokens);
        rankShiftHistogram = rankShiftHistogram == null ? List.of() : List.copyOf(rankShiftHistogram);
        pca = pca == null ? List.of() : List.copyOf(pca);
    }

    /**
     * Response tokens by their rank under the base model (the tuned model's own tokens): unshifted when the base
     * also ranks them first, marginal at base rank 2–3, shifted above 3 (Lin et al. 2023; paper.md §4.3).
     */
    public record UrialBuckets(long unshifted, long marginal, long shifted) {
        public long total() {
            return unshifted + marginal + shifted;
        }
    }

    /** A token's text as the tokenizer decodes it (spaces and newlines kept) and how often it shifted. */
    public record TokenCount(String token, long count) {}

    /** Tokens whose rank shift lies in [lowInclusive, highInclusive]. */
    public record RankShiftBin(long lowInclusive, long highInclusive, long count) {
        /** "3" for a one-value bin, "4–7" otherwise. */
        public String label() {
            return lowInclusive == highInclusive ? Long.toString(lowInclusive)
                    : lowInclusive + "–" + (highInclusive == Long.MAX_VALUE ? "∞" : Long.toString(highInclusive));
        }
    }

    /**
     * One layer's mean projections: the base model's features and the tuned model's features, both projected on
     * the base model's components (layer 0 is the embedding output).
     */
    public record PcaLayerPoint(int layer, double basePc1, double basePc2, double tunedPc1, double tunedPc2) {}
}
