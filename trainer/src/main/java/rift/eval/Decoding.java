package rift.eval;

import rift.rollout.Sampler;

/**
 * How a benchmark generates: temperature (0 = greedy), nucleus top-p, the longest response in tokens,
 * and how many samples per item are averaged (avg@k).
 */
public record Decoding(double temperature, double topP, int maxNewTokens, int samples) {
    public static final Decoding GREEDY_DEFAULT = new Decoding(0, 1, 1024, 1);

    public Sampler sampler() {
        return new Sampler((float) temperature, 0, (float) topP, 0f);
    }

    public Decoding withMaxNewTokens(int n) {
        return new Decoding(temperature, topP, n, samples);
    }
}
