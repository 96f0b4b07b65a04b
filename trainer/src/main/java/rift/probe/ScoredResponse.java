package rift.probe;

/**
 * One response of the tuned model, teacher-forced through both models: for each response token y_t (in
 * order, prompt excluded) its id, log p(y_t | y_&lt;t, x) and its rank among the vocabulary (1 = the
 * model's top token) under the tuned and under the base model.
 *
 * <p>The tuned arrays describe the tuned model's tokenisation and must match tokenIds in length; the base
 * arrays may be shorter or longer (a base scored with another tokenizer): the probe uses the common prefix
 * length, as the paper's code does. A log-probability may be −∞ (probability 0 in bf16); the KL term adds
 * 1e-10 to the probability first.
 */
public record ScoredResponse(int[] tokenIds, double[] tunedLogProbs, int[] tunedRanks, double[] baseLogProbs,
                             int[] baseRanks) {

    /** Tokens scored by both models (before any first-token skip). */
    public int commonLength() {
        return Math.min(tunedLogProbs.length, baseLogProbs.length);
    }
}
