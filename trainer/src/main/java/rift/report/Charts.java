package rift.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import rift.eval.ti.BenchmarkGroup;
import rift.report.BarPlot.Bars;

/** Builds the report's XChart charts from a {@link Summary}; nothing here writes files. */
final class Charts {
    private Charts() {}

    /**
     * A chart with the names the report gives it.
     *
     * @param stem the file name without extension (unique in the report)
     */
    record ChartSpec(String stem, Chart<?, ?> chart, String alt, String caption) {}

    /** Metrics drawn first, in this order; any other logged metric follows alphabetically. */
    static final List<String> METRIC_ORDER = List.of("loss", "reward", "accuracy", "grad_norm", "lr", "entropy",
            "completion_length", "kl");

    static String groupName(BenchmarkGroup g) {
        return switch (g) {
            case MATH -> "math";
            case OTHER -> "other reasoning";
            case NON -> "non-reasoning";
        };
    }

    // ---------------------------------------------------------------- scores

    static ChartSpec groupScores(Summary s) {
        List<String> cats = s.groups.stream().map(Charts::groupName).toList();
        List<Bars> bars = new ArrayList<>();
        for (int a = 0; a < s.data.arms().size(); a++) {
            String arm = s.data.arms().get(a).name();
            double[] v = new double[cats.size()], lo = new double[cats.size()], hi = new double[cats.size()];
            List<List<Double>> pts = new ArrayList<>();
            for (int i = 0; i < s.groups.size(); i++) {
                List<Double> perSeed = s.groupScoresPerSeed(arm, s.groups.get(i));
                Spread sp = Spread.of(perSeed);
                v[i] = sp.mean();
                lo[i] = sp.n() > 1 ? sp.min() : Double.NaN;
                hi[i] = sp.n() > 1 ? sp.max() : Double.NaN;
                pts.add(perSeed);
            }
            bars.add(new Bars(arm, ChartStyle.arm(a), v, lo, hi, pts));
        }
        XYChart c = BarPlot.draw(760, 440, "Mean score per benchmark group", "accuracy (%)", cats, null, bars, "one seed");
        return new ChartSpec("scores-groups", c, "Bar chart of the mean score per benchmark group for each arm",
                "Mean accuracy over the group's benchmarks, averaged over seeds (bar); whisker: lowest to highest"
                        + " seed; dots: each seed's group mean.");
    }

    static ChartSpec benchmarkScores(Summary s) {
        List<String> cats = s.benchmarks;
        List<String> headers = cats.stream().map(b -> groupName(s.groupOf.get(b))).toList();
        List<Bars> bars = new ArrayList<>();
        for (int a = 0; a < s.data.arms().size(); a++) {
            String arm = s.data.arms().get(a).name();
            double[] v = new double[cats.size()], lo = new double[cats.size()], hi = new double[cats.size()];
            List<List<Double>> pts = new ArrayList<>();
            for (int i = 0; i < cats.size(); i++) {
                v[i] = s.benchmarkScore(arm, cats.get(i)).mean();
                double[] ci = s.meanCi(arm, cats.get(i));
                lo[i] = ci[0];
                hi[i] = ci[1];
                pts.add(s.scores(arm, cats.get(i), BenchmarkScore::score));
            }
            bars.add(new Bars(arm, ChartStyle.arm(a), v, lo, hi, pts));
        }
        int width = Math.clamp(110L + (long) cats.size() * s.data.arms().size() * 36L, 800, 1600);
        XYChart c = BarPlot.draw(width, 460, "Score per benchmark", "accuracy (%)", cats, headers, bars, "one seed");
        return new ChartSpec("scores-benchmarks", c, "Bar chart of every benchmark's score for each arm, grouped by"
                + " math, other reasoning and non-reasoning",
                "Accuracy averaged over seeds (bar); whisker: the confidence interval, its ends averaged over seeds;"
                        + " dots: each seed's score.");
    }

    // ---------------------------------------------------------------- TI

