package rift.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import rift.model.TokenBatch;
import rift.model.Transformer;

/**
 * Scores given responses under a model by teacher forcing: each (prompt, response) becomes one sequence
 * {@code prompt ++ response} without its last token (nothing follows it), sequences are packed into
 * forwards of a bounded number of tokens (attention never crosses sequences, so packing does not change
 * a sequence's numbers beyond float rounding), and for every response token y_t the row before it gives
 * log p(y_t | prompt, y_&lt;t) and the rank of y_t (1 = the model's top token; ties count in the token's
 * favour). This is the paper's vLLM {@code prompt_logprobs} pass on {@code input + output} (paper.md §4.2).
 *
 * <p>The packing depends only on the sequence lengths and the token budget, so two models scored on the
 * same list see identical batches: a model compared with itself gives bit-identical scores.
 */
public final class TeacherForcing {
    private TeacherForcing() {}

    /** Per response token: natural-log probability and 1-based rank under one model. */
    public record Scores(double[] logProbs, int[] ranks) {}

    /** One prompt and one response, both token ids; the prompt must not be empty (its last row predicts y_0). */
    public record Pair(int[] prompt, int[] response) {
        public Pair {
            if (prompt.length == 0) throw new IllegalArgumentException("teacher forcing needs a non-empty prompt");
        }

        /** Tokens fed to the model: every prompt token and every response token but the last. */
        int fedLength() {
            return response.length == 0 ? 0 : prompt.length + response.length - 1;
        }
    }

    /**
     * Scores of every pair, in order; an empty response gets empty arrays and costs nothing.
     *
     * @param maxBatchTokens tokens per forward at most (a longer single sequence runs alone)
     */
    public static List<Scores> score(Transformer model, List<Pair> pairs, int maxBatchTokens) {
        Scores[] out = new Scores[pairs.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).fedLength() == 0) out[i] = new Scores(new double[0], new int[0]);
            else todo.add(i);
        }
        int start = 0;
        while (start < todo.size()) {
            int end = start, tokens = 0;
            while (end < todo.size() && (end == start || tokens + pairs.get(todo.get(end)).fedLength() <= maxBatchTokens)) {
                tokens += pairs.get(todo.get(end)).fedLength();
                end++;
            }
            run(model, pairs, todo.subList(start, end), out);
            start = end;
        }
        return Arrays.asList(out);
    }

    private static void run(Transformer model, List<Pair> pairs, List<Integer> which, Scores[] out) {
        List<int[]> seqs = new ArrayList<>(which.size());
        int n = 0;
        for (int i : which) {
            Pair p = pairs.get(i);
            int[] s = Arrays.copyOf(p.prompt(), p.fedLength());
            System.arraycopy(p.response(), 0, s, p.prompt().length, p.response().length - 1);
            seqs.add(s);
            n += s.length;
        }
        int[] targets = new int[n];
        Arrays.fill(targets, -1);
        int at = 0;
        for (int i : which) {
            Pair p = pairs.get(i);
            // row (prompt.length - 1 + t) predicts response token t
            for (int t = 0; t < p.response().length; t++) targets[at + p.prompt().length - 1 + t] = p.response()[t];
            at += p.fedLength();
        }
        Transformer.Pass pass = model.forwardNoGrad(TokenBatch.of(seqs), targets, false, true);
        float[] logp = pass.logp();
        int[] rank = pass.rank();
        at = 0;
        for (int i : which) {
            Pair p = pairs.get(i);
            int m = p.response().length, from = at + p.prompt().length - 1;
            double[] lp = new double[m];
            for (int t = 0; t < m; t++) lp[t] = logp[from + t];
            out[i] = new Scores(lp, Arrays.copyOfRange(rank, from, from + m));
            at += p.fedLength();
        }
    }
}
