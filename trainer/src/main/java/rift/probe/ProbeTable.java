package rift.probe;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import rift.probe.ProbeReport.BenchmarkProbes;
import rift.probe.ProbeReport.DecodedToken;
import rift.probe.ProbeReport.Summary;

/** The human-readable table of a {@link ProbeReport}: one line per benchmark, then per group and overall. */
public final class ProbeTable {
    private ProbeTable() {}

    /** Shifted tokens shown under the table. */
    static final int TOKENS_SHOWN = 12;

    /**
     * @param kl   show the KL columns
     * @param rank show the rank-shift columns (rank shift, shifted fraction, URIAL buckets)
     * @param pca  show the PCA distance d
     */
    public static void print(PrintWriter w, ProbeReport r, boolean kl, boolean rank, boolean pca) {
        kl &= r.options().tokenProbes();
        rank &= r.options().tokenProbes();
        pca &= r.options().pcaProbe();
        w.printf(Locale.ROOT, "%s against base %s on suite %s (first %d items per benchmark)%n", r.tuned(), r.base(), r.suite(), r.options().limit());
        int width = "benchmark".length();
        for (BenchmarkProbes b : r.benchmarks()) width = Math.max(width, b.id().length());
        for (Summary s : r.groups()) width = Math.max(width, s.name().length() + 7);
        width = Math.max(width, r.overall().name().length() + 7);
        List<String> head = new ArrayList<>(List.of(pad("benchmark", width), "group"));
        if (kl || rank) head.add(String.format(Locale.ROOT, "%6s %8s", "resp", "tokens"));
        if (kl) head.add(String.format(Locale.ROOT, "%9s", "KL"));
        if (rank) head.add(String.format(Locale.ROOT, "%10s %8s %20s", "rankshift", "shifted", "rank 1 / 2-3 / >3"));
        if (pca) head.add(String.format(Locale.ROOT, "%11s", "PCA d"));
        w.println("  " + String.join("  ", head));
        for (BenchmarkProbes b : r.benchmarks()) {
            List<String> cols = new ArrayList<>(List.of(pad(b.id(), width), pad(b.group().label(), 5)));
            if (kl || rank) cols.add(String.format(Locale.ROOT, "%6d %8d", b.token().result().sequencesUsed(), b.token().result().tokens()));
            if (kl) cols.add(String.format(Locale.ROOT, "%9.4f", b.token().result().kl()));
            if (rank) {
                TokenShiftResult t = b.token().result();
                cols.add(String.format(Locale.ROOT, "%10.3f %7.1f%% %20s", t.avgRankShift(), 100 * t.shiftedFraction(), buckets(t.buckets())));
            }
            if (pca) cols.add(String.format(Locale.ROOT, "%11.4f", b.pca().result().d()));
            w.println("  " + String.join("  ", cols));
        }
        List<Summary> summaries = new ArrayList<>(r.groups());
        summaries.add(r.overall());
        for (Summary s : summaries) {
            List<String> cols = new ArrayList<>(List.of(pad(s.name() + " (mean)", width), pad("", 5)));
            if (kl || rank) cols.add(String.format(Locale.ROOT, "%6s %8d", "", s.token().tokens()));
            if (kl) cols.add(String.format(Locale.ROOT, "%9.4f", s.token().meanKl()));
            if (rank) {
                cols.add(String.format(Locale.ROOT, "%10.3f %7.1f%% %20s", s.token().meanRankShift(), 100 * s.token().shiftedFraction(),
                        buckets(s.token().buckets())));
            }
            if (pca) cols.add(String.format(Locale.ROOT, "%11.4f", s.meanD()));
            w.println("  " + String.join("  ", cols));
        }
        if (rank && !r.overall().topShiftedTokens().isEmpty()) {
            StringBuilder sb = new StringBuilder("  most often shifted tokens (vocabulary spelling, count, mean rank shift):");
            List<DecodedToken> top = r.overall().topShiftedTokens();
            for (DecodedToken t : top.subList(0, Math.min(TOKENS_SHOWN, top.size()))) {
                sb.append(String.format(Locale.ROOT, " %s (%d, %.1f)", quote(t.token()), t.count(), t.meanRankShift()));
            }
            w.println(sb);
        }
        w.flush();
    }

    private static String buckets(TokenShiftResult.Buckets b) {
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f%%", 100 * b.unshiftedFraction(), 100 * b.marginalFraction(),
                100 * b.shiftedFraction());
    }

    private static String pad(String s, int width) {
        return String.format(Locale.ROOT, "%-" + width + "s", s);
    }

    /** A token's text with whitespace made visible. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\"", "\\\"") + "\"";
    }
}
