package rift.kernels.cpu;

import java.util.Arrays;
import rift.kernels.SamplingParams;

/**
 * The reference sampler (the CPU side of {@link rift.kernels.Backend#sample}; rift.rollout.Sampler calls it
 * too): one token from one row of logits, given one uniform u in [0, 1).
 *
 * <p>Semantics, which the CUDA kernel (sampling.cuh) follows: p_i = exp(l_i / T - lse) with l_i / T rounded
 * to float and everything after it in double; lse = max / T + log(sum_i exp((l_i - max) / T)) over the whole
 * row. Greedy (T = 0): the argmax over the candidates, lowest id on ties, with its log-prob at T = 1.
 * Plain sampling (no filter): the first candidate id, in id order, whose cumulative p exceeds u times the
 * candidates' total; when rounding leaves none, the argmax. Filtered: candidates are ordered by (logit
 * descending, id ascending); top-k keeps the first k; top-p keeps the shortest prefix of those whose mass
 * reaches top_p times their mass (at least one); min-p drops candidates with p_i < min_p * p_argmax; the
 * draw is the same inverse CDF in id order over what is kept, and when rounding leaves no pick, the last
 * kept id. The log-prob returned is log softmax(logits / T) at the token over the WHOLE row (the policy
 * the trainer optimises), not of the truncated distribution. Ids at or past {@code candidates} are never
 * drawn. NaN or +inf logits are not supported.
 */
public final class Sampling {
    private Sampling() {}

    /**
     * Samples row {@code off / vocab} of logits: returns the token and writes its log-prob to logpOut[at].
     * {@code u} is ignored when greedy.
     */
    public static int pick(float[] logits, int off, int vocab, int candidates, SamplingParams params, double u, float[] logpOut, int at) {
        if (candidates < 1 || candidates > vocab) throw new IllegalArgumentException("candidates " + candidates + " of " + vocab);
        float temperature = params.temperature();
        int topK = params.topK();
        float topP = params.topP(), minP = params.minP();
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
        if (temperature == 0f) {
            logpOut[at] = (float) (logits[off + argmax] / t - lse);
            return argmax;
        }

        if (topK == 0 && topP >= 1f && minP == 0f) { // plain sampling (GRPO's default): one pass, no buffers
            double total = 0;
            for (int i = 0; i < candidates; i++) total += Math.exp(logits[off + i] / t - lse);
            double target = u * total, acc = 0;
            for (int i = 0; i < candidates; i++) {
                double pi = Math.exp(logits[off + i] / t - lse);
                acc += pi;
                if (target < acc) {
                    logpOut[at] = (float) Math.log(pi);
                    return i;
                }
            }
            logpOut[at] = (float) (logits[off + argmax] / t - lse);
            return argmax;
        }

        // candidate set after filters, as probabilities proportional to exp(l/t); ids past `candidates` never drawn
        int keep = candidates;
        double[] p = new double[vocab];
        for (int i = 0; i < vocab; i++) p[i] = Math.exp(logits[off + i] / t - lse);
        boolean[] dropped = new boolean[vocab];
        for (int i = candidates; i < vocab; i++) dropped[i] = true;
        if (topK > 0 && topK < candidates || topP < 1f) {
            int[] order = order(logits, off, candidates);
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
        double target = u * total, acc = 0;
        int last = argmax;
        for (int i = 0; i < vocab; i++) {
            if (dropped[i]) continue;
            acc += p[i];
            last = i;
            if (target < acc) {
                logpOut[at] = (float) Math.log(p[i]);
                return i;
            }
        }
        logpOut[at] = (float) Math.log(p[last]);
        return last;
    }

    /** Checks the arguments of a batched sample over [rows, vocab] logits (shared by every backend). */
    public static void checkArguments(int rows, int vocab, int candidates, double[] uniforms) {
        if (candidates < 1 || candidates > vocab) throw new IllegalArgumentException("candidates " + candidates + " of " + vocab);
        if (uniforms.length < rows) throw new IllegalArgumentException(rows + " rows need as many uniforms, got " + uniforms.length);
    }

    /**
     * The candidate ids [0, n) by logit descending, ties by id ascending, where "descending" is the total
     * order of {@link Float#compare} (-0 below +0). Sorted as primitive longs: the high half is the
     * complement of {@link #sortableBits} (so ascending longs are descending logits), the low half the id.
     */
    static int[] order(float[] logits, int off, int n) {
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) packed[i] = ((long) ~sortableBits(logits[off + i]) << 32) | i;
        Arrays.sort(packed);
        int[] order = new int[n];
        for (int r = 0; r < n; r++) order[r] = (int) packed[r];
        return order;
    }

    /**
     * A float's bits as an int whose signed order is Float.compare's (negative floats get their magnitude
     * bits flipped). The CUDA kernel orders by the same bits with the sign bit flipped, as an unsigned key.
     */
    static int sortableBits(float f) {
        int b = Float.floatToIntBits(f);
        return b < 0 ? b ^ 0x7fffffff : b;
    }
}
