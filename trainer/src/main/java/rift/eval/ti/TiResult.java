package rift.eval.ti;

import java.util.List;
import java.util.Map;

/** TI of every evaluated model, with every intermediate so a reader can check the arithmetic. */
public record TiResult(TiOptions options, Map<BenchmarkGroup, Double> pooledOrFixedSigmas, List<ModelTi> models) {

    /**
     * One benchmark's contribution to a domain index.
     *
     * @param delta        ΔR_b = R_model − R_base (percentage points)
     * @param z            δ_b = ΔR_b/σ_g (v2); the relative gain ΔR_b/R_base (v1)
     * @param signedRoot   s_b = sign(δ_b)·sqrt|δ_b| (v2); equal to z for v1
     * @param weight       w_b = 100 − R_base (v2); 1 for v1
     * @param normWeight   ŵ_b = w_b/Σw (v2); 1/|B_g| for v1
     */
    public record BenchmarkTerm(String benchmark, double baseScore, double score, double delta, double z,
                                double signedRoot, double weight, double normWeight) {}

    /**
     * One group's domain index DI_g = Σ ŵ_b s_b (v2) or mean relative gain (v1).
     *
     * @param sigma the σ_g used (NaN for v1)
     */
    public record GroupIndex(BenchmarkGroup group, double sigma, List<BenchmarkTerm> terms, double di) {}

    /**
     * TI of one model against its own base. tiOther / tiNon are null when the model has no benchmark in that
     * group.
     */
    public record ModelTi(String model, String base, Map<BenchmarkGroup, GroupIndex> groups, Double tiOther,
                          Double tiNon) {}
}
