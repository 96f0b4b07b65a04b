package rift.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answer extraction shared by the checkers of every family except instruction following (which judges
 * the whole response). The rule: the content of the last {@code \boxed{...}} when the response has
 * one (braces matched; an unclosed box is no answer), otherwise the last non-empty line with a leading
 * "Answer:", "Final answer:" or "The answer is" and one trailing period removed.
 */
final class Answers {
    private Answers() {}

    static final String BOX = "\\boxed{";

    /** The instruction line every reasoning prompt ends with. */
    static final String BOXED_INSTRUCTION = "Give the final answer in \\boxed{}.";

    private static final String[] PREFIXES = {"final answer:", "answer:", "the answer is"};
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,9}");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9]+");

    static String boxed(String s) {
        return BOX + s + "}";
    }

    /** The final answer of {@code response} by the rule above, trimmed; null when there is none. */
    static String extract(String response) {
        int at = response.lastIndexOf(BOX);
        if (at >= 0) {
            int depth = 1;
            int start = at + BOX.length();
            for (int i = start; i < response.length(); i++) {
                char c = response.charAt(i);
                if (c == '{') depth++;
                else if (c == '}' && --depth == 0) return response.substring(start, i).trim();
            }
            return null;
        }
        String[] lines = response.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].trim();
            if (line.isEmpty()) continue;
            String lower = line.toLowerCase(Locale.ROOT);
            for (String p : PREFIXES) {
                if (lower.startsWith(p)) {
                    line = line.substring(p.length()).trim();
                    break;
                }
            }
            if (line.endsWith(".")) line = line.substring(0, line.length() - 1).trim();
            return line;
        }
        return null;
    }

    /** The integer value of an answer string (spaces and thousands commas ignored), or null. */
    static Long integer(String answer) {
        if (answer == null) return null;
        String s = answer.replace(" ", "").replace(",", "");
        if (!INTEGER.matcher(s).matches()) return null;
        return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
    }

    /** Whether the response's final answer is the integer {@code expected}. */
    static boolean integerAnswer(String response, long expected) {
        Long got = integer(extract(response));
        return got != null && got == expected;
    }

    /** The maximal runs of letters and digits: what "words" means for the rule checks. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }
}
