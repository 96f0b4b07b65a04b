package rift.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.eval.ifeval.IfEvalRecord;
import rift.eval.ifeval.IfEvalScorer;
import rift.kernels.RiftException;

/**
 * IFEval through {@link IfEvalScorer}. Records are IFEval's own ({@code key}, {@code prompt},
 * {@code instruction_id_list}, {@code kwargs}). Reports instruction-level strict accuracy by default (what
 * the paper reports: instructions followed over all instructions, so an item's weight is its number of
 * instructions); prompt-level strict, instruction-level loose and prompt-level loose are computed beside it.
 */
public final class IfEvalBenchScorer implements GenerationScorer {
    public enum Metric {
        INSTRUCTION_STRICT, INSTRUCTION_LOOSE, PROMPT_STRICT, PROMPT_LOOSE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Metric metric;

    public IfEvalBenchScorer(Metric metric) {
        this.metric = metric;
    }

    @Override
    public String type() {
        return "ifeval";
    }

    @Override
    public String metric() {
        return metric.label();
    }

    @Override
    public List<String> requiredFields() {
        return List.of();
    }

    @Override
    public Object prepare(EvalItem item) {
        JsonNode n = item.record();
        JsonNode key = n.get("key"), prompt = n.get("prompt"), ids = n.get("instruction_id_list"), kwargs = n.get("kwargs");
        if (key == null || !key.isIntegralNumber()) throw bad(item, "key", "an integer");
        if (prompt == null || !prompt.isTextual()) throw bad(item, "prompt", "a string");
        if (ids == null || !ids.isArray()) throw bad(item, "instruction_id_list", "a list of instruction ids");
        if (kwargs == null || !kwargs.isArray()) throw bad(item, "kwargs", "a list of objects");
        List<String> idList = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual()) throw bad(item, "instruction_id_list", "a list of strings");
            idList.add(id.textValue());
        }
        List<JsonNode> kw = new ArrayList<>();
        kwargs.forEach(kw::add);
        return IfEvalRecord.of(key.intValue(), prompt.textValue(), idList, kw, item.where());
    }

    private static RiftException bad(EvalItem item, String field, String what) {
        return new RiftException(item.where() + ": IFEval record field '" + field + "' is missing or not " + what
                + "; the ifeval scorer reads IFEval's input_data.jsonl format (key, prompt, instruction_id_list, kwargs)");
    }

    @Override
    public Judgement judge(EvalItem item, String response) {
        IfEvalRecord rec = (IfEvalRecord) item.payload();
        IfEvalScorer.PromptScore ps = IfEvalScorer.score(rec, response);
        int n = ps.instructions().size(), strict = 0, loose = 0;
        for (IfEvalScorer.InstructionScore s : ps.instructions()) {
            if (s.strict()) strict++;
            if (s.loose()) loose++;
        }
        double score = switch (metric) {
            case INSTRUCTION_STRICT -> strict;
            case INSTRUCTION_LOOSE -> loose;
            case PROMPT_STRICT -> ps.strictAll() ? 1 : 0;
            case PROMPT_LOOSE -> ps.looseAll() ? 1 : 0;
        };
        double weight = metric == Metric.INSTRUCTION_STRICT || metric == Metric.INSTRUCTION_LOOSE ? n : 1;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("key", rec.key());
        d.put("instructions", ps.instructions());
        return new Judgement(null, score, weight, d);
    }

    /** All four IFEval accuracies over every (item, sample), via {@link IfEvalScorer#aggregate}. */
    @Override
    public Map<String, Double> subMetrics(List<ItemResult> results) {
        List<IfEvalScorer.PromptScore> all = new ArrayList<>();
        for (ItemResult r : results)
            for (Judgement j : r.judgements()) {
                @SuppressWarnings("unchecked")
                List<IfEvalScorer.InstructionScore> ins = (List<IfEvalScorer.InstructionScore>) j.detail().get("instructions");
                all.add(new IfEvalScorer.PromptScore((Integer) j.detail().get("key"), ins));
            }
        IfEvalScorer.Accuracy a = IfEvalScorer.aggregate(all);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(metric.label(), ItemResult.percent(results));
        Map<String, Double> every = Map.of(
                "instruction_strict", 100 * a.instructionStrict(), "instruction_loose", 100 * a.instructionLoose(),
                "prompt_strict", 100 * a.promptStrict(), "prompt_loose", 100 * a.promptLoose());
        for (Metric x : Metric.values()) m.putIfAbsent(x.label(), every.get(x.label()));
        return m;
    }
}
