package rift.probe;

import java.util.List;
import java.util.Map;
import rift.eval.ti.BenchmarkGroup;

/**
 * Everything one {@link ProbeRunner} run measured: per benchmark, per group (math / other / non) and
 * overall. {@link ProbeJson} writes it as probes.json and {@link ProbeTable} prints it.
 *
 * @param base      the base model's name (its folder name on the command line)
 * @param tuned     the tuned model's name
 * @param suite     the suite's name
 * @param options   the settings the numbers depend on
 * @param pcaText   how each PCA text was built from a benchmark item (the same sentence for every run)
 * @param benchmarks per benchmark, in suite order
 * @param groups    per group present in the run, in the order math, other, non
 * @param overall   all benchmarks together
 */
public record ProbeReport(String base, String tuned, String suite, ProbeOptions options, String pcaText,
                          List<BenchmarkProbes> benchmarks, List<Summary> groups, Summary overall) {

    public ProbeReport {
        benchmarks = List.copyOf(benchmarks);
        groups = List.copyOf(groups);
    }

    /**
     * A shifted token: its vocabulary spelling (unambiguous: byte-level "Ġworld", sentencepiece "▁world"; "&lt;id N&gt;"
     * past the tokenizer) and its text (the tuned tokenizer's decoding of the single id, special tokens kept; a
     * decoder may strip a leading space there).
     */
    public record DecodedToken(int tokenId, String token, String text, long count, double meanRankShift) {}

    /**
     * The token probes of one benchmark.
     *
     * @param result             KL, rank shift, buckets, per-position curve (see {@link TokenShiftResult})
     * @param topShiftedTokens   the most frequently shifted tokens, decoded
     * @param finishes           how the tuned model's responses ended: eos, stop, length
     * @param truncatedPrompts   prompts cut on the left to leave room for max_new_tokens in the context
     * @param maxNewTokens       the response length limit used
     * @param meanResponseTokens mean response length in tokens (stop token excluded)
     */
    public record TokenProbe(TokenShiftResult result, List<DecodedToken> topShiftedTokens, Map<String, Integer> finishes,
                             int truncatedPrompts, int maxNewTokens, double meanResponseTokens) {}

    /**
     * The PCA shift of one benchmark.
     *
     * @param result          per-layer points, centroids and d (see {@link PcaShift})
     * @param texts           K, the texts pooled
     * @param positions       T, the padded length of the batch (the longest text, at most the token cap)
     * @param truncatedTexts  texts longer than the token cap (cut to their first tokens)
     * @param meanTextTokens  mean text length in tokens after truncation
     */
    public record PcaProbe(PcaShift.Result result, int texts, int positions, int truncatedTexts, double meanTextTokens) {}

    /** One benchmark; token or pca is null when that probe was not run. */
    public record BenchmarkProbes(String id, BenchmarkGroup group, TokenProbe token, PcaProbe pca) {}

    /**
     * Benchmarks together (a group, or all of them).
     *
     * @param name             math, other, non or overall
     * @param benchmarks       the benchmark ids averaged
     * @param token            means of the task KL and rank shift, pooled counts (null without token probes)
     * @param topShiftedTokens the most frequently shifted tokens over these benchmarks (empty without token probes)
     * @param meanD            mean PCA distance d over the benchmarks (null without the PCA probe)
     */
    public record Summary(String name, List<String> benchmarks, TokenShift.Aggregate token, List<DecodedToken> topShiftedTokens,
                          Double meanD) {}
}
