package rift.kernels.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * AdamW with decoupled weight decay and bias correction, fp32 moments, as torch.optim.AdamW:
 * p -= lr * wd * p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
 * g is first multiplied by gradScale (global-norm clipping folded in, as llm.c does). The caller
 * passes wd = 0 for tensors that are not 2-D weights.
 *
 * <p>The float operations follow torch's single-tensor path step by step: p *= (1 - lr*wd);
 * m.lerp_(g, 1-b1) (= m + (1-b1)(g-m), fused as torch's vectorised lerp does); v = v*b2 + ((1-b2) g) g;
 * denom = sqrt(v) / sqrt(1-b2^t) + eps; p += -(lr / (1-b1^t)) * (m / denom). The scalars (bias
 * corrections, step size, 1 - lr*wd, 1 - b) are computed in double, as Python does, and rounded to
 * float once. For them a float hyper-parameter is read as the shortest decimal it prints as (0.9f is
 * taken as 0.9, not as 0.89999997615814): that is the number the recipe wrote and the Python float
 * torch would get, and it keeps 1 - beta1 at 0.1 instead of 0.10000002.
 */
public final class AdamW {
    private static final int FL = VecMath.FL;

    private AdamW() {}

    /**
     * step is 1-based (the number of updates including this one). All four arrays are read and written
     * at [off, off + n); g is not modified.
     */
    public static void update(float[] p, float[] g, float[] m, float[] v, int off, int n, float lr, float beta1,
                              float beta2, float eps, float weightDecay, int step, float gradScale) {
        if (step < 1) throw new IllegalArgumentException("AdamW step is 1-based, got " + step);
        Vec.checkLength("p", p, off, n);
        Vec.checkLength("g", g, off, n);
        Vec.checkLength("m", m, off, n);
        Vec.checkLength("v", v, off, n);
        final double lrD = decimal(lr), b1D = decimal(beta1), b2D = decimal(beta2);
        final float decay = (float) (1.0 - lrD * decimal(weightDecay));
        final float w1 = (float) (1.0 - b1D);
        final float w2 = (float) (1.0 - b2D);
        final double bc1 = 1.0 - Math.pow(b1D, step);
        final double bc2 = 1.0 - Math.pow(b2D, step);
        final float negStepSize = (float) -(lrD / bc1);
        final float bc2Sqrt = (float) Math.sqrt(bc2);
        Parallel.forRange(n, Vec.GRAIN / 4, (c, s, e) -> {
            int i = off + s, end = off + e;
            FloatVector w1V = FloatVector.broadcast(VecMath.FS, w1);
            for (int bound = end - FL + 1; i < bound; i += FL) {
                FloatVector gi = FloatVector.fromArray(VecMath.FS, g, i).mul(gradScale);
                FloatVector mi = FloatVector.fromArray(VecMath.FS, m, i);
                mi = gi.sub(mi).fma(w1V, mi);
                FloatVector vi = FloatVector.fromArray(VecMath.FS, v, i).mul(beta2).add(gi.mul(w2).mul(gi));
                FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
                FloatVector pi = FloatVector.fromArray(VecMath.FS, p, i).mul(decay);
                pi = pi.add(mi.div(denom).mul(negStepSize));
                mi.intoArray(m, i);
                vi.intoArray(v, i);
                pi.intoArray(p, i);
            }
            for (; i < end; i++) {
                float gi = g[i] * gradScale;
                float mi = Math.fma(gi - m[i], w1, m[i]);
                float vi = v[i] * beta2 + gi * w2 * gi;
                float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
                m[i] = mi;
                v[i] = vi;
                p[i] = p[i] * decay + (mi / denom) * negStepSize;
            }
        });
    }

    /** The double nearest to the shortest decimal that prints as f (0.9f -> 0.9). */
    static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }
}
