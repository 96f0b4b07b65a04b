package rift.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import rift.model.TokenBatch;
import rift.model.Transformer;

/**
 * Summed log-probs of continuations given contexts, by teacher forcing: each request becomes one
 * sequence {@code context ++ continuation} (its last token dropped, as nothing follows it), many
 * sequences are packed into one {@link Transformer#forward} (attention never crosses sequences), and the
 * log-probs of the continuation tokens are added up in double precision.
 */
public final class ChoiceLoglik {
    private ChoiceLoglik() {}

    /** A context and continuation, already tokenised; the context must not be empty. */
    public record Request(int[] context, int[] continuation) {
        public Request {
            if (context.length == 0) throw new IllegalArgumentException("log-likelihood needs a non-empty context (e.g. a BOS token)");
            if (continuation.length == 0) throw new IllegalArgumentException("empty continuation");
        }

        int length() {
            return context.length + continuation.length - 1;
        }
    }

    /**
     * Sum of log p(continuation | context) per request, in request order.
     *
     * @param maxBatchTokens packs requests into forwards of at most this many tokens (a longer single
     *                       request runs alone)
     */
    public static double[] sums(Transformer model, List<Request> requests, int maxBatchTokens) {
        double[] out = new double[requests.size()];
        int start = 0;
        while (start < requests.size()) {
            int end = start, tokens = 0;
            while (end < requests.size() && (end == start || tokens + requests.get(end).length() <= maxBatchTokens)) {
                tokens += requests.get(end).length();
                end++;
            }
            run(model, requests.subList(start, end), out, start);
            start = end;
        }
        return out;
    }

    private static void run(Transformer model, List<Request> batch, double[] out, int offset) {
        List<int[]> seqs = new ArrayList<>();
        int n = 0;
        for (Request r : batch) {
            int[] s = new int[r.length()];
            System.arraycopy(r.context(), 0, s, 0, r.context().length);
            System.arraycopy(r.continuation(), 0, s, r.context().length, r.continuation().length - 1);
            seqs.add(s);
            n += s.length;
        }
        int[] targets = new int[n];
        Arrays.fill(targets, -1);
        int at = 0;
        for (Request r : batch) {
            // row (context.length - 1 + t) predicts continuation token t
            for (int t = 0; t < r.continuation().length; t++) targets[at + r.context().length - 1 + t] = r.continuation()[t];
            at += r.length();
        }
        float[] logp = model.forwardNoGrad(TokenBatch.of(seqs), targets, false, false).logp();
        at = 0;
        for (int i = 0; i < batch.size(); i++) {
            Request r = batch.get(i);
            double s = 0;
            for (int t = 0; t < r.continuation().length; t++) s += logp[at + r.context().length - 1 + t];
            out[offset + i] = s;
            at += r.length();
        }
    }
}
