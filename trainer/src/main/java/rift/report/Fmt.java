package rift.report;

import java.util.Locale;

/** Number and text formatting shared by the Markdown, HTML and console outputs; locale-independent. */
final class Fmt {
    private Fmt() {}

    /** Shown for a number that was not measured. */
    static final String MISSING = "n/a";

    /** The value with a fixed number of decimals ("n/a" for NaN; never "-0.0"). */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) return MISSING;
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return isNegativeZero(s) ? s.substring(1) : s;
    }

    /** Like {@link #fixed} with an explicit "+" on positive values (TI reads as a gain or a loss). */
    static String signed(double v, int decimals) {
        String s = fixed(v, decimals);
        if (Double.isNaN(v) || s.startsWith("-")) return s;
        return isZero(s) ? s : "+" + s;
    }

    /**
     * "mean ± sd" over seeds; the value alone for one seed; "n/a" for none.
     *
     * @param plusMinus "±" for the documents, "+-" for the console
     */
    static String spread(Spread s, int decimals, boolean signed, String plusMinus) {
        if (s.isEmpty()) return MISSING;
        String mean = signed ? signed(s.mean(), decimals) : fixed(s.mean(), decimals);
        return s.n() == 1 ? mean : mean + " " + plusMinus + " " + fixed(s.sd(), decimals);
    }

    private static boolean isNegativeZero(String s) {
        return s.startsWith("-") && isZero(s.substring(1));
    }

    private static boolean isZero(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '0' && c != '.') return false;
        }
        return true;
    }

    /** A decoded token with its whitespace made visible (␣ space, ↵ newline, ⇥ tab, \\uXXXX other controls). */
    static String visibleToken(String token) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            switch (c) {
                case ' ' -> b.append('␣');
                case '\n' -> b.append('↵');
                case '\t' -> b.append('⇥');
                case '\r' -> b.append('␍');
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.isEmpty() ? "(empty)" : b.toString();
    }

    /** A lowercase file-name part: runs of anything but a–z and 0–9 become one '-'; at most 40 characters. */
    static String slug(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (ok) b.append(c);
            else if (!b.isEmpty() && b.charAt(b.length() - 1) != '-') b.append('-');
        }
        String s = b.toString();
        if (s.endsWith("-")) s = s.substring(0, s.length() - 1);
        if (s.length() > 40) s = s.substring(0, 40);
        return s.isEmpty() ? "x" : s;
    }
}
