package rift.report;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import rift.eval.ti.BenchmarkGroup;
import rift.kernels.RiftException;

/**
 * Everything the experiment report shows. The experiment runner fills it; {@link ReportWriter} and
 * {@link ConsoleSummary} only read it. Optional lists (ti, probes, curves) may be empty or null; their report
 * sections then say there is nothing to show.
 *
 * @param title       the report's heading
 * @param recipeText  the resolved recipe, shown verbatim
 * @param arms        the arms, the base arm first
 * @param scores      benchmark scores of every arm and seed
 * @param ti          Transferability Index per trained arm and seed
 * @param probes      drift probes per trained arm, seed and task
 * @param curves      training logs per trained arm and seed
 * @param environment machine, threads, time taken, rift version ... (shown sorted by key)
 */
public record ReportData(String title, String recipeText, List<ArmResult> arms, List<BenchmarkScore> scores,
                         List<TiResult> ti, List<ProbeResult> probes, List<TrainingCurve> curves,
                         Map<String, String> environment) {
    public ReportData {
        if (title == null) title = "";
        if (recipeText == null) recipeText = "";
        arms = arms == null ? List.of() : List.copyOf(arms);
        scores = scores == null ? List.of() : List.copyOf(scores);
        ti = ti == null ? List.of() : List.copyOf(ti);
        probes = probes == null ? List.of() : List.copyOf(probes);
        curves = curves == null ? List.of() : List.copyOf(curves);
        environment = environment == null ? Map.of() : new TreeMap<>(environment);
    }

    /** The arm with this name, or null. */
    public ArmResult arm(String name) {
        for (ArmResult a : arms) if (a.name().equals(name)) return a;
        return null;
    }

    /**
     * Checks what the report relies on: a base arm first, known arm names everywhere, scores in 0..100 with
     * their CI around them, finite probe numbers, no duplicate rows.
     *
     * @throws RiftException naming the field (e.g. {@code ReportData.scores[4].arm}) and the fix
     */
    public ReportData validate() {
        if (arms.isEmpty()) fail("arms", "is empty", "list the base arm first, then the trained arms");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < arms.size(); i++) {
            ArmResult a = arms.get(i);
            String f = "arms[" + i + "]";
            if (a == null) fail(f, "is null", "remove it");
            if (a.name() == null || a.name().isBlank()) fail(f + ".name", "is blank", "name every arm (base, sft, grpo)");
            if (a.kind() == null) fail(f + ".kind", "is null", "set BASE, SFT or RL");
            if (!names.add(a.name())) fail(f + ".name", "repeats '" + a.name() + "'", "give every arm its own name");
            if ((i == 0) != (a.kind() == ArmKind.BASE)) {
                fail(f + ".kind", "is " + a.kind() + (i == 0 ? "" : " (a second base arm)"),
                        "put exactly one BASE arm, first in the list");
            }
        }
        Map<String, BenchmarkGroup> groupOf = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < scores.size(); i++) {
            BenchmarkScore s = scores.get(i);
            String f = "scores[" + i + "]";
            if (s == null) fail(f, "is null", "remove it");
            knownArm(f + ".arm", s.arm(), true);
            if (s.benchmark() == null || s.benchmark().isBlank()) fail(f + ".benchmark", "is blank", "name the benchmark");
            if (s.group() == null) fail(f + ".group", "is null", "set MATH, OTHER or NON");
            BenchmarkGroup prev = groupOf.putIfAbsent(s.benchmark(), s.group());
            if (prev != null && prev != s.group()) {
                fail(f + ".group", "puts " + s.benchmark() + " in " + s.group().label() + " but an earlier row has "
                        + prev.label(), "give each benchmark one group");
            }
            if (!(s.score() >= 0 && s.score() <= 100)) fail(f + ".score", "is " + s.score(), "give accuracy in percent, 0..100");
            if (Double.isNaN(s.ciLow()) != Double.isNaN(s.ciHigh())) {
                fail(f + ".ciLow/ciHigh", "has one end NaN", "give both ends of the interval or neither (NaN, NaN)");
            }
            if (s.hasCi() && !(s.ciLow() <= s.score() && s.score() <= s.ciHigh())) {
                fail(f + ".ciLow/ciHigh", "[" + s.ciLow() + ", " + s.ciHigh() + "] does not contain the score " + s.score(),
                        "pass the interval computed for this score, in percent");
            }
            if (!seen.add(s.arm() + "\u0000" + s.seed() + "\u0000" + s.benchmark())) {
                fail(f, "repeats arm " + s.arm() + " seed " + s.seed() + " benchmark " + s.benchmark(),
                        "keep one score per arm, seed and benchmark");
            }
        }
        seen.clear();
        for (int i = 0; i < ti.size(); i++) {
            TiResult t = ti.get(i);
            String f = "ti[" + i + "]";
            if (t == null) fail(f, "is null", "remove it");
            knownArm(f + ".arm", t.arm(), false);
            if (Double.isInfinite(t.tiOther()) || Double.isInfinite(t.tiNon())) {
                fail(f + ".tiOther/tiNon", "is infinite", "pass a finite TI, or NaN when the group is absent");
            }
            if (!seen.add(t.arm() + "\u0000" + t.seed())) fail(f, "repeats arm " + t.arm() + " seed " + t.seed(), "keep one TI per arm and seed");
        }
        seen.clear();
        for (int i = 0; i < probes.size(); i++) {
            ProbeResult p = probes.get(i);
            String f = "probes[" + i + "]";
            if (p == null) fail(f, "is null", "remove it");
            knownArm(f + ".arm", p.arm(), false);
            if (p.task() == null || p.task().isBlank()) fail(f + ".task", "is blank", "name the probe task");
            if (Double.isInfinite(p.tokenKl()) || Double.isInfinite(p.meanRankShift()) || Double.isInfinite(p.pcaDistance())) {
                fail(f, "has an infinite tokenKl, meanRankShift or pcaDistance", "pass finite numbers, or NaN when not measured");
            }
            ProbeResult.UrialBuckets u = p.urial();
            if (u.unshifted() < 0 || u.marginal() < 0 || u.shifted() < 0) fail(f + ".urial", "has a negative count", "pass token counts ≥ 0");
            for (int j = 0; j < p.topShiftedTokens().size(); j++) {
                ProbeResult.TokenCount tc = p.topShiftedTokens().get(j);
                if (tc.token() == null || tc.count() < 0) fail(f + ".topShiftedTokens[" + j + "]", "has a null token or negative count", "pass decoded token text and its count");
            }
            for (int j = 0; j < p.rankShiftHistogram().size(); j++) {
                ProbeResult.RankShiftBin b = p.rankShiftHistogram().get(j);
                if (b.count() < 0 || b.highInclusive() < b.lowInclusive()) {
                    fail(f + ".rankShiftHistogram[" + j + "]", "is [" + b.lowInclusive() + ", " + b.highInclusive() + "] count " + b.count(),
                            "give low ≤ high and a count ≥ 0");
                }
            }
            for (int j = 0; j < p.pca().size(); j++) {
                ProbeResult.PcaLayerPoint q = p.pca().get(j);
                if (!(Double.isFinite(q.basePc1()) && Double.isFinite(q.basePc2()) && Double.isFinite(q.tunedPc1()) && Double.isFinite(q.tunedPc2()))) {
                    fail(f + ".pca[" + j + "]", "has a non-finite coordinate", "pass the layer's finite mean projections");
                }
            }
            if (!seen.add(p.arm() + "\u0000" + p.seed() + "\u0000" + p.task())) {
                fail(f, "repeats arm " + p.arm() + " seed " + p.seed() + " task " + p.task(), "keep one probe result per arm, seed and task");
            }
        }
        seen.clear();
        for (int i = 0; i < curves.size(); i++) {
            TrainingCurve c = curves.get(i);
            String f = "curves[" + i + "]";
            if (c == null) fail(f, "is null", "remove it");
            knownArm(f + ".arm", c.arm(), true);
            if (!seen.add(c.arm() + "\u0000" + c.seed())) fail(f, "repeats arm " + c.arm() + " seed " + c.seed(), "keep one curve per arm and seed");
        }
        return this;
    }

    private void knownArm(String field, String name, boolean baseAllowed) {
        ArmResult a = name == null ? null : arm(name);
        if (a == null) fail(field, "names arm '" + name + "', which is not in arms", "use one of the arms' names or add the arm");
        if (!baseAllowed && a.kind() == ArmKind.BASE) fail(field, "names the base arm '" + name + "'", "give this result for trained arms only");
    }

    static void fail(String field, String problem, String fix) {
        throw new RiftException("report data: ReportData." + field + " " + problem + ": " + fix);
    }

}
