package rift.rollout;

import java.util.Arrays;
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

    public Pick sample(float[] logits, int off, int vocab, Rng rng) {
        return sample(logits, off, vocab, vocab, rng);
    }

    /**
     * As {@link #sample(float[], int, int, Rng)}, drawing only among the first {@code candidates} ids (a
     * model's embedding is often larger than its tokenizer: ids past the tokenizer cannot be decoded), while
     * the log-prob stays normalised over the whole row, as the trainer's teacher-forced pass computes it.
     */
    public Pick sample(float[] logits, int off, int vocab, int candidates, Rng rng) {
        if (candidates < 1 || candidates > vocab) throw new IllegalArgumentException("candidates " + candidates + " of " + vocab);
        float t = temperature == 0f ? 1f : temperature;
        // log-sum-exp of logits / t, in double
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

        if (topK == 0 && topP >= 1f && minP == 0f) { // plain sampling (GRPO's default): one pass, no buffers
            double total = 0;
            for (int i = 0; i < candidates; i++) total += Math.exp(logits[off + i] / t - lse);
            double u = rng.nextDouble() * total, acc = 0;
            for (int i = 0; i < candidates; i++) {
                double pi = Math.exp(logits[off + i] / t - lse);
                acc += pi;
                if (u < acc) return new Pick(i, (float) Math.log(pi));
            }
            return new Pick(argmax, (float) (logits[off + argmax] / t - lse));
        }

        // candidate set after filters, as probabilities proportional to exp(l/t); ids past `candidates` never drawn
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
                // keep the smallest prefix whose mass reaches top_p (the top token always stays)
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
        double u = rng.nextDouble() * total, acc = 0;
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
