package rift.grpo;

/** The built-in reward functions. */
public final class Rewards {
    private Rewards() {}

    /** {@code correct} if the verifier accepted the completion, else {@code incorrect}. */
    public static RewardFunction correctness(double correct, double incorrect) {
        return c -> c.correct() ? correct : incorrect;
    }

    /**
     * On a correct completion: {@code formatted} if it holds exactly one well-formed {@code \boxed{...}}, else
     * {@code unformatted}. On a wrong one: 0, whatever its format (open-instruct adds the format reward only to
     * verified answers, PR #659).
     */
    public static RewardFunction format(double formatted, double unformatted) {
        return c -> !c.correct() ? 0.0 : countBoxed(c.text()) == 1 ? formatted : unformatted;
    }

    /**
     * DAPO soft overlong punishment (DAPO Eq. 13; trainers.md §2.3 "Overlong reward shaping"), scaled by
     * penalty_factor as verl's overlong_buffer does, with n = completion tokens, L = maxLen, B = bufferLen:
     * <pre>
     *   0                        if n <= L - B
     *   (L - B - n) / B * pf     if L - B < n <= L   (reaches -pf at n = L)
     *   -pf                      if n > L
     * </pre>
     */
    public static RewardFunction overlong(int maxLen, int bufferLen, double penaltyFactor) {
        if (bufferLen < 1 || bufferLen > maxLen)
            throw new IllegalArgumentException("bufferLen must be in [1, maxLen], got " + bufferLen + " with maxLen " + maxLen);
        return c -> overlongPenalty(c.tokenCount(), maxLen, bufferLen, penaltyFactor);
    }

    static double overlongPenalty(int n, int maxLen, int bufferLen, double penaltyFactor) {
        int expected = maxLen - bufferLen;
        if (n <= expected) return 0.0;
        if (n > maxLen) return -penaltyFactor;
        return (double) (expected - n) / bufferLen * penaltyFactor;
    }

    /**
     * Number of well-formed {@code \boxed{...}} in {@code text}: the opening brace (spaces allowed after
     * {@code \boxed}) has a matching close brace (all braces counted, as the usual last_boxed_only_string
     * does) and the content is not blank. An unclosed {@code \boxed{} does not count.
     */
    public static int countBoxed(String text) {
        int count = 0;
        int from = 0;
        while (true) {
            int at = text.indexOf("\\boxed", from);
            if (at < 0) return count;
            int i = at + "\\boxed".length();
            while (i < text.length() && text.charAt(i) == ' ') i++;
            if (i >= text.length() || text.charAt(i) != '{') {
                from = at + 1;
                continue;
            }
            int depth = 0, close = -1;
            for (int j = i; j < text.length(); j++) {
                char ch = text.charAt(j);
                if (ch == '{') depth++;
                else if (ch == '}' && --depth == 0) {
                    close = j;
                    break;
                }
            }
            if (close < 0) return count;
            if (!text.substring(i + 1, close).isBlank()) count++;
            from = close + 1;
        }
    }
}
