package rift.eval;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.kernels.RiftException;
import rift.tokenizer.PromptTemplate;

/**
 * Multiple choice by log-likelihood, as lm-evaluation-harness's {@code multiple_choice} tasks: each
 * option's continuation (by default {@code " {choice}"}) is scored by the sum of its tokens' log-probs
 * given the prompt, in one teacher-forced forward per batch of items ({@link ChoiceLoglik}); nothing is
 * generated. {@code acc}: the option with the highest sum is the prediction. {@code acc_norm}: the
 * highest sum divided by the continuation's length in UTF-8 bytes (lm-eval divides by characters, which
 * is the same for ASCII options). Ties go to the first option, as numpy's argmax. Both are computed;
 * {@code metric} picks the reported one.
 */
public final class ChoiceLoglikScorer implements Scorer {
    public enum Metric { ACC, ACC_NORM }

    private final Metric metric;
    private final PromptTemplate continuation;

    public ChoiceLoglikScorer(Metric metric, PromptTemplate continuation) {
        this.metric = metric;
        this.continuation = continuation;
    }

    @Override
    public String type() {
        return "loglik_choice";
    }

    @Override
    public String metric() {
        return metric == Metric.ACC ? "acc" : "acc_norm";
    }

    @Override
    public List<String> requiredFields() {
        return List.of("choices", "gold");
    }

    @Override
    public Object prepare(EvalItem item) {
        if (item.choices() == null || item.choices().size() < 2) {
            throw new RiftException(item.where() + ": item " + item.id() + " needs at least two options in fields.choices for loglik_choice");
        }
        if (item.gold() < 0 || item.gold() >= item.choices().size()) {
            throw new RiftException(item.where() + ": item " + item.id() + ": gold option " + item.gold() + " is not one of its "
                    + item.choices().size() + " options; fix fields.gold");
        }
        return null;
    }

    /** The text appended to the prompt for each option of an item. */
    public List<String> continuations(EvalItem item) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < item.choices().size(); i++) {
            out.add(continuation.render(Map.of("choice", item.choices().get(i), "letter", String.valueOf((char) ('A' + i))),
                    item.where() + " option " + (i + 1)));
        }
        return out;
    }

    /**
     * Judges an item from the summed log-prob of each option's continuation.
     *
     * @param logp          sum of log-probs per option
     * @param continuations the continuation texts (their UTF-8 byte lengths normalise acc_norm)
     */
    public Judgement judge(EvalItem item, double[] logp, List<String> continuations) {
        int n = logp.length;
        double[] norm = new double[n];
        int[] bytes = new int[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = Math.max(1, continuations.get(i).getBytes(StandardCharsets.UTF_8).length);
            norm[i] = logp[i] / bytes[i];
        }
        int pred = argmax(logp), predNorm = argmax(norm);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("logprobs", logp.clone());
        d.put("bytes", bytes);
        d.put("pred", pred);
        d.put("pred_norm", predNorm);
        d.put("gold", item.gold());
        d.put("acc", pred == item.gold());
        d.put("acc_norm", predNorm == item.gold());
        int reported = metric == Metric.ACC ? pred : predNorm;
        return Judgement.of(String.valueOf((char) ('A' + reported)), reported == item.gold(), d);
    }

    static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    @Override
    public Map<String, Double> subMetrics(List<ItemResult> results) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(metric(), ItemResult.percent(results));
        String other = metric == Metric.ACC ? "acc_norm" : "acc";
        m.put(other, ItemResult.percentOfSamples(results, j -> Boolean.TRUE.equals(j.detail().get(other))));
        return m;
    }
}
