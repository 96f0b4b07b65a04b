package rift.eval.ti;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import rift.eval.ti.TiResult.BenchmarkTerm;
import rift.eval.ti.TiResult.GroupIndex;
import rift.eval.ti.TiResult.ModelTi;
import rift.kernels.RiftException;

/**
 * The Transferability Index of Huan et al. (arXiv:2507.00432 v2 §2.1; paper.md §1.2), per model against
 * its own base:
 *
 * <pre>
 *   ΔR_b = R_model,b − R_base,b          δ_b = ΔR_b / σ_g          s_b = sign(δ_b)·sqrt|δ_b|
 *   ŵ_b = (100 − R_base,b) / Σ_{u∈B_g} (100 − R_base,u)            DI_g = Σ_b ŵ_b s_b
 *   TI_g = 100 · DI_g / DI_math        for g ∈ {other, non}
 * </pre>
 *
 * σ_g comes from {@link TiOptions.SigmaMode}. The older v1 form (paper.md §1.5) is
 * DI_g = mean_b (R_model,b − R_base,b)/R_base,b and TI_g = 100·DI_g/DI_math.
 *
 * <p>TI is only defined when DI_math > 0 (the model gained on math); otherwise every sign would flip, so
 * that case is an error naming the model.
 */
public final class TransferabilityIndex {
    private TransferabilityIndex() {}

    public static TiResult compute(ScoreTable table, TiOptions options) {
        return compute(table, options, true);
    }

    /**
     * As {@link #compute(ScoreTable, TiOptions)}; with {@code strict} false a model whose DI_math is not
     * positive keeps its domain indices and gets TI_other = TI_non = null (undefined) instead of failing
     * the whole table, as an experiment report needs when one arm lost math accuracy.
     */
    public static TiResult compute(ScoreTable table, TiOptions options, boolean strict) {
        List<String> models = table.evaluatedModels();
        Map<BenchmarkGroup, Double> shared = new EnumMap<>(BenchmarkGroup.class);
        if (options.formula() == TiOptions.Formula.V2) {
            switch (options.sigmaMode()) {
                case FIXED -> shared.putAll(options.fixedSigmas());
                case POOLED -> {
                    for (BenchmarkGroup g : BenchmarkGroup.values()) {
                        List<Double> gains = new ArrayList<>();
                        for (String m : models) gains.addAll(gains(table, m, g));
                        if (gains.isEmpty()) continue;
                        double s = std(gains, options.ddof(), "pooled σ_" + g.label() + " in " + table.source());
                        if (!(s > 0)) {
                            throw new RiftException(table.source() + ": pooled σ_" + g.label() + " is 0: all "
                                    + gains.size() + " gains in group " + g.label() + " over the " + models.size()
                                    + " models are equal, so δ = ΔR/σ is undefined; add models or use --sigma fixed"
                                    + " --fixed-sigmas M,O,N from a reference pool");
                        }
                        shared.put(g, s);
                    }
                }
                case PER_MODEL -> { }
            }
        }
        List<ModelTi> out = new ArrayList<>();
        for (String m : models) out.add(modelTi(table, m, options, shared, strict));
        return new TiResult(options, Collections.unmodifiableMap(shared), List.copyOf(out));
    }

    private static ModelTi modelTi(ScoreTable table, String model, TiOptions options,
                                   Map<BenchmarkGroup, Double> shared, boolean strict) {
        Map<BenchmarkGroup, GroupIndex> groups = new EnumMap<>(BenchmarkGroup.class);
        for (BenchmarkGroup g : BenchmarkGroup.values()) {
            if (gains(table, model, g).isEmpty()) continue;
            groups.put(g, options.formula() == TiOptions.Formula.V2
                    ? v2Group(table, model, g, options, shared)
                    : v1Group(table, model, g));
        }
        double diMath = groups.get(BenchmarkGroup.MATH).di();
        if (!(diMath > 0) && !strict) return new ModelTi(model, table.baseOf(model), Collections.unmodifiableMap(groups), null, null);
        if (!(diMath > 0)) {
            throw new RiftException(table.source() + ": model " + model + " has math domain index DI_math = "
                    + diMath + " (not above its base " + table.baseOf(model) + " on math), so TI = DI_g/DI_math is"
                    + " undefined; TI only measures transfer of a math gain: drop this model from the score file"
                    + " or check its math rows");
        }
        Double tiOther = groups.containsKey(BenchmarkGroup.OTHER) ? 100.0 * groups.get(BenchmarkGroup.OTHER).di() / diMath : null;
        Double tiNon = groups.containsKey(BenchmarkGroup.NON) ? 100.0 * groups.get(BenchmarkGroup.NON).di() / diMath : null;
        return new ModelTi(model, table.baseOf(model), Collections.unmodifiableMap(groups), tiOther, tiNon);
    }

