package rift.kernels.cpu;

/**
 * AdamW with decoupled weight decay and bias correction, fp32 moments, as torch.optim.AdamW:
 * p -= lr * wd * p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
 * g is first multiplied by gradScale (global-norm clipping folded in, as llm.c does). The caller
 * passes wd = 0 for tensors that are not 2-D weights.
 */
public final class AdamW {
    private AdamW() {}

    /** step is 1-based (the number of updates including this one). */
    public static void update(float[] p, float[] g, float[] m, float[] v, int off, int n, float lr, float beta1,
                              float beta2, float eps, float weightDecay, int step, float gradScale) {
        throw new UnsupportedOperationException("pending: AdamW.update");
    }
}
