package rift.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.eval.ti.BenchmarkGroup;
import rift.report.Doc.Figure;
import rift.report.Doc.FigureGrid;
import rift.report.Doc.Table;
import rift.report.Summary.ArmRow;

/** Lays out the report's sections as a {@link Doc}, from the summary numbers and the figures that were drawn. */
final class ReportDocument {
    private ReportDocument() {}

    static final String PM = "±";
    /** Tokens listed per task and arm in the top-shifted-tokens table. */
    static final int TOP_TOKENS = 12;

    /**
     * The drawn figures by section; a section's list is empty when it had nothing to draw or drawing failed.
     *
     * @param problems one line per figure that could not be drawn (shown in the report)
     */
    record Figures(List<Figure> scores, List<Figure> ti, List<Figure> curves, List<Figure> rank, List<Figure> pca,
                   List<String> problems) {
        static Figures none(String why) {
            return new Figures(List.of(), List.of(), List.of(), List.of(), List.of(), why == null ? List.of() : List.of(why));
        }
    }

    static Doc build(Summary s, Figures figures) {
        ReportData d = s.data;
        String title = d.title().isBlank() ? "rift experiment report" : d.title();
        Doc doc = new Doc(title);
        doc.heading(1, title, "top");
        doc.para(intro(s));

        doc.heading(2, "Summary", "summary");
        doc.add(summaryTable(s));
        List<Direction.Check> checks = Direction.checks(s);
        doc.key(Direction.verdict(checks));
        if (!checks.isEmpty()) doc.add(new Doc.Bullets(checks.stream().map(Direction.Check::sentence).toList()));
        doc.note("Numbers are the mean ± sample standard deviation over seeds (the value alone for one seed; n/a: not"
                + " measured). A group score is the mean over the group's benchmarks; token KL and PCA d are means over"
                + " the probe tasks. The paper (arXiv:2507.00432) finds RL on math transfers (positive TI_other and"
                + " TI_non) while SFT on math drifts (larger token KL and PCA shift, negative TI_non).");

        doc.heading(2, "Benchmark scores", "scores");
        figures(doc, figures.scores());
        if (s.benchmarks.isEmpty()) doc.para("No benchmark scores in this run.");
        else doc.add(benchmarkTable(s));
        doc.add(runsTable(s));

        doc.heading(2, "Transferability Index", "ti");
        if (d.ti().isEmpty()) {
            doc.para("No TI results in this run.");
        } else {
            figures(doc, figures.ti());
            doc.add(tiTable(s));
            doc.note("DI_g = Σ_b ŵ_b · sign(δ_b)·√|δ_b| with δ_b = (R_b − R_b,base)/σ_g and ŵ_b ∝ 100 − R_b,base;"
                    + " TI_g = 100 · DI_g / DI_math (paper §2.1, paper.md §1.2). σ mode pooled reproduces the paper's"
                    + " table; σ depends on every model evaluated together.");
        }

        doc.heading(2, "Training curves", "curves");
        if (d.curves().isEmpty()) doc.para("No training logs in this run.");
        else if (figures.curves().isEmpty()) doc.para("Training logs were given but no curve could be drawn (see Plot problems).");
        else doc.add(new FigureGrid(figures.curves()));

        doc.heading(2, "Drift probes", "probes");
        if (d.probes().isEmpty()) {
            doc.para("No probe results in this run: token KL, rank shift and PCA shift were not measured.");
        } else {
            doc.add(probeTable(s));
            doc.note("Token KL: mean over the tuned model's own response tokens of log p_tuned − log p_base (paper.md"
                    + " §4.2). Rank shift: base rank − tuned rank of each response token (§4.3). Bucket shares are of"
                    + " response tokens; PCA d is the paper's layer-averaged shift on the base model's components (§4.1).");
            doc.heading(3, "Token rank shift", "rank");
            figures(doc, figures.rank());
            doc.heading(3, "Top shifted tokens", "tokens");
            doc.add(tokenTable(s));
            doc.note("The most frequent tokens whose base rank differs from their tuned rank, summed over seeds;"
                    + " ␣ is a space, ↵ a newline.");
            doc.heading(3, "PCA shift per layer", "pca");
            if (figures.pca().isEmpty()) doc.para("No per-layer PCA points in the probe results.");
            else doc.add(new FigureGrid(figures.pca()));
        }

        doc.heading(2, "Recipe", "recipe");
        if (d.recipeText().isBlank()) doc.para("No recipe text given.");
        else doc.add(new Doc.Pre(d.recipeText()));

        doc.heading(2, "Environment", "environment");
        if (d.environment().isEmpty()) {
            doc.para("No environment details given.");
        } else {
            List<List<String>> rows = new ArrayList<>();
            d.environment().forEach((k, v) -> rows.add(List.of(k, v)));
            doc.add(new Table(List.of("Key", "Value"), List.of(false, false), rows));
        }

        if (!figures.problems().isEmpty()) {
            doc.heading(2, "Plot problems", "plot-problems");
            doc.add(new Doc.Bullets(figures.problems()));
        }
        return doc;
    }

