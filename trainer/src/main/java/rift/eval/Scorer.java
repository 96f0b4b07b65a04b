package rift.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns model output into a benchmark score. Every scorer names the sub-metric it reports
 * ({@link #metric()}, e.g. {@code acc}, {@code acc_norm}, {@code f1}, {@code instruction_strict}); the
 * benchmark score is that metric in percent, and {@link #subMetrics} lists it beside the others the
 * scorer can compute from the same outputs.
 */
public sealed interface Scorer permits GenerationScorer, ChoiceLoglikScorer {
    /** The scorer's type as suite files name it, e.g. {@code boxed_math}. */
    String type();

    /** The sub-metric the benchmark score reports. */
    String metric();

    /** Which {@link FieldMap} entries the scorer needs ("reference", "choices", "gold"). */
    List<String> requiredFields();

    /**
     * Checks an item when the data is loaded (so a bad record fails before any generation) and builds
     * what the scorer needs from its record (the item's payload), or null.
     */
    default Object prepare(EvalItem item) {
        return null;
    }

    /**
     * Every metric this scorer computes, in percent, the reported one first. The default is the
     * reported metric alone: total score over total weight.
     */
    default Map<String, Double> subMetrics(List<ItemResult> results) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(metric(), ItemResult.percent(results));
        return m;
    }
}
