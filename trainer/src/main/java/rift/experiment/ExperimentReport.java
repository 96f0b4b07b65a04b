package rift.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rift.eval.ti.BenchmarkGroup;
import rift.kernels.RiftException;
import rift.kernels.cpu.Parallel;
import rift.report.ArmKind;
import rift.report.ArmResult;
import rift.report.BenchmarkScore;
import rift.report.ConsoleSummary;
import rift.report.ProbeResult;
import rift.report.ReportData;
import rift.report.ReportWriter;
import rift.report.TiResult;
import rift.report.TrainingCurve;

/** Turns an experiment's outcome into the report (report/index.html, report.md, plots) and the console table. */
public final class ExperimentReport {
    private ExperimentReport() {}

    public static void write(ExperimentSpec spec, ExperimentRunner.Outcome out, double seconds) {
        List<ProbeResult> probes = spec.probes() ? ExperimentProbes.run(spec, out) : List.of();
        ReportData data = data(spec, out, probes, seconds);
        Path reportDir = spec.runDir().resolve("report");
        ReportWriter.write(reportDir, data);
        System.out.println(ConsoleSummary.format(data));
        System.out.printf(Locale.ROOT, "report: %s (and report.md beside it); took %.1f min%n", reportDir.resolve("index.html"), seconds / 60);
    }

    static ReportData data(ExperimentSpec spec, ExperimentRunner.Outcome out, List<ProbeResult> probes, double seconds) {
        List<ArmResult> arms = new ArrayList<>();
        arms.add(new ArmResult("base", ArmKind.BASE, "shared starting model: " + spec.basePath()));
        for (ExperimentSpec.Arm a : spec.arms()) arms.add(new ArmResult(a.name(), kindOf(a.recipe()), a.recipe().toString()));
        List<BenchmarkScore> scores = new ArrayList<>();
        for (ExperimentRunner.Score s : out.scores())
            scores.add(new BenchmarkScore(s.model(), s.arm(), (int) s.seed(), s.benchmark(), s.group(), s.score(), s.ciLow(), s.ciHigh()));
        List<TiResult> ti = new ArrayList<>();
        if (out.ti() != null) {
            Map<BenchmarkGroup, Double> sigmas = out.ti().pooledOrFixedSigmas();
            for (var m : out.ti().models()) {
                ExperimentRunner.ModelRun run = out.models().stream().filter(r -> r.label().equals(m.model())).findFirst().orElseThrow();
                Map<BenchmarkGroup, Double> di = new LinkedHashMap<>();
                m.groups().forEach((g, idx) -> di.put(g, idx.di()));
                ti.add(new TiResult(m.model(), run.arm(), (int) run.seed(), di, m.tiOther() == null ? Double.NaN : m.tiOther(),
                        m.tiNon() == null ? Double.NaN : m.tiNon(), out.ti().options().sigmaMode().label(), sigmas));
            }
        }
        List<TrainingCurve> curves = new ArrayList<>();
        for (ExperimentRunner.ModelRun m : out.models())
            if (m.runDir() != null) curves.add(curve(m));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("rift", "0.1.0");
        env.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch") + ", Java "
                + Runtime.version());
        env.put("threads", String.valueOf(Parallel.threads()));
        env.put("seeds", spec.seeds().toString());
        env.put("wall time", String.format(Locale.ROOT, "%.1f min", seconds / 60));
        return new ReportData("rift experiment: " + spec.name(), spec.text(), arms, scores, ti, probes, curves, env);
    }

    private static ArmKind kindOf(Path recipe) {
        try {
            String text = Files.readString(recipe);
            return text.lines().anyMatch(l -> l.trim().equals("method: grpo")) ? ArmKind.RL : ArmKind.SFT;
        } catch (IOException e) {
            throw new RiftException(recipe + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The training metrics the report plots (metrics.jsonl keeps every one). */
    static final java.util.Set<String> PLOTTED = java.util.Set.of("loss", "grad_norm", "lr", "reward_mean", "accuracy", "entropy",
            "completion_len_mean", "clip_high", "approx_kl", "frac_zero_std");

    private static TrainingCurve curve(ExperimentRunner.ModelRun m) {
        List<Map<String, Double>> rows = new ArrayList<>();
        Path f = m.runDir().resolve("metrics.jsonl");
        try {
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(f)) {
                if (line.isBlank()) continue;
                JsonNode n = json.readTree(line);
                Map<String, Double> row = new LinkedHashMap<>();
                n.fields().forEachRemaining(e -> {
                    if (e.getValue().isNumber() && (e.getKey().equals("step") || PLOTTED.contains(e.getKey())))
                        row.put(e.getKey(), e.getValue().asDouble());
                });
                rows.add(row);
            }
        } catch (IOException e) {
            throw new RiftException(f + ": cannot read the training metrics (" + e.getMessage() + ")");
        }
        return TrainingCurve.fromMaps(m.arm(), (int) m.seed(), rows);
    }
}
