package rift.probe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import rift.kernels.RiftException;
import rift.probe.TokenShiftResult.Buckets;
import rift.probe.TokenShiftResult.ShiftedToken;

/**
 * Token-level drift of a tuned model from its base on the tuned model's own responses (paper.md §4.2-§4.3;
 * repo {@code analysis_token_distribution_shift/calculate_KL.py} and
 * {@code calculate_logits_and_ranks_token_level.py}).
 *
 * <p>For response s with tokens t = 1..n_s (the common length of the two models' scores):
 *
 * <pre>
 *   kl_s  = mean_t [ log(p_tuned(y_t) + 1e-10) − log(p_base(y_t) + 1e-10) ]
 *   KL    = | mean_s kl_s |                          (k1 Monte-Carlo estimate of KL(tuned ‖ base))
 *   rs_s  = mean_t (rank_base(y_t) − rank_tuned(y_t))
 *   avg rank shift = mean_s rs_s                     (also given pooled over all tokens)
 * </pre>
 *
 * Responses with no scored token are left out (the paper's code skips them too). The rank-shift average
 * over responses is not specified by the paper ("the mean over tokens and over responses"); the headline
 * value weighs every response equally, like the KL, and the pooled per-token mean is reported beside it.
 *
 * <p><b>The paper code's off-by-one.</b> The paper's scorer keeps vLLM prompt log-probs from index
 * {@code prompt_length + 1}, so the first response token is never scored. {@link Options#paperCode()}
 * reproduces that by dropping the first token of every response from every statistic; the default scores
 * all response tokens.
 */
public final class TokenShift {
    private TokenShift() {}

    /** Added to each probability before the log, as in the paper's code. */
    public static final double EPSILON = 1e-10;

    /** @param skipFirstResponseToken drop each response's first token (the paper code's off-by-one) */
    public record Options(boolean skipFirstResponseToken) {
        /** All response tokens scored. */
        public static Options defaults() {
            return new Options(false);
        }

        /** Reproduces the released code, first response token skipped. */
        public static Options paperCode() {
            return new Options(true);
        }
    }

    /**
     * Several tasks together, as the paper reports them (e.g. "average rank shift 0.98" is the mean of five
     * task values).
     *
     * @param meanKl            mean over tasks of the task KL
     * @param meanRankShift     mean over tasks of the task headline rank shift
     * @param tokens            scored tokens over all tasks
     * @param shiftedFraction   shifted tokens / tokens, pooled over all tasks
     * @param buckets           URIAL bucket counts pooled over all tasks
     * @param shiftedTokenList  shifted-token counts merged over tasks, most frequent first
     */
    public record Aggregate(List<TokenShiftResult> tasks, double meanKl, double meanRankShift, long tokens,
                            double shiftedFraction, Buckets buckets, List<ShiftedToken> shiftedTokenList) {}

    /** The probes of one task from its scored responses. */
    public static TokenShiftResult analyze(String task, List<ScoredResponse> responses, Options options) {
        int skip = options.skipFirstResponseToken() ? 1 : 0;
        double klSum = 0, rankShiftSeqSum = 0;
        long tokens = 0, rankShiftTokenSum = 0, shifted = 0;
        long unshifted = 0, marginal = 0, far = 0;
        int used = 0;
        List<Integer> shiftedPerResponse = new ArrayList<>();
        TreeMap<Integer, long[]> perToken = new TreeMap<>(); // id -> {count, sum of rank shift}
        List<double[]> byPosition = new ArrayList<>(); // position -> {sum of rank shift, responses}

        for (int s = 0; s < responses.size(); s++) {
            ScoredResponse r = responses.get(s);
            validate(task, s, r);
            int n = r.commonLength() - skip;
            if (n <= 0) continue;
            used++;
            double logRatioSum = 0;
            long rankShiftSum = 0;
            int shiftedHere = 0;
            for (int i = 0; i < n; i++) {
                int t = i + skip;
                logRatioSum += Math.log(Math.exp(r.tunedLogProbs()[t]) + EPSILON)
                        - Math.log(Math.exp(r.baseLogProbs()[t]) + EPSILON);
                int baseRank = r.baseRanks()[t];
                int shift = baseRank - r.tunedRanks()[t];
                rankShiftSum += shift;
                if (shift != 0) {
                    shiftedHere++;
                    long[] stats = perToken.computeIfAbsent(r.tokenIds()[t], id -> new long[2]);
                    stats[0]++;
                    stats[1] += shift;
                }
                if (baseRank == 1) unshifted++;
                else if (baseRank <= 3) marginal++;
                else far++;
                if (byPosition.size() <= i) byPosition.add(new double[2]);
                byPosition.get(i)[0] += shift;
                byPosition.get(i)[1] += 1;
            }
            klSum += logRatioSum / n;
            rankShiftSeqSum += (double) rankShiftSum / n;
            rankShiftTokenSum += rankShiftSum;
            tokens += n;
            shifted += shiftedHere;
            shiftedPerResponse.add(shiftedHere);
        }
        if (used == 0) {
            throw new RiftException("token-shift task " + task + ": none of the " + responses.size()
                    + " responses has a scored response token" + (skip == 1 ? " after skipping the first" : "")
                    + "; score non-empty responses of the tuned model");
        }
        double klSigned = klSum / used;
        List<Double> curve = new ArrayList<>(byPosition.size());
        List<Integer> support = new ArrayList<>(byPosition.size());
        for (double[] p : byPosition) {
            curve.add(p[0] / p[1]);
            support.add((int) p[1]);
        }
        return new TokenShiftResult(task, responses.size(), used, tokens, klSigned, Math.abs(klSigned),
                rankShiftSeqSum / used, (double) rankShiftTokenSum / tokens, shifted, (double) shifted / tokens,
                List.copyOf(shiftedPerResponse), rankedTokens(perToken), new Buckets(unshifted, marginal, far),
                List.copyOf(curve), List.copyOf(support), skip == 1);
    }

