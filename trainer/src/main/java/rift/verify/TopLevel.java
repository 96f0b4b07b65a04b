package rift.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * Scanning helpers that respect nesting: a separator counts only outside every bracket pair
 * ({@code ( ) [ ] \{ \}} and braces), so {@code (1,2),(3,4)} splits into two points. Round and square
 * brackets are counted as one kind so that half-open intervals like {@code (1,2]} balance.
 */
final class TopLevel {
    private TopLevel() {}

    /** Splits {@code s} at every occurrence of {@code sep} at nesting depth 0. */
    static List<String> split(String s, String sep, Budget budget) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        boolean commandSep = sep.length() > 1 && sep.charAt(0) == '\\' && ExprParser.isAsciiLetter(sep.charAt(1));
        for (int i = 0; i < s.length(); i++) {
            if ((i & 63) == 0) budget.tick();
            if (depth == 0 && s.startsWith(sep, i)
                    && !(commandSep && i + sep.length() < s.length() && ExprParser.isAsciiLetter(s.charAt(i + sep.length())))) {
                parts.add(s.substring(start, i));
                i += sep.length() - 1;
                start = i + 1;
                continue;
            }
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == '{') depth++;
                else if (n == '}') depth--;
                i++;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    /** Index of the bracket closing the one opening at {@code open} (for {@code \}} the backslash), or -1. */
    static int closingOf(String s, int open, Budget budget) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if ((i & 63) == 0) budget.tick();
            char c = s.charAt(i);
            int at = i;
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n == '{') depth++;
                else if (n == '}' && --depth == 0) return at;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
                return at;
            }
        }
        return -1;
    }

    /**
     * The two readings of an expression with {@code \pm} (and {@code \mp}, its opposite sign):
     * {@code 1\pm\sqrt{2}} gives {@code 1+\sqrt{2}} and {@code 1-\sqrt{2}}. One element when there is none.
     */
    static List<String> expandPlusMinus(String s, Budget budget) {
        if (!s.contains("\\pm") && !s.contains("\\mp")) return List.of(s);
        StringBuilder plus = new StringBuilder(), minus = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            budget.tick();
            boolean pm = s.startsWith("\\pm", i), mp = s.startsWith("\\mp", i);
            boolean command = (pm || mp) && !(i + 3 < s.length() && ExprParser.isAsciiLetter(s.charAt(i + 3)));
            if (command) {
                plus.append(pm ? '+' : '-');
                minus.append(pm ? '-' : '+');
                i += 2;
            } else {
                plus.append(s.charAt(i));
                minus.append(s.charAt(i));
            }
        }
        return List.of(plus.toString(), minus.toString());
    }

    /**
     * Whether the answer reads as words rather than algebra: a run of three or more letters and no
     * digit, operator, bracket or command ("even", "Evelyn", "ACF"). Compared as text, "east" and
     * "seat" differ; read as products of variables they would be equal.
     */
    static boolean isWords(String s) {
        int run = 0;
        boolean word = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (ExprParser.isAsciiLetter(c)) {
                if (++run >= 3) word = true;
            } else if (Character.isDigit(c) || "+-*/^_\\{}()[]|=<>!".indexOf(c) >= 0) {
                return false;
            } else {
                run = 0;
            }
        }
        return word;
    }
}
