package rift.rollout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import rift.kernels.Backend;
import rift.kernels.SamplingParams;
import rift.kernels.Tensor;
import rift.model.Decoder;
import rift.model.Transformer;
import rift.util.Rng;

/**
 * Batched generation with a KV cache on the trainer's own kernels: up to {@code slots} sequences decode
 * together; when one finishes (EOS, a stop condition, or max new tokens) the next waiting prompt is
 * prefilled into its slot (continuous batching). Every request samples from its own {@link Rng}, so a
 * completion does not depend on which slot or batch it ran in, only on its seed (e.g. derived from
 * seed, step, prompt index, sample index). Log-probs of the sampled tokens come from the sampling pass.
 *
 * <p>Tokens are picked by the backend ({@link Backend#sample}) from the logits where they are: on a GPU
 * only the ids and log-probs of the batch come back each step, never the [B, V] logits. Each request's
 * uniform is drawn from its own stream on the host ({@link Sampler#uniform}), so the picks equal
 * {@link Sampler#sample} on the same logits (bitwise on the CPU backend).
 */
public final class RolloutEngine {
    private final Transformer model;
    private final Decoder decoder;

    private int candidates;

    public RolloutEngine(Transformer model, int slots, int maxSequenceLength) {
        this.model = model;
        this.decoder = new Decoder(model, slots, maxSequenceLength);
        this.candidates = model.config.vocabSize();
    }

    /**
     * Samples only ids below {@code n}: the tokenizer's size when the model's embedding is larger (padded
     * vocabularies), so every completion decodes. Log-probs stay normalised over the model's whole vocabulary.
     */
    public RolloutEngine limitToTokenizer(int n) {
        this.candidates = Math.max(1, Math.min(n, model.config.vocabSize()));
        return this;
    }

    /** One request: prompt tokens and its own random stream. */
    public record Request(int[] prompt, Rng rng) {}

    /**
     * A finished completion. {@code logp[i]} = log softmax(logits / T) of tokens[i]; {@code finish} is
     * "eos", "stop" (a stop condition matched) or "length" (max new tokens or context: truncated).
     */
    public record Completion(int[] prompt, int[] tokens, float[] logp, String finish) {
        public boolean truncated() {
            return finish.equals("length");
        }
    }

    /**
     * Generates a completion for every request, in request order.
     *
     * @param stop called with the completion tokens so far after each new token; true ends it (e.g. a
     *             stop string appeared in the decoded text). May be null.
     */
    public List<Completion> generate(List<Request> requests, Sampler sampler, int maxNewTokens, Predicate<int[]> stop) {
        int n = requests.size(), slots = decoder.slots;
        Completion[] done = new Completion[n];
        Deque<Integer> waiting = new ArrayDeque<>();
        for (int i = 0; i < n; i++) waiting.add(i);
        int[] reqOfSlot = new int[slots];
        Arrays.fill(reqOfSlot, -1);
        int[][] toks = new int[n][];
        float[][] lps = new float[n][];
        int[] len = new int[n];
        decoder.reset();
        List<Integer> active = new ArrayList<>();
        Backend be = model.backend();
        SamplingParams params = sampler.params();
        // the slots whose next-token logits are the rows of the last step's output (row i: stepSlots[i])
        int[] stepSlots = new int[0];
        Tensor stepLogits = null;
        double[] uniformOf = new double[slots];
        int[] tokenOf = new int[slots];
        float[] logpOf = new float[slots];
        while (!waiting.isEmpty() || !active.isEmpty()) {
            // fill free slots from the queue with one batched prefill
            List<Integer> fillSlots = new ArrayList<>();
            for (int s = 0; s < slots && !waiting.isEmpty(); s++)
                if (reqOfSlot[s] < 0) {
                    int r = waiting.poll();
                    reqOfSlot[s] = r;
                    fillSlots.add(s);
                    int budget = Math.min(maxNewTokens, decoder.maxT - requests.get(r).prompt().length);
                    toks[r] = new int[Math.max(budget, 0)];
                    lps[r] = new float[Math.max(budget, 0)];
                }
            int[] filled = fillSlots.stream().mapToInt(Integer::intValue).toArray();
            Tensor prefillLogits = null;
            if (filled.length > 0) {
                int[][] prompts = new int[filled.length][];
                for (int i = 0; i < filled.length; i++) prompts[i] = requests.get(reqOfSlot[filled[i]]).prompt();
                prefillLogits = decoder.prefillLogits(filled, prompts);
                for (int s : filled) active.add(s);
            }
            // each slot's uniform from its request's own stream, in the order the slots are handled below
            for (int s : active) {
                int r = reqOfSlot[s];
                uniformOf[s] = toks[r].length == 0 ? 0 : sampler.uniform(requests.get(r).rng());
            }
            if (stepLogits != null) pick(be, stepLogits, stepSlots, params, uniformOf, tokenOf, logpOf);
            if (prefillLogits != null) pick(be, prefillLogits, filled, params, uniformOf, tokenOf, logpOf);
            // take each active slot's pick; finish those that are done
            List<Integer> cont = new ArrayList<>();
            List<Integer> contTok = new ArrayList<>();
            for (int s : active) {
                int r = reqOfSlot[s];
                Request req = requests.get(r);
                String finish = null;
                if (toks[r].length == 0) finish = "length";
                else {
                    int token = tokenOf[s];
                    toks[r][len[r]] = token;
                    lps[r][len[r]] = logpOf[s];
                    len[r]++;
                    if (model.config.isEos(token)) finish = "eos";
                    else if (stop != null && stop.test(Arrays.copyOf(toks[r], len[r]))) finish = "stop";
                    else if (len[r] >= toks[r].length) finish = "length";
                }
                if (finish != null) {
                    done[r] = new Completion(req.prompt(), Arrays.copyOf(toks[r], len[r]), Arrays.copyOf(lps[r], len[r]), finish);
                    reqOfSlot[s] = -1;
                    decoder.free(s);
                } else {
                    cont.add(s);
                    contTok.add(toks[r][len[r] - 1]);
                }
            }
            active = cont;
            stepLogits = null;
            if (!active.isEmpty()) {
                stepSlots = active.stream().mapToInt(Integer::intValue).toArray();
                int[] next = contTok.stream().mapToInt(Integer::intValue).toArray();
                stepLogits = decoder.stepLogits(stepSlots, next);
            }
        }
        return Arrays.asList(done);
    }

    /** Samples every row of logits (row i belongs to slotOfRow[i]) with the slots' uniforms; scatters the picks by slot. */
    private void pick(Backend be, Tensor logits, int[] slotOfRow, SamplingParams params, double[] uniformOf, int[] tokenOf,
                      float[] logpOf) {
        double[] u = new double[slotOfRow.length];
        for (int i = 0; i < u.length; i++) u[i] = uniformOf[slotOfRow[i]];
        Backend.Picks p = be.sample(logits, candidates, params, u);
        for (int i = 0; i < u.length; i++) {
            tokenOf[slotOfRow[i]] = p.tokens()[i];
            logpOf[slotOfRow[i]] = p.logp()[i];
        }
    }

    /** Convenience: a request per prompt, each with Rng.derive(seed, i). */
    public static List<Request> requests(List<int[]> prompts, IntFunction<Rng> rngOf) {
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) out.add(new Request(prompts.get(i), rngOf.apply(i)));
        return out;
    }
}