    /** TI_other and TI_non per trained arm; null when no TI was computed. */
    static ChartSpec ti(Summary s) {
        List<ArmResult> arms = s.trainedArms();
        List<String> cats = new ArrayList<>();
        boolean other = s.data.ti().stream().anyMatch(t -> !Double.isNaN(t.tiOther()));
        boolean non = s.data.ti().stream().anyMatch(t -> !Double.isNaN(t.tiNon()));
        if (other) cats.add("TI_other");
        if (non) cats.add("TI_non");
        if (cats.isEmpty()) return null;
        List<Bars> bars = new ArrayList<>();
        for (int a = 0; a < arms.size(); a++) {
            String arm = arms.get(a).name();
            List<TiResult> rows = s.data.ti().stream().filter(t -> t.arm().equals(arm))
                    .sorted((x, y) -> Integer.compare(x.seed(), y.seed())).toList();
            double[] v = new double[cats.size()], lo = new double[cats.size()], hi = new double[cats.size()];
            List<List<Double>> pts = new ArrayList<>();
            for (int i = 0; i < cats.size(); i++) {
                boolean isOther = cats.get(i).equals("TI_other");
                List<Double> vals = rows.stream().map(t -> isOther ? t.tiOther() : t.tiNon()).filter(d -> !Double.isNaN(d)).toList();
                Spread sp = Spread.of(vals);
                v[i] = sp.mean();
                lo[i] = sp.n() > 1 ? sp.min() : Double.NaN;
                hi[i] = sp.n() > 1 ? sp.max() : Double.NaN;
                pts.add(vals);
            }
            bars.add(new Bars(arm, ChartStyle.arm(a + 1), v, lo, hi, pts));
        }
        XYChart c = BarPlot.draw(640, 420, "Transferability Index", "TI (%)", cats, null, bars, "one seed");
        return new ChartSpec("ti", c, "Bar chart of TI_other and TI_non per trained arm",
                "TI_g = 100 · DI_g / DI_math (paper §2.1); positive: the math gain carried over to group g. Bar: mean"
                        + " over seeds; whisker: lowest to highest seed; dots: each seed.");
    }

    // ---------------------------------------------------------------- training curves

    static List<ChartSpec> curves(Summary s) {
        List<ChartSpec> out = new ArrayList<>();
        List<ArmResult> arms = s.data.arms();
        for (int a = 0; a < arms.size(); a++) {
            String arm = arms.get(a).name();
            List<TrainingCurve> runs = s.data.curves().stream().filter(c -> c.arm().equals(arm))
                    .sorted((x, y) -> Integer.compare(x.seed(), y.seed())).toList();
            if (runs.isEmpty()) continue;
            for (String metric : metrics(runs)) {
                ChartSpec spec = curve(arm, a, metric, runs);
                if (spec != null) out.add(spec);
            }
        }
        return out;
    }

    /** The metric names logged in these runs, known ones first. */
    static List<String> metrics(List<TrainingCurve> runs) {
        Set<String> all = new TreeSet<>();
        for (TrainingCurve c : runs) for (TrainingCurve.Step st : c.steps()) all.addAll(st.metrics().keySet());
        List<String> out = new ArrayList<>();
        for (String m : METRIC_ORDER) if (all.remove(m)) out.add(m);
        out.addAll(all);
        return out;
    }

