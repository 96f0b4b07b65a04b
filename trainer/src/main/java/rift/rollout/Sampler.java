package rift.rollout;

import rift.kernels.SamplingParams;
import rift.kernels.cpu.Sampling;
import rift.util.Rng;

/**
 * Picks the next token from one row of logits. Filters apply in the order Hugging Face's generate
 * applies them: temperature, then top-k, then top-p (nucleus), then min-p. Temperature 0 is greedy
 * (argmax, lowest id on ties). The returned log-prob is that of the policy the trainer optimises,
 * log softmax(logits / T) at the token, NOT of the truncated sampling distribution (TRL and verl
 * define the policy the same way, so rollout and trainer log-probs agree).
 *
 * @param topK 0 disables; topP 1 disables; minP 0 disables
 */
public record Sampler(float temperature, int topK, float topP, float minP) {
    public static final Sampler GREEDY = new Sampler(0f, 0, 1f, 0f);

    public Sampler {
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0");
        if (topK < 0) throw new IllegalArgumentException("top_k must be >= 0");
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top_p must be in (0, 1]");
        if (!(minP >= 0 && minP < 1)) throw new IllegalArgumentException("min_p must be in [0, 1)");
    }

    /** A sampled token and its log-prob under softmax(logits / T) (T = 1 when greedy). */
    public record Pick(int token, float logp) {}

    /** The same settings as the backend op takes them. */
    public SamplingParams params() {
        return new SamplingParams(temperature, topK, topP, minP);
    }

    /**
     * The one uniform a pick draws from a request's stream (nothing when greedy). Batched sampling
     * ({@link rift.kernels.Backend#sample}) draws it per row with this, so a request's stream sees exactly the
     * draws {@link #sample} would make.
     */
    public double uniform(Rng rng) {
        return temperature == 0f ? 0 : rng.nextDouble();
    }

    public Pick sample(float[] logits, int off, int vocab, Rng rng) {
        return sample(logits, off, vocab, vocab, rng);
    }

    /**
     * As {@link #sample(float[], int, int, Rng)}, drawing only among the first {@code candidates} ids (a
     * model's embedding is often larger than its tokenizer: ids past the tokenizer cannot be decoded), while
     * the log-prob stays normalised over the whole row, as the trainer's teacher-forced pass computes it.
     * The math is {@link Sampling#pick} (shared with the backends' batched op).
     */
    public Pick sample(float[] logits, int off, int vocab, int candidates, Rng rng) {
        if (candidates < 1 || candidates > vocab) throw new IllegalArgumentException("candidates " + candidates + " of " + vocab);
        float[] logp = new float[1];
        int token = Sampling.pick(logits, off, vocab, candidates, params(), uniform(rng), logp, 0);
        return new Pick(token, logp[0]);
    }
}
