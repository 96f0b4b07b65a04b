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
 * @param params the settings as the backend's batched op takes them ({@link SamplingParams}: which also
 *               checks them)
 */
public record Sampler(SamplingParams params) {
    public static final Sampler GREEDY = new Sampler(SamplingParams.GREEDY);

    /** topK 0 disables; topP 1 disables; minP 0 disables. */
    public Sampler(float temperature, int topK, float topP, float minP) {
        this(new SamplingParams(temperature, topK, topP, minP));
    }

    public Sampler {
        java.util.Objects.requireNonNull(params, "params");
    }

    public float temperature() {
        return params.temperature();
    }

    /** A sampled token and its log-prob under softmax(logits / T) (T = 1 when greedy). */
    public record Pick(int token, float logp) {}

    /**
     * The one uniform a pick draws from a request's stream (nothing when greedy). Batched sampling
     * ({@link rift.kernels.Backend#sample}) draws it per row with this, so a request's stream sees exactly the
     * draws {@link #sample} would make.
     */
    public double uniform(Rng rng) {
        return params.greedy() ? 0 : rng.nextDouble();
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
        int token = Sampling.pick(logits, off, vocab, candidates, params, uniform(rng), logp, 0);
        return new Pick(token, logp[0]);
    }
}