    private static ChartSpec curve(String arm, int armIndex, String metric, List<TrainingCurve> runs) {
        // per step: the finite values of the seeds that logged it
        TreeMap<Long, List<Double>> byStep = new TreeMap<>();
        int seedsWithMetric = 0;
        for (TrainingCurve c : runs) {
            boolean any = false;
            for (TrainingCurve.Step st : c.steps()) {
                Double v = st.metrics().get(metric);
                if (v == null || !Double.isFinite(v)) continue;
                byStep.computeIfAbsent(st.step(), k -> new ArrayList<>()).add(v);
                any = true;
            }
            if (any) seedsWithMetric++;
        }
        if (byStep.isEmpty()) return null;
        int n = byStep.size();
        double[] x = new double[n], mean = new double[n], min = new double[n], max = new double[n];
        int i = 0;
        for (Map.Entry<Long, List<Double>> e : byStep.entrySet()) {
            Spread sp = Spread.of(e.getValue());
            x[i] = e.getKey();
            mean[i] = sp.mean();
            min[i] = sp.min();
            max[i] = sp.max();
            i++;
        }
        Color colour = ChartStyle.arm(armIndex);
        XYChart c = ChartStyle.xy(560, 340, arm + ": " + metric, "step", metric);
        if (n > 1) {
            // XChart labels every logged step when the steps are equally spaced, and the labels then run into
            // each other; an axis end just past the last step breaks that spacing and gives round-number ticks
            c.getStyler().setXAxisMin(x[0]).setXAxisMax(x[n - 1] + 0.002 * (x[n - 1] - x[0]));
        }
        if (seedsWithMetric > 1) {
            double[] px = new double[2 * n], py = new double[2 * n];
            for (int k = 0; k < n; k++) {
                px[k] = x[k];
                py[k] = max[k];
                px[2 * n - 1 - k] = x[k];
                py[2 * n - 1 - k] = min[k];
            }
            XYSeries band = c.addSeries("seed range", px, py);
            band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
            band.setMarker(SeriesMarkers.NONE);
            band.setFillColor(ChartStyle.alpha(colour, 70));
            band.setLineColor(ChartStyle.alpha(colour, 70));
            band.setLineStyle(new BasicStroke(1f));
        }
        XYSeries line = c.addSeries(seedsWithMetric > 1 ? "mean of " + seedsWithMetric + " seeds"
                : "seed " + runs.getFirst().seed(), x, mean);
        line.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        line.setMarker(n <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        line.setMarkerColor(colour);
        line.setLineColor(colour);
        line.setLineStyle(new BasicStroke(2f));
        ChartStyle.fitLegend(c);
        String stem = "curve-" + armIndex + "-" + Fmt.slug(arm) + "-" + Fmt.slug(metric);
        return new ChartSpec(stem, c, arm + " " + metric + " against training step",
                arm + ": " + metric + " per logged step" + (seedsWithMetric > 1
                        ? "; line: mean over " + seedsWithMetric + " seeds, band: lowest to highest seed." : "."));
    }

    // ---------------------------------------------------------------- PCA

    private record TunedPoints(String arm, int armIndex, List<Double> x, List<Double> y) {}

    /** One scatter per probe task, as the paper's Fig. 3: each layer's base point joined to its tuned point. */
    static List<ChartSpec> pca(Summary s) {
        List<ChartSpec> out = new ArrayList<>();
        for (int t = 0; t < s.tasks.size(); t++) {
            String task = s.tasks.get(t);
            XYChart c = ChartStyle.xy(600, 480, "PCA shift per layer: " + task, "PC1 shift from the base model",
                    "PC2 mean projection");
            c.getStyler().setPlotGridVerticalLinesVisible(true);
            int links = 0;
            Set<List<Double>> basePoints = new LinkedHashSet<>();
            List<TunedPoints> tuned = new ArrayList<>();
            for (int a = 1; a < s.data.arms().size(); a++) {
                String arm = s.data.arms().get(a).name();
                List<Double> tx = new ArrayList<>(), ty = new ArrayList<>();
                for (ProbeResult p : s.probes(arm, task)) {
                    for (ProbeResult.PcaLayerPoint q : p.pca()) {
                        // the paper's coordinates: base at (0, pc2_base), tuned at (pc1_tuned − pc1_base, pc2_tuned)
                        double dx = q.tunedPc1() - q.basePc1();
                        XYSeries link = c.addSeries("~link" + links++, new double[] {0, dx}, new double[] {q.basePc2(), q.tunedPc2()});
                        link.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
                        link.setMarker(SeriesMarkers.NONE);
                        link.setLineColor(ChartStyle.LINK);
                        link.setLineStyle(new BasicStroke(1f));
                        link.setShowInLegend(false);
                        basePoints.add(List.of(0.0, q.basePc2()));
                        tx.add(dx);
                        ty.add(q.tunedPc2());
                    }
                }
                if (!tx.isEmpty()) {
                    tuned.add(new TunedPoints(arm, a, tx, ty));
                }
            }
            if (basePoints.isEmpty()) continue;
            XYSeries base = c.addSeries(s.data.arms().getFirst().name(), basePoints.stream().map(List::getFirst).toList(),
                    basePoints.stream().map(List::getLast).toList());
            base.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            base.setMarker(SeriesMarkers.DIAMOND);
            base.setMarkerColor(ChartStyle.arm(0));
            for (TunedPoints tp : tuned) {
                Spread d = Spread.of(s.probes(tp.arm(), task).stream().map(ProbeResult::pcaDistance).toList());
                XYSeries ser = c.addSeries(tp.arm() + " (d = " + Fmt.spread(d, 2, false, "±") + ")", tp.x(), tp.y());
                ser.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
                ser.setMarker(SeriesMarkers.CIRCLE);
                ser.setMarkerColor(ChartStyle.arm(tp.armIndex()));
            }
            ChartStyle.fitLegend(c);
            out.add(new ChartSpec("pca-" + (t + 1) + "-" + Fmt.slug(task), c, "PCA shift scatter for " + task,
                    task + ": one point per layer and seed. Base points sit at PC1 shift 0 (the paper's convention,"
                            + " paper.md §4.1); grey lines join each layer's base point to its tuned point; d is the"
                            + " distance between the layer-averaged points, mean ± s.d. over seeds."));
        }
        return out;
    }

    // ---------------------------------------------------------------- token rank shift

    /** URIAL buckets per task and trained arm as stacked percentages; null when no probe counted tokens. */
    static ChartSpec urial(Summary s) {
        List<String> cats = new ArrayList<>();
        List<Double> un = new ArrayList<>(), mar = new ArrayList<>(), sh = new ArrayList<>();
        for (String task : s.tasks) {
            for (ArmResult arm : s.trainedArms()) {
                long u = 0, m = 0, h = 0;
                for (ProbeResult p : s.probes(arm.name(), task)) {
                    u += p.urial().unshifted();
                    m += p.urial().marginal();
                    h += p.urial().shifted();
                }
                long total = u + m + h;
                if (total == 0) continue;
                cats.add(task + " · " + arm.name());
                un.add(100.0 * u / total);
                mar.add(100.0 * m / total);
                sh.add(100.0 * h / total);
            }
        }
        if (cats.isEmpty()) return null;
        int width = Math.clamp(160L + cats.size() * 80L, 640, 1500);
        CategoryChart c = ChartStyle.category(width, 440, "Token distribution shift (URIAL buckets)", "",
                "% of response tokens");
        c.getStyler().setStacked(true);
        c.getStyler().setAvailableSpaceFill(0.6);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        c.getStyler().setXAxisTitleVisible(false);
        if (cats.size() > 4) c.getStyler().setXAxisLabelRotation(30);
        bar(c, "unshifted (base rank 1)", cats, un, ChartStyle.UNSHIFTED);
        bar(c, "marginal (2–3)", cats, mar, ChartStyle.MARGINAL);
        bar(c, "shifted (> 3)", cats, sh, ChartStyle.SHIFTED);
        ChartStyle.fitLegend(c);
        return new ChartSpec("rank-urial", c, "Stacked bars of URIAL token buckets per task and arm",
                "Each tuned model's own response tokens by their rank under the base model (Lin et al. 2023;"
                        + " paper.md §4.3), pooled over seeds. More red: the tuned model picks tokens the base would not.");
    }

    /** The rank-shift histogram per trained arm, pooled over tasks and seeds; null when no probe has one. */
    static ChartSpec rankHistogram(Summary s) {
        TreeMap<long[], String> bins = new TreeMap<>((p, q) -> p[0] != q[0] ? Long.compare(p[0], q[0]) : Long.compare(p[1], q[1]));
        for (ProbeResult p : s.data.probes()) {
            for (ProbeResult.RankShiftBin b : p.rankShiftHistogram()) bins.put(new long[] {b.lowInclusive(), b.highInclusive()}, b.label());
        }
        if (bins.isEmpty()) return null;
        List<long[]> keys = new ArrayList<>(bins.keySet());
        List<String> cats = new ArrayList<>(bins.values());
        CategoryChart c = ChartStyle.category(Math.clamp(160L + cats.size() * 70L, 640, 1400), 420,
                "Token rank shift", "rank shift (base rank − tuned rank)", "% of response tokens");
        c.getStyler().setAvailableSpaceFill(0.8);
        if (cats.size() > 10) c.getStyler().setXAxisLabelRotation(45);
        boolean any = false;
        for (int a = 1; a < s.data.arms().size(); a++) {
            String arm = s.data.arms().get(a).name();
            long[] counts = new long[keys.size()];
            long total = 0;
            for (ProbeResult p : s.data.probes()) {
                if (!p.arm().equals(arm)) continue;
                for (ProbeResult.RankShiftBin b : p.rankShiftHistogram()) {
                    for (int k = 0; k < keys.size(); k++) {
                        if (keys.get(k)[0] == b.lowInclusive() && keys.get(k)[1] == b.highInclusive()) counts[k] += b.count();
                    }
                    total += b.count();
                }
            }
            if (total == 0) continue;
            List<Double> pct = new ArrayList<>();
            for (long n : counts) pct.add(100.0 * n / total);
            bar(c, arm, cats, pct, ChartStyle.arm(a));
            any = true;
        }
        if (!any) return null;
        ChartStyle.fitLegend(c);
        return new ChartSpec("rank-histogram", c, "Histogram of token rank shifts per arm",
                "Share of response tokens per rank-shift bin, pooled over probe tasks and seeds (paper.md §4.3).");
    }

    private static void bar(CategoryChart c, String name, List<String> cats, List<Double> values, Color colour) {
        CategorySeries s = c.addSeries(name, cats, values);
        s.setFillColor(colour);
        s.setLineColor(colour);
        s.setMarker(SeriesMarkers.NONE);
    }
}
