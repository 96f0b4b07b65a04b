package rift.grpo;

/**
 * {@link GrpoLoss} on one micro-batch: its share of the step loss and metrics, and the gradients to hand to
 * rift.model.Transformer#backward.
 *
 * @param stats    loss terms and metric sums (add over micro-batches with {@link LossStats#plus})
 * @param dLogp    per token: d step-loss / d logp (0 on masked tokens)
 * @param dEntropy per token: d step-loss / d entropy, or null when entropy_coef is 0 (no entropy backward needed)
 */
public record LossResult(LossStats stats, double[] dLogp, double[] dEntropy) {

    public double loss() {
        return stats.loss();
    }

    public float[] dLogpFloat() {
        return narrow(dLogp);
    }

    /** Null when there is no entropy term. */
    public float[] dEntropyFloat() {
        return dEntropy == null ? null : narrow(dEntropy);
    }

    private static float[] narrow(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) x[i];
        return out;
    }
}
