package rift.eval.ti;

import java.util.Locale;

/** The paper's three benchmark groups (paper.md §1.1): math, other reasoning, non-reasoning. */
public enum BenchmarkGroup {
    MATH("math"),
    OTHER("other"),
    NON("non");

    private final String label;

    BenchmarkGroup(String label) {
        this.label = label;
    }

    /** The name used in score files and reports: {@code math}, {@code other} or {@code non}. */
    public String label() {
        return label;
    }

    /** Parses a label (case-insensitive); null when the text names no group. */
    public static BenchmarkGroup parseOrNull(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (BenchmarkGroup g : values()) if (g.label.equals(t)) return g;
        return null;
    }
}
