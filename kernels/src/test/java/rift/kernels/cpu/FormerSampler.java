package rift.kernels.cpu;

import java.util.Arrays;

/**
 * rift.rollout.Sampler#sample as it was before sampling moved into the backends (commit 72ce347), kept
 * verbatim but for the uniform, which it took from an Rng (one nextDouble, only when not greedy) and here
 * is a parameter: the reference {@link Sampling#pick} must reproduce bit for bit, so rollouts on the CPU
 * backend did not change.
 */
final class FormerSampler {
    private FormerSampler() {}

    record Pick(int token, float logp) {}

    static Pick sample(float temperature, int topK, float topP, float minP, float[] logits, int off, int vocab, int candidates,
                       double uniform) {
        float t = temperature == 0f ? 1f : temperature;
        double max = Double.NEGATIVE_INFINITY;
        int argmax = 0;
        for (int i = 0; i < vocab; i++) {
            float l = logits[off + i];
            if (l > max) max = l;
        }
        for (int i = 1; i < candidates; i++) if (logits[off + i] > logits[off + argmax]) argmax = i;
        double sum = 0;
        for (int i = 0; i < vocab; i++) sum += Math.exp((logits[off + i] - max) / t);
        double lse = max / t + Math.log(sum);
        if (temperature == 0f) return new Pick(argmax, (float) (logits[off + argmax] / t - lse));

        if (topK == 0 && topP >= 1f && minP == 0f) {
            double total = 0;
            for (int i = 0; i < candidates; i++) total += Math.exp(logits[off + i] / t - lse);
            double u = uniform * total, acc = 0;
            for (int i = 0; i < candidates; i++) {
                double pi = Math.exp(logits[off + i] / t - lse);
                acc += pi;
                if (u < acc) return new Pick(i, (float) Math.log(pi));
            }
            return new Pick(argmax, (float) (logits[off + argmax] / t - lse));
        }

        int keep = candidates;
        double[] p = new double[vocab];
        for (int i = 0; i < vocab; i++) p[i] = Math.exp(logits[off + i] / t - lse);
        boolean[] dropped = new boolean[vocab];
        for (int i = candidates; i < vocab; i++) dropped[i] = true;
        if (topK > 0 && topK < candidates || topP < 1f) {
            Integer[] order = new Integer[candidates];
            for (int i = 0; i < candidates; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> Float.compare(logits[off + b], logits[off + a]) != 0
                    ? Float.compare(logits[off + b], logits[off + a]) : Integer.compare(a, b));
            if (topK > 0 && topK < candidates) {
                for (int r = topK; r < candidates; r++) dropped[order[r]] = true;
                keep = topK;
            }
            if (topP < 1f) {
                double mass = 0, kept = 0;
                for (int r = 0; r < keep; r++) kept += p[order[r]];
                for (int r = 0; r < keep; r++) {
                    if (r > 0 && mass >= topP * kept) {
                        for (int q = r; q < keep; q++) dropped[order[q]] = true;
                        break;
                    }
                    mass += p[order[r]];
                }
            }
        }
        if (minP > 0f) {
            double top = p[argmax];
            for (int i = 0; i < candidates; i++) if (p[i] < minP * top) dropped[i] = true;
        }
        double total = 0;
        for (int i = 0; i < vocab; i++) if (!dropped[i]) total += p[i];
        double u = uniform * total, acc = 0;
        int last = argmax;
        for (int i = 0; i < vocab; i++) {
            if (dropped[i]) continue;
            acc += p[i];
            last = i;
            if (u < acc) return new Pick(i, (float) Math.log(p[i]));
        }
        return new Pick(last, (float) Math.log(p[last]));
    }
}
