package rift.data;

/**
 * The content of a solution's last {@code \boxed{...}} or {@code \fbox{...}} (brace-matched), or of a
 * brace-less {@code \boxed 2} (up to the closing {@code $} or the end of the line): how MATH's gold
 * answers are defined when a record has no {@code answer} field.
 */
public final class BoxedAnswer {
    private BoxedAnswer() {}

    /** The last boxed answer in {@code solution}, or null when it has none. */
    public static String last(String solution) {
        int from = solution.length();
        while (from > 0) {
            int b = solution.lastIndexOf("\\boxed", from - 1), f = solution.lastIndexOf("\\fbox", from - 1);
            int at = Math.max(b, f);
            if (at < 0) return null;
            int p = at + (at == b ? "\\boxed".length() : "\\fbox".length());
            int q = p;
            while (q < solution.length() && solution.charAt(q) == ' ') q++;
            if (q < solution.length() && solution.charAt(q) == '{') {
                int close = matchingBrace(solution, q);
                if (close >= 0) return solution.substring(q + 1, close);
            } else if (q > p) {
                int end = q;
                while (end < solution.length() && solution.charAt(end) != '$' && solution.charAt(end) != '\n') end++;
                String content = solution.substring(q, end).strip();
                if (!content.isEmpty()) return content;
            }
            from = at; // unclosed or empty: try the one before
        }
        return null;
    }

    /** Index of the brace closing the one at {@code open}, or -1; backslash-escaped braces are literal and not counted. */
    static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++; // \{ and \} are literal braces and do not nest
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
