package rift.report;

import java.util.Map;
import rift.eval.ti.BenchmarkGroup;

/**
 * The Transferability Index of one trained arm and seed against the base (paper.md §1.2), as the report shows
 * it. {@code rift.eval.ti.TransferabilityIndex} computes these; this record only carries the numbers.
 *
 * @param model      the evaluated checkpoint's name
 * @param arm        the arm's name ({@link ArmResult#name()}); never the base arm
 * @param seed       the training seed
 * @param di         the domain index DI_g of each group that has benchmarks
 * @param tiOther    TI_other in percent; NaN when the run has no other-reasoning benchmark
 * @param tiNon      TI_non in percent; NaN when the run has no non-reasoning benchmark
 * @param sigmaMode  how σ_g was chosen ({@code pooled}, {@code per-model}, {@code fixed}, or {@code v1})
 * @param sigmas     σ_g per group as used (empty for per-model or v1)
 */
public record TiResult(String model, String arm, int seed, Map<BenchmarkGroup, Double> di, double tiOther,
                       double tiNon, String sigmaMode, Map<BenchmarkGroup, Double> sigmas) {
    public TiResult {
        di = di == null ? Map.of() : Map.copyOf(di);
        sigmas = sigmas == null ? Map.of() : Map.copyOf(sigmas);
        if (sigmaMode == null) sigmaMode = "";
        if (model == null) model = "";
    }
}
