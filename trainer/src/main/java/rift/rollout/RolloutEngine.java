package rift.rollout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import rift.model.Decoder;
import rift.model.Transformer;
import rift.util.Rng;

/**
 * Batched generation with a KV cache on the trainer's own kernels: up to {@code slots} sequences decode
 * together; when one finishes (EOS, a stop condition, or max new tokens) the next waiting prompt is
 * prefilled into its slot (continuous batching). Every request samples from its own {@link Rng}, so a
 * completion does not depend on which slot or batch it ran in, only on its seed (e.g. derived from
 * seed, step, prompt index, sample index). Log-probs of the sampled tokens come from the sampling pass.
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
        int n = requests.size(), v = model.config.vocabSize(), slots = decoder.slots;
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
        // each slot's next-token logits: a row of the last prefill or step output, referenced, not copied
        float[][] rowLogits = new float[slots][];
        int[] rowOff = new int[slots];
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
            if (!fillSlots.isEmpty()) {
                int[] ids = fillSlots.stream().mapToInt(Integer::intValue).toArray();
                int[][] prompts = new int[ids.length][];
                for (int i = 0; i < ids.length; i++) prompts[i] = requests.get(reqOfSlot[ids[i]]).prompt();
                float[] logits = decoder.prefill(ids, prompts);
                for (int i = 0; i < ids.length; i++) {
                    rowLogits[ids[i]] = logits;
                    rowOff[ids[i]] = i * v;
                    active.add(ids[i]);
                }
            }
            // sample one token for every active slot; finish those that are done
            List<Integer> cont = new ArrayList<>();
            List<Integer> contTok = new ArrayList<>();
            for (int s : active) {
                int r = reqOfSlot[s];
                Request req = requests.get(r);
                String finish = null;
                if (toks[r].length == 0) finish = "length";
                else {
                    Sampler.Pick p = sampler.sample(rowLogits[s], rowOff[s], v, candidates, req.rng());
                    toks[r][len[r]] = p.token();
                    lps[r][len[r]] = p.logp();
                    len[r]++;
                    if (model.config.isEos(p.token())) finish = "eos";
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
            if (!active.isEmpty()) {
                int[] ids = active.stream().mapToInt(Integer::intValue).toArray();
                int[] next = contTok.stream().mapToInt(Integer::intValue).toArray();
                float[] logits = decoder.step(ids, next);
                for (int i = 0; i < ids.length; i++) {
                    rowLogits[ids[i]] = logits;
                    rowOff[ids[i]] = i * v;
                }
            }
        }
        return Arrays.asList(done);
    }

    /** Convenience: a request per prompt, each with Rng.derive(seed, i). */
    public static List<Request> requests(List<int[]> prompts, IntFunction<Rng> rngOf) {
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) out.add(new Request(prompts.get(i), rngOf.apply(i)));
        return out;
    }
}
