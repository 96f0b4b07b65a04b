package rift.kernels.cuda;

/**
 * The host-side scalars of an AdamW step, computed exactly as rift.kernels.cpu.AdamW does (in double from
 * the shortest decimal of each float hyper-parameter, rounded to float once). The single-tensor and the
 * multi-tensor kernels both take them from here, which is what keeps their results the same bits.
 *
 * @param w1      1 - beta1 (the lerp weight of the first moment)
 * @param w2      1 - beta2
 * @param bc2Sqrt sqrt(1 - beta2^step)
 * @param negStep -(lr / (1 - beta1^step))
 */
record AdamWScalars(double lr, float w1, float w2, float bc2Sqrt, float negStep) {
    static AdamWScalars of(float lr, float beta1, float beta2, int step) {
        if (step < 1) throw new IllegalArgumentException("AdamW step is 1-based, got " + step);
        double lrD = decimal(lr), b1D = decimal(beta1), b2D = decimal(beta2);
        double bc1 = 1.0 - Math.pow(b1D, step);
        double bc2 = 1.0 - Math.pow(b2D, step);
        return new AdamWScalars(lrD, (float) (1.0 - b1D), (float) (1.0 - b2D), (float) Math.sqrt(bc2), (float) -(lrD / bc1));
    }

    /** 1 - lr * weightDecay: the factor p is multiplied by before the step. */
    float decay(float weightDecay) {
        return (float) (1.0 - lr * decimal(weightDecay));
    }

    /** The double nearest to the shortest decimal that prints as f (as rift.kernels.cpu.AdamW reads hyper-parameters). */
    static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }
}