    private static String intro(Summary s) {
        List<String> trained = s.trainedArms().stream().map(a -> a.name() + " (" + a.kind().label() + ")").toList();
        String base = s.data.arms().getFirst().name();
        int seeds = s.rows.stream().mapToInt(r -> r.seeds().size()).max().orElse(0);
        return "Base model: " + base + (trained.isEmpty() ? "" : "; trained arm" + (trained.size() == 1 ? "" : "s")
                + ": " + String.join(", ", trained)) + "; up to " + seeds
                + " seed" + (seeds == 1 ? "" : "s") + " per arm; " + s.benchmarks.size() + " benchmark"
                + (s.benchmarks.size() == 1 ? "" : "s") + " in " + s.groups.size() + " group"
                + (s.groups.size() == 1 ? "" : "s") + ".";
    }

    private static void figures(Doc doc, List<Figure> figs) {
        for (Figure f : figs) doc.add(f);
    }

    /** Column header of a group score. */
    static String groupHeader(BenchmarkGroup g) {
        return g.label() + " (%)";
    }

    static Table summaryTable(Summary s) {
        List<String> header = new ArrayList<>(List.of("Arm", "Kind", "Seeds"));
        List<Boolean> numeric = new ArrayList<>(List.of(false, false, true));
        for (BenchmarkGroup g : s.groups) {
            header.add(groupHeader(g));
            numeric.add(true);
        }
        header.addAll(List.of("TI_other", "TI_non", "token KL", "PCA d"));
        numeric.addAll(List.of(true, true, true, true));
        List<List<String>> rows = new ArrayList<>();
        for (ArmRow r : s.rows) {
            List<String> row = new ArrayList<>(List.of(r.arm().name(), r.arm().kind().label(), Integer.toString(r.seeds().size())));
            for (BenchmarkGroup g : s.groups) row.add(Fmt.spread(r.groupScores().get(g), 1, false, PM));
            boolean base = r.arm().kind() == ArmKind.BASE;
            row.add(base ? "—" : Fmt.spread(r.tiOther(), 1, true, PM));
            row.add(base ? "—" : Fmt.spread(r.tiNon(), 1, true, PM));
            row.add(base ? "—" : Fmt.spread(r.tokenKl(), 3, false, PM));
            row.add(base ? "—" : Fmt.spread(r.pcaDistance(), 2, false, PM));
            rows.add(row);
        }
        return new Table(header, numeric, rows);
    }

    private static Table benchmarkTable(Summary s) {
        List<String> header = new ArrayList<>(List.of("Benchmark", "Group"));
        List<Boolean> numeric = new ArrayList<>(List.of(false, false));
        for (ArmResult a : s.data.arms()) {
            header.add(a.name());
            numeric.add(true);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String b : s.benchmarks) {
            List<String> row = new ArrayList<>(List.of(b, s.groupOf.get(b).label()));
            for (ArmResult a : s.data.arms()) {
                Spread sp = s.benchmarkScore(a.name(), b);
                double[] ci = s.meanCi(a.name(), b);
                String cell = Fmt.spread(sp, 1, false, PM);
                if (!Double.isNaN(ci[0])) cell += " [" + Fmt.fixed(ci[0], 1) + ", " + Fmt.fixed(ci[1], 1) + "]";
                row.add(cell);
            }
            rows.add(row);
        }
        return new Table(header, numeric, rows);
    }

    private static Table runsTable(Summary s) {
        List<List<String>> rows = new ArrayList<>();
        for (ArmRow r : s.rows) {
            Map<String, Boolean> models = new LinkedHashMap<>();
            s.data.scores().stream().filter(x -> x.arm().equals(r.arm().name()))
                    .sorted(Comparator.comparingInt(BenchmarkScore::seed)).forEach(x -> models.put(x.model(), true));
            rows.add(List.of(r.arm().name(), r.arm().kind().label(),
                    String.join(", ", r.seeds().stream().map(String::valueOf).toList()),
                    String.join(", ", models.keySet()), r.arm().description()));
        }
        return new Table(List.of("Arm", "Kind", "Seeds", "Models", "Description"), List.of(false, false, false, false, false), rows);
    }

