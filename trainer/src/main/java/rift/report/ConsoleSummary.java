package rift.report;

import java.util.ArrayList;
import java.util.List;
import rift.eval.ti.BenchmarkGroup;
import rift.report.Summary.ArmRow;

/**
 * The short table {@code rift experiment} prints when it finishes: per-group scores of every arm, TI_other,
 * TI_non, token KL and PCA d (mean +- s.d. over seeds), then whether the paper's direction holds here. Plain
 * ASCII apart from the arm names, so it reads the same in any terminal.
 */
public final class ConsoleSummary {
    private ConsoleSummary() {}

    public static String format(ReportData data) {
        Summary s = Summary.of(data);
        List<String> header = new ArrayList<>(List.of("arm", "kind", "seeds"));
        for (BenchmarkGroup g : s.groups) header.add(g.label());
        header.addAll(List.of("TI_other", "TI_non", "token KL", "PCA d"));
        List<List<String>> rows = new ArrayList<>();
        for (ArmRow r : s.rows) {
            List<String> row = new ArrayList<>(List.of(r.arm().name(), r.arm().kind().label(), Integer.toString(r.seeds().size())));
            for (BenchmarkGroup g : s.groups) row.add(Fmt.spread(r.groupScores().get(g), 1, false, "+-"));
            boolean base = r.arm().kind() == ArmKind.BASE;
            row.add(base ? "-" : Fmt.spread(r.tiOther(), 1, true, "+-"));
            row.add(base ? "-" : Fmt.spread(r.tiNon(), 1, true, "+-"));
            row.add(base ? "-" : Fmt.spread(r.tokenKl(), 3, false, "+-"));
            row.add(base ? "-" : Fmt.spread(r.pcaDistance(), 2, false, "+-"));
            rows.add(row);
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) width[i] = Math.max(width[i], r.get(i).length());
        }
        StringBuilder b = new StringBuilder();
        line(b, header, width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        b.append(rule).append('\n');
        for (List<String> r : rows) line(b, r, width);
        b.append("scores in %, group score = mean over the group's benchmarks; mean +- s.d. over seeds\n");
        List<Direction.Check> checks = Direction.checks(s);
        for (Direction.Check c : checks) b.append("  ").append(c.sentence()).append('\n');
        b.append(Direction.verdict(checks)).append('\n');
        return b.toString();
    }

    /** Text columns left-aligned, numbers right-aligned. */
    private static void line(StringBuilder b, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            l.append(i == 0 ? "" : "  ").append(i < 2 ? c + pad : pad + c);
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }
}
