package rift.parity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import rift.kernels.RiftException;

/** The parity table on the console, and as tab-separated rows for scripts (kernels/gpu-check.sh). */
public final class ParityTable {
    private ParityTable() {}

    public static void print(PrintStream out, String title, List<Check> rows) {
        out.println(title);
        out.printf(Locale.ROOT, "  %-12s %-36s %11s %11s %-16s %s%n", "model", "check", "max abs", "max rel", "tolerance", "result");
        for (Check c : rows) {
            out.printf(Locale.ROOT, "  %-12s %-36s %11s %11s %-16s %s%n", c.model(), c.name(), num(c.maxAbs()), num(c.maxRel()), c.tolerance(),
                    c.status());
            if (c.status() != Check.Status.PASS) out.println("      " + c.detail());
        }
        out.println(summary(rows));
    }

    public static String summary(List<Check> rows) {
        long pass = rows.stream().filter(c -> c.status() == Check.Status.PASS).count();
        long fail = rows.stream().filter(Check::failed).count();
        long info = rows.size() - pass - fail;
        return String.format(Locale.ROOT, "%d checks: %d passed, %d failed%s", rows.size(), pass, fail, info > 0 ? ", " + info + " reported only" : "");
    }

    /** Appends mode, model, check, max abs, max rel, tolerance, result and detail, one row per line. */
    public static void appendTsv(Path file, String mode, List<Check> rows) {
        StringBuilder sb = new StringBuilder();
        for (Check c : rows)
            sb.append(String.join("\t", mode, c.model(), c.name(), num(c.maxAbs()), num(c.maxRel()), c.tolerance(), c.status().name(),
                    c.detail().replace('\t', ' ').replace('\n', ' '))).append('\n');
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new RiftException(file + ": cannot write the parity table (" + e.getMessage() + ")");
        }
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "-";
        if (v == 0) return "0";
        if (Double.isInfinite(v)) return "inf";
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