    private static GroupIndex v2Group(ScoreTable table, String model, BenchmarkGroup g, TiOptions options,
                                      Map<BenchmarkGroup, Double> shared) {
        double sigma;
        if (options.sigmaMode() == TiOptions.SigmaMode.PER_MODEL) {
            List<Double> own = gains(table, model, g);
            sigma = std(own, options.ddof(), "σ_" + g.label() + " of model " + model);
            if (!(sigma > 0)) {
                throw new RiftException(table.source() + ": model " + model + " has per-model σ_" + g.label()
                        + " = 0 (its " + own.size() + " gains in group " + g.label() + " are all equal), so"
                        + " δ = ΔR/σ is undefined; use --sigma pooled or --sigma fixed");
            }
        } else {
            sigma = shared.get(g);
        }
        List<ScoreRow[]> pairs = pairs(table, model, g);
        double weightSum = 0;
        for (ScoreRow[] p : pairs) weightSum += 100.0 - p[1].score();
        if (!(weightSum > 0)) {
            throw new RiftException(table.source() + ": base " + table.baseOf(model) + " scores 100 on every " + g.label()
                    + " benchmark, so the weights 100 − R_base are all 0 and DI_" + g.label()
                    + " is undefined; check the base's rows");
        }
        List<BenchmarkTerm> terms = new ArrayList<>();
        double di = 0;
        for (ScoreRow[] p : pairs) {
            double delta = p[0].score() - p[1].score();
            double z = delta / sigma;
            double s = Math.signum(z) * Math.sqrt(Math.abs(z));
            double w = 100.0 - p[1].score();
            double wHat = w / weightSum;
            di += wHat * s;
            terms.add(new BenchmarkTerm(p[0].benchmark(), p[1].score(), p[0].score(), delta, z, s, w, wHat));
        }
        return new GroupIndex(g, sigma, List.copyOf(terms), di);
    }

    private static GroupIndex v1Group(ScoreTable table, String model, BenchmarkGroup g) {
        List<ScoreRow[]> pairs = pairs(table, model, g);
        List<BenchmarkTerm> terms = new ArrayList<>();
        double sum = 0;
        for (ScoreRow[] p : pairs) {
            double base = p[1].score();
            if (base == 0) {
                throw new RiftException(table.source() + (p[1].line() > 0 ? " line " + p[1].line() : "") + ": base "
                        + table.baseOf(model) + " scores 0 on " + p[1].benchmark() + ", so the v1 relative gain"
                        + " (R_model − R_base)/R_base is undefined; use the v2 formula (drop --v1)");
            }
            double delta = p[0].score() - base;
            double rel = delta / base;
            sum += rel;
            terms.add(new BenchmarkTerm(p[0].benchmark(), base, p[0].score(), delta, rel, rel, 1.0, 1.0 / pairs.size()));
        }
        return new GroupIndex(g, Double.NaN, List.copyOf(terms), sum / pairs.size());
    }

    /** (model row, base row) for each of the model's benchmarks in group g, in file order. */
    private static List<ScoreRow[]> pairs(ScoreTable table, String model, BenchmarkGroup g) {
        Map<String, ScoreRow> base = table.scores(table.baseOf(model));
        List<ScoreRow[]> out = new ArrayList<>();
        for (ScoreRow r : table.scores(model).values()) {
            if (r.group() == g) out.add(new ScoreRow[] {r, base.get(r.benchmark())});
        }
        return out;
    }

    private static List<Double> gains(ScoreTable table, String model, BenchmarkGroup g) {
        List<Double> out = new ArrayList<>();
        for (ScoreRow[] p : pairs(table, model, g)) out.add(p[0].score() - p[1].score());
        return out;
    }

    /** Standard deviation dividing by (n − ddof); two-pass for accuracy. */
    static double std(List<Double> xs, int ddof, String what) {
        int n = xs.size();
        if (n - ddof <= 0) {
            throw new RiftException(what + ": " + n + " value(s) with ddof " + ddof + " leave no degrees of"
                    + " freedom; use ddof 0 or more benchmarks");
        }
        double mean = 0;
        for (double x : xs) mean += x;
        mean /= n;
        double ss = 0;
        for (double x : xs) ss += (x - mean) * (x - mean);
        return Math.sqrt(ss / (n - ddof));
    }
}
