package rift.kernels;

/**
 * How {@link Backend#sample} picks a token from a row of logits. Filters apply in the order Hugging Face's
 * generate applies them: temperature, then top-k, then top-p (nucleus), then min-p. Temperature 0 is greedy
 * (argmax, lowest id on ties).
 *
 * @param topK 0 disables; topP 1 disables; minP 0 disables
 */
public record SamplingParams(float temperature, int topK, float topP, float minP) {
    public static final SamplingParams GREEDY = new SamplingParams(0f, 0, 1f, 0f);

    public SamplingParams {
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0");
        if (topK < 0) throw new IllegalArgumentException("top_k must be >= 0");
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top_p must be in (0, 1]");
        if (!(minP >= 0 && minP < 1)) throw new IllegalArgumentException("min_p must be in [0, 1)");
    }

    public boolean greedy() {
        return temperature == 0f;
    }

    /** No filter at all (GRPO's default): the draw is over every candidate and needs no order over the row. */
    public boolean plain() {
        return topK == 0 && topP >= 1f && minP == 0f;
    }
}
