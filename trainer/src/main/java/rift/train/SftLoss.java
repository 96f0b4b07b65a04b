package rift.train;

import rift.recipe.SftConfig.LossType;

/**
 * The SFT loss of one micro-batch's target tokens under the step's token-mean normaliser (the step's target
 * token count, so micro-batching does not change the result):
 * <pre>
 *   nll:  l_t = -log p_t                 d L / d log p_t = -1 / N
 *   dft:  l_t = -sg(p_t) log p_t         d L / d log p_t = -p_t / N   (p_t a constant weight, as TRL's dft)
 * </pre>
 *
 * @param lossSum sum of l_t over the target tokens (the logged loss is lossSum / N over the step)
 * @param nllSum  sum of -log p_t (equal to lossSum for nll)
 * @param dLogp   d L / d log p_t per position; 0 where targets[t] < 0
 */
public record SftLoss(double lossSum, double nllSum, float[] dLogp) {
    public static SftLoss of(LossType type, float[] logp, int[] targets, int stepLossTokens) {
        float[] dLogp = new float[logp.length];
        double loss = 0, nll = 0;
        for (int i = 0; i < logp.length; i++) {
            if (targets[i] < 0) continue;
            nll -= logp[i];
            if (type == LossType.DFT) {
                double p = Math.exp(logp[i]);
                loss -= p * logp[i];
                dLogp[i] = (float) (-p / stepLossTokens);
            } else {
                loss -= logp[i];
                dLogp[i] = -1f / stepLossTokens;
            }
        }
        return new SftLoss(loss, nll, dLogp);
    }
}