    private static Table tiTable(Summary s) {
        List<String> header = List.of("Arm", "Seed", "Model", "DI_math", "DI_other", "DI_non", "TI_other", "TI_non",
                "σ mode", "σ_math", "σ_other", "σ_non");
        List<Boolean> numeric = List.of(false, true, false, true, true, true, true, true, false, true, true, true);
        List<List<String>> rows = new ArrayList<>();
        for (ArmResult a : s.trainedArms()) {
            s.data.ti().stream().filter(t -> t.arm().equals(a.name())).sorted(Comparator.comparingInt(TiResult::seed))
                    .forEach(t -> rows.add(List.of(a.name(), Integer.toString(t.seed()), t.model(),
                            di(t, BenchmarkGroup.MATH), di(t, BenchmarkGroup.OTHER), di(t, BenchmarkGroup.NON),
                            Fmt.signed(t.tiOther(), 1), Fmt.signed(t.tiNon(), 1), t.sigmaMode(),
                            sigma(t, BenchmarkGroup.MATH), sigma(t, BenchmarkGroup.OTHER), sigma(t, BenchmarkGroup.NON))));
        }
        return new Table(header, numeric, rows);
    }

    private static String di(TiResult t, BenchmarkGroup g) {
        Double v = t.di().get(g);
        return v == null ? Fmt.MISSING : Fmt.fixed(v, 4);
    }

    private static String sigma(TiResult t, BenchmarkGroup g) {
        Double v = t.sigmas().get(g);
        return v == null ? Fmt.MISSING : Fmt.fixed(v, 3);
    }

    private static Table probeTable(Summary s) {
        List<String> header = List.of("Task", "Arm", "Seeds", "token KL", "mean rank shift", "unshifted %", "marginal %",
                "shifted %", "PCA d");
        List<Boolean> numeric = List.of(false, false, true, true, true, true, true, true, true);
        List<List<String>> rows = new ArrayList<>();
        for (String task : s.tasks) {
            for (ArmResult a : s.trainedArms()) {
                List<ProbeResult> ps = s.probes(a.name(), task);
                if (ps.isEmpty()) continue;
                rows.add(List.of(task, a.name(), Integer.toString(ps.size()),
                        Fmt.spread(Spread.of(ps.stream().map(ProbeResult::tokenKl).toList()), 3, false, PM),
                        Fmt.spread(Spread.of(ps.stream().map(ProbeResult::meanRankShift).toList()), 2, false, PM),
                        Fmt.spread(Spread.of(ps.stream().map(p -> share(p, 0)).toList()), 1, false, PM),
                        Fmt.spread(Spread.of(ps.stream().map(p -> share(p, 1)).toList()), 1, false, PM),
                        Fmt.spread(Spread.of(ps.stream().map(p -> share(p, 2)).toList()), 1, false, PM),
                        Fmt.spread(Spread.of(ps.stream().map(ProbeResult::pcaDistance).toList()), 2, false, PM)));
            }
        }
        return new Table(header, numeric, rows);
    }

    /** A URIAL bucket's share of one probe's tokens in percent (0 unshifted, 1 marginal, 2 shifted); NaN if none. */
    static double share(ProbeResult p, int bucket) {
        ProbeResult.UrialBuckets u = p.urial();
        long n = switch (bucket) {
            case 0 -> u.unshifted();
            case 1 -> u.marginal();
            default -> u.shifted();
        };
        return u.total() == 0 ? Double.NaN : 100.0 * n / u.total();
    }

    private static Table tokenTable(Summary s) {
        List<String> header = new ArrayList<>(List.of("Task"));
        List<Boolean> numeric = new ArrayList<>(List.of(false));
        for (ArmResult a : s.trainedArms()) {
            header.add(a.name());
            numeric.add(false);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String task : s.tasks) {
            List<String> row = new ArrayList<>(List.of(task));
            for (ArmResult a : s.trainedArms()) row.add(topTokens(s.probes(a.name(), task)));
            rows.add(row);
        }
        return new Table(header, numeric, rows);
    }

    /** "Wait ×390, Hmm ×12, ...": counts summed over seeds, most frequent first, ties by token text. */
    static String topTokens(List<ProbeResult> probes) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ProbeResult p : probes) for (ProbeResult.TokenCount t : p.topShiftedTokens()) counts.merge(t.token(), t.count(), Long::sum);
        if (counts.isEmpty()) return "—";
        return String.join(", ", counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_TOKENS).map(e -> Fmt.visibleToken(e.getKey()) + " ×" + e.getValue()).toList());
    }
}
