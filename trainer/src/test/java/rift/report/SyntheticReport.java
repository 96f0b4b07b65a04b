package rift.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.eval.ti.BenchmarkGroup;
import rift.report.ProbeResult.PcaLayerPoint;
import rift.report.ProbeResult.RankShiftBin;
import rift.report.ProbeResult.TokenCount;
import rift.report.ProbeResult.UrialBuckets;

/**
 * A made-up experiment: base (one evaluation seed) and two trained arms, sft and grpo, with three seeds each.
 * With {@code paperDirection} true grpo transfers and sft drifts, as in the paper; false swaps the two arms'
 * TI and probe numbers so that every check should flip.
 */
final class SyntheticReport {
    private SyntheticReport() {}

    static final int[] SEEDS = {1, 2, 3};
    static final String[][] BENCHMARKS = {
        {"MATH500", "math"}, {"AIME24", "math"}, {"GPQA", "other"}, {"HeadQA", "other"}, {"IFEval", "non"}, {"CoQA", "non"}};
    static final List<String> TASKS = List.of("MATH500", "IFEval");

    static ReportData data(boolean paperDirection) {
        return data(paperDirection, true, true, true);
    }

    static ReportData data(boolean paperDirection, boolean withTi, boolean withProbes, boolean withCurves) {
        List<ArmResult> arms = List.of(new ArmResult("base", ArmKind.BASE, "Qwen3-0.6B-Base stand-in"),
                new ArmResult("sft", ArmKind.SFT, "math SFT, 2 epochs"),
                new ArmResult("grpo", ArmKind.RL, "math GRPO, 200 steps"));
        List<BenchmarkScore> scores = new ArrayList<>();
        for (int b = 0; b < BENCHMARKS.length; b++) {
            BenchmarkGroup g = BenchmarkGroup.parseOrNull(BENCHMARKS[b][1]);
            scores.add(score("base-model", "base", 0, b, g, 30 + 5 * b));
            for (int seed : SEEDS) {
                scores.add(score("sft-s" + seed, "sft", seed, b, g, 35 + 4 * b + 1.5 * seed + (g == BenchmarkGroup.MATH ? 20 : -10)));
                scores.add(score("grpo-s" + seed, "grpo", seed, b, g, 33 + 5 * b + 0.7 * seed * seed + (g == BenchmarkGroup.MATH ? 22 : 4)));
            }
        }
        List<TiResult> ti = new ArrayList<>();
        List<ProbeResult> probes = new ArrayList<>();
        List<TrainingCurve> curves = new ArrayList<>();
        for (int seed : SEEDS) {
            String transfers = paperDirection ? "grpo" : "sft", drifts = paperDirection ? "sft" : "grpo";
            if (withTi) {
                ti.add(tiRow(transfers, seed, 80.0 + 3 * seed, 12.3 + seed));
                ti.add(tiRow(drifts, seed, 45.0 - 2 * seed, -40.1 - 1.5 * seed));
            }
            if (withProbes) {
                for (int t = 0; t < TASKS.size(); t++) {
                    probes.add(probe(transfers, seed, TASKS.get(t), 0.05 + 0.01 * seed + 0.02 * t, 3.0 + seed, 0.2));
                    probes.add(probe(drifts, seed, TASKS.get(t), 0.35 + 0.02 * seed + 0.05 * t, 25.0 + 2 * seed, 1.0));
                }
            }
            if (withCurves) {
                curves.add(curve("sft", seed, false));
                curves.add(curve("grpo", seed, true));
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("threads", "2");
        env.put("machine", "test box | 2 cores");
        env.put("rift version", "0.1.0-SNAPSHOT");
        env.put("time taken", "00:12:34");
        String recipe = "name: synthetic\nbase: tiny\nsft:\n  lr: 1e-4\n# a line with ``` backticks and <tags> & stuff\n";
        return new ReportData("Synthetic experiment", recipe, arms, scores, ti, probes, curves, env);
    }

    private static BenchmarkScore score(String model, String arm, int seed, int b, BenchmarkGroup g, double score) {
        double s = Math.min(100, Math.max(0, score));
        return new BenchmarkScore(model, arm, seed, BENCHMARKS[b][0], g, s, Math.max(0, s - 3.5), Math.min(100, s + 2.5));
    }

    private static TiResult tiRow(String arm, int seed, double tiOther, double tiNon) {
        Map<BenchmarkGroup, Double> di = Map.of(BenchmarkGroup.MATH, 1.2, BenchmarkGroup.OTHER, 1.2 * tiOther / 100,
                BenchmarkGroup.NON, 1.2 * tiNon / 100);
        Map<BenchmarkGroup, Double> sig = Map.of(BenchmarkGroup.MATH, 16.122, BenchmarkGroup.OTHER, 18.431, BenchmarkGroup.NON, 20.462);
        return new TiResult(arm + "-s" + seed, arm, seed, di, tiOther, tiNon, "pooled", sig);
    }

    /** A probe whose size of drift is set by {@code scale}: per-layer PCA moves and shifted-token shares grow with it. */
    private static ProbeResult probe(String arm, int seed, String task, double kl, double rankShift, double scale) {
        List<PcaLayerPoint> pca = new ArrayList<>();
        double sx = 0, sy = 0;
        for (int layer = 0; layer <= 6; layer++) {
            double b1 = 10 * layer + seed, b2 = 3.0 * layer - 8 + (task.equals("IFEval") ? 5 : 0);
            double t1 = b1 + scale * (2 + layer * 1.5), t2 = b2 + scale * (layer - 2) * 0.8;
            pca.add(new PcaLayerPoint(layer, b1, b2, t1, t2));
            sx += t1 - b1;
            sy += t2 - b2;
        }
        double d = Math.hypot(sx / 7, sy / 7);
        long shifted = Math.round(200 * scale) + seed, marginal = Math.round(150 * scale) + 2L * seed;
        UrialBuckets urial = new UrialBuckets(1000 - shifted - marginal, marginal, shifted);
        List<TokenCount> tokens = List.of(new TokenCount(" Wait", Math.round(40 * scale) + seed),
                new TokenCount("\n", 7), new TokenCount("a|b", 3), new TokenCount("<b>", 2), new TokenCount("Hmm", 5L * seed));
        List<RankShiftBin> hist = List.of(new RankShiftBin(0, 0, 1000 - shifted - marginal), new RankShiftBin(1, 1, marginal / 2),
                new RankShiftBin(2, 3, marginal - marginal / 2), new RankShiftBin(4, 7, shifted / 2),
                new RankShiftBin(8, Long.MAX_VALUE, shifted - shifted / 2));
        return new ProbeResult(arm, seed, task, kl, rankShift, urial, tokens, hist, pca, d);
    }

    private static TrainingCurve curve(String arm, int seed, boolean rl) {
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int step = 0; step <= 40; step += 2) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("step", (double) step);
            m.put("loss", (rl ? 0.02 : 1.8) * Math.exp(-step / 25.0) + 0.01 * seed);
            m.put("lr", 1e-5 * Math.min(1, (step + 1) / 10.0));
            m.put("grad_norm", 2.0 / (1 + step / 10.0) + 0.1 * seed);
            if (rl) {
                m.put("reward", 0.2 + 0.5 * (1 - Math.exp(-step / 15.0)) + 0.03 * seed);
                m.put("accuracy", 0.25 + 0.45 * (1 - Math.exp(-step / 18.0)) + 0.02 * seed);
                m.put("entropy", 0.9 - 0.01 * step);
                m.put("completion_length", 120.0 + 2 * step + 5 * seed);
            }
            rows.add(m);
        }
        return TrainingCurve.fromMaps(arm, seed, rows);
    }
}
