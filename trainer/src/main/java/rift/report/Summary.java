package rift.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import rift.eval.ti.BenchmarkGroup;

/**
 * The numbers of the report's summary table, computed once from {@link ReportData} and shared by the documents
 * and the console. Every per-arm number is first reduced to one value per seed, then summarised over seeds:
 * <ul>
 *   <li>group score of a seed = mean of that seed's benchmark scores in the group;</li>
 *   <li>token KL and PCA d of a seed = mean over the probe tasks of that seed;</li>
 *   <li>TI_other and TI_non of a seed as given.</li>
 * </ul>
 */
final class Summary {

    /** One arm's row: the seeds it has and each number's spread over them. */
    record ArmRow(ArmResult arm, List<Integer> seeds, Map<BenchmarkGroup, Spread> groupScores, Spread tiOther,
                  Spread tiNon, Spread tokenKl, Spread pcaDistance) {}

    final ReportData data;
    final List<BenchmarkGroup> groups;
    final List<String> benchmarks;
    final Map<String, BenchmarkGroup> groupOf;
    final List<String> tasks;
    final List<ArmRow> rows;

    private Summary(ReportData data) {
        this.data = data;
        Map<String, BenchmarkGroup> groupOf = new LinkedHashMap<>();
        for (BenchmarkScore s : data.scores()) groupOf.putIfAbsent(s.benchmark(), s.group());
        this.groupOf = groupOf;
        List<String> benchmarks = new ArrayList<>();
        List<BenchmarkGroup> groups = new ArrayList<>();
        for (BenchmarkGroup g : BenchmarkGroup.values()) {
            for (var e : groupOf.entrySet()) if (e.getValue() == g) benchmarks.add(e.getKey());
            if (groupOf.containsValue(g)) groups.add(g);
        }
        this.benchmarks = List.copyOf(benchmarks);
        this.groups = List.copyOf(groups);
        List<String> tasks = new ArrayList<>();
        for (ProbeResult p : data.probes()) if (!tasks.contains(p.task())) tasks.add(p.task());
        this.tasks = List.copyOf(tasks);
        List<ArmRow> rows = new ArrayList<>();
        for (ArmResult a : data.arms()) rows.add(row(a));
        this.rows = List.copyOf(rows);
    }

    static Summary of(ReportData data) {
        return new Summary(data.validate());
    }

    ArmRow row(String arm) {
        for (ArmRow r : rows) if (r.arm().name().equals(arm)) return r;
        throw new IllegalArgumentException("no arm " + arm);
    }

    private ArmRow row(ArmResult arm) {
        TreeSet<Integer> seeds = new TreeSet<>();
        for (BenchmarkScore s : data.scores()) if (s.arm().equals(arm.name())) seeds.add(s.seed());
        Map<BenchmarkGroup, Spread> groupScores = new EnumMap<>(BenchmarkGroup.class);
        for (BenchmarkGroup g : groups) {
            Map<Integer, List<Double>> bySeed = new TreeMap<>();
            for (BenchmarkScore s : data.scores()) {
                if (s.arm().equals(arm.name()) && s.group() == g) bySeed.computeIfAbsent(s.seed(), k -> new ArrayList<>()).add(s.score());
            }
            groupScores.put(g, Spread.of(bySeed.values().stream().map(Summary::mean).toList()));
        }
        List<TiResult> ti = data.ti().stream().filter(t -> t.arm().equals(arm.name())).toList();
        return new ArmRow(arm, List.copyOf(seeds), groupScores,
                Spread.of(ti.stream().map(TiResult::tiOther).toList()),
                Spread.of(ti.stream().map(TiResult::tiNon).toList()),
                probePerSeed(arm.name(), ProbeResult::tokenKl),
                probePerSeed(arm.name(), ProbeResult::pcaDistance));
    }

    /** A probe number averaged over the tasks of each seed, then summarised over seeds. */
    private Spread probePerSeed(String arm, ToDoubleFunction<ProbeResult> value) {
        Map<Integer, List<Double>> bySeed = new TreeMap<>();
        for (ProbeResult p : data.probes()) {
            if (p.arm().equals(arm)) bySeed.computeIfAbsent(p.seed(), k -> new ArrayList<>()).add(value.applyAsDouble(p));
        }
        return Spread.of(bySeed.values().stream().map(Summary::mean).toList());
    }

    /** One benchmark's score of one arm over seeds. */
    Spread benchmarkScore(String arm, String benchmark) {
        return Spread.of(scores(arm, benchmark, BenchmarkScore::score));
    }

    /** The mean over seeds of the lower and upper CI ends of one arm's benchmark score; NaN if none has a CI. */
    double[] meanCi(String arm, String benchmark) {
        List<BenchmarkScore> withCi = data.scores().stream()
                .filter(s -> s.arm().equals(arm) && s.benchmark().equals(benchmark) && s.hasCi()).toList();
        if (withCi.isEmpty()) return new double[] {Double.NaN, Double.NaN};
        return new double[] {mean(withCi.stream().map(BenchmarkScore::ciLow).toList()),
                mean(withCi.stream().map(BenchmarkScore::ciHigh).toList())};
    }

    /** The per-seed values of one benchmark of one arm, in seed order. */
    List<Double> scores(String arm, String benchmark, Function<BenchmarkScore, Double> field) {
        return data.scores().stream().filter(s -> s.arm().equals(arm) && s.benchmark().equals(benchmark))
                .sorted((a, b) -> Integer.compare(a.seed(), b.seed())).map(field).toList();
    }

    /** The per-seed group scores of one arm, in seed order (the values behind {@link ArmRow#groupScores}). */
    List<Double> groupScoresPerSeed(String arm, BenchmarkGroup g) {
        Map<Integer, List<Double>> bySeed = new TreeMap<>();
        for (BenchmarkScore s : data.scores()) {
            if (s.arm().equals(arm) && s.group() == g) bySeed.computeIfAbsent(s.seed(), k -> new ArrayList<>()).add(s.score());
        }
        return bySeed.values().stream().map(Summary::mean).toList();
    }

    /** Probe results of one arm on one task, in seed order. */
    List<ProbeResult> probes(String arm, String task) {
        return data.probes().stream().filter(p -> p.arm().equals(arm) && p.task().equals(task))
                .sorted((a, b) -> Integer.compare(a.seed(), b.seed())).toList();
    }

    /** The trained arms (every arm but the base), in input order. */
    List<ArmResult> trainedArms() {
        return data.arms().subList(1, data.arms().size());
    }

    /** The mean of the finite values (a task or seed without the measurement is NaN); NaN when none. */
    static double mean(List<Double> values) {
        double s = 0;
        int n = 0;
        for (double v : values) {
            if (Double.isNaN(v)) continue;
            s += v;
            n++;
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
