package rift.testbed;

import java.util.Locale;

/** The paper's three benchmark groups: the training domain, other reasoning, and non-reasoning. */
public enum Group {
    MATH, OTHER, NON;

    /** The name used in files and reports: {@code math}, {@code other}, {@code non}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
