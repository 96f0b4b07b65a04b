package rift.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.verify.MathVerifier;
import rift.verify.Verdict;
import rift.verify.VerifyMode;

/**
 * Math answers checked by {@link MathVerifier}: in {@code math} mode the last {@code \boxed{}} (then a
 * "final answer is" phrase), in {@code gsm8k} mode {@code #### N}, a box, a phrase, then the last number;
 * the extracted answer is compared with the reference by normalised string, value, or expression.
 * Reports {@code acc}; also {@code no_answer} (percent of responses with nothing to extract).
 */
public final class BoxedMathScorer implements GenerationScorer {
    private final VerifyMode mode;
    private final MathVerifier verifier = new MathVerifier();

    public BoxedMathScorer(VerifyMode mode) {
        this.mode = mode;
    }

    public VerifyMode mode() {
        return mode;
    }

    @Override
    public String type() {
        return "boxed_math";
    }

    @Override
    public String metric() {
        return "acc";
    }

    @Override
    public List<String> requiredFields() {
        return List.of("reference");
    }

    @Override
    public Judgement judge(EvalItem item, String response) {
        Verdict v = verifier.verify(response, item.reference(), mode);
        return Judgement.of(v.extracted(), v.correct(), Map.of("reason", v.reason()));
    }

    @Override
    public Map<String, Double> subMetrics(List<ItemResult> results) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("acc", ItemResult.percent(results));
        m.put("no_answer", ItemResult.percentOfSamples(results, j -> j.extracted() == null));
        return m;
    }
}
