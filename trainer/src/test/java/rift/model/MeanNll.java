package rift.model;

/**
 * The mean next-token negative log-likelihood over the positions with a target (target >= 0), and its
 * gradient with respect to each position's log-prob (-1 / count there, 0 elsewhere): the loss the model
 * tests train and compare on.
 */
record MeanNll(double loss, float[] dLogp) {
    static MeanNll of(float[] logp, int[] targets) {
        int count = 0;
        for (int t : targets) if (t >= 0) count++;
        float[] d = new float[targets.length];
        double loss = 0;
        for (int i = 0; i < targets.length; i++)
            if (targets[i] >= 0) {
                loss -= logp[i];
                d[i] = -1f / count;
            }
        return new MeanNll(loss / count, d);
    }
}