    /** Tasks together: means of the task values, pooled token counts. */
    public static Aggregate aggregate(List<TokenShiftResult> tasks) {
        if (tasks.isEmpty()) throw new IllegalArgumentException("no tasks to aggregate");
        double kl = 0, rankShift = 0;
        long tokens = 0, shifted = 0;
        Buckets buckets = new Buckets(0, 0, 0);
        TreeMap<Integer, long[]> merged = new TreeMap<>();
        for (TokenShiftResult t : tasks) {
            kl += t.kl();
            rankShift += t.avgRankShift();
            tokens += t.tokens();
            shifted += t.shiftedTokens();
            buckets = buckets.plus(t.buckets());
            for (ShiftedToken st : t.shiftedTokenList()) {
                long[] stats = merged.computeIfAbsent(st.tokenId(), id -> new long[2]);
                stats[0] += st.count();
                stats[1] += st.rankShiftSum();
            }
        }
        return new Aggregate(List.copyOf(tasks), kl / tasks.size(), rankShift / tasks.size(), tokens,
                (double) shifted / tokens, buckets, rankedTokens(merged));
    }

    private static List<ShiftedToken> rankedTokens(TreeMap<Integer, long[]> perToken) {
        List<ShiftedToken> list = new ArrayList<>(perToken.size());
        perToken.forEach((id, st) -> list.add(new ShiftedToken(id, st[0], st[1])));
        // TreeMap order is by id, and the sort is stable: equal counts stay in id order
        list.sort((a, b) -> Long.compare(b.count(), a.count()));
        return Collections.unmodifiableList(list);
    }

    private static void validate(String task, int s, ScoredResponse r) {
        String where = "token-shift task " + task + ", response " + s;
        int n = r.tokenIds().length;
        if (r.tunedLogProbs().length != n || r.tunedRanks().length != n) {
            throw new RiftException(where + ": " + n + " token ids but " + r.tunedLogProbs().length
                    + " tuned log-probs and " + r.tunedRanks().length + " tuned ranks; the tuned model must score"
                    + " every token of its own response");
        }
        if (r.baseLogProbs().length != r.baseRanks().length) {
            throw new RiftException(where + ": " + r.baseLogProbs().length + " base log-probs but "
                    + r.baseRanks().length + " base ranks; give one rank per scored token");
        }
        checkLogProbs(where, "tuned", r.tunedLogProbs());
        checkLogProbs(where, "base", r.baseLogProbs());
        checkRanks(where, "tuned", r.tunedRanks());
        checkRanks(where, "base", r.baseRanks());
    }

    private static void checkLogProbs(String where, String model, double[] logProbs) {
        for (int t = 0; t < logProbs.length; t++) {
            double lp = logProbs[t];
            // a tiny positive value is fp rounding of log(1); anything larger is not a log-probability
            if (Double.isNaN(lp) || lp > 1e-3) {
                throw new RiftException(where + ": " + model + " log-prob of token " + t + " is " + lp
                        + "; pass natural-log probabilities (≤ 0), not losses or logits");
            }
        }
    }

    private static void checkRanks(String where, String model, int[] ranks) {
        for (int t = 0; t < ranks.length; t++) {
            if (ranks[t] < 1) {
                throw new RiftException(where + ": " + model + " rank of token " + t + " is " + ranks[t]
                        + "; ranks start at 1 for the model's top token");
            }
        }
    }
}
