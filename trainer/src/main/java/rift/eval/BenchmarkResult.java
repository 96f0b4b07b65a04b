package rift.eval;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one benchmark.
 *
 * @param benchmark       the benchmark as run (with any command-line overrides applied)
 * @param items           per-item results, in file order
 * @param score           the reported metric in percent
 * @param ci              percentile bootstrap 95% interval of the score, in percent
 * @param subMetrics      every metric the scorer computed, in percent, the reported one first
 * @param truncatedPrompts prompts cut on the left to fit the context
 * @param seconds         wall-clock time the benchmark took
 */
public record BenchmarkResult(Benchmark benchmark, List<ItemResult> items, double score, BootstrapCI.Interval ci,
                              Map<String, Double> subMetrics, int truncatedPrompts, double seconds) {
    public BenchmarkResult {
        items = List.copyOf(items);
        subMetrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(subMetrics));
    }

    public int samplesPerItem() {
        return benchmark.generates() ? benchmark.decoding().samples() : 1;
    }
}
