package rift.data;

import java.util.regex.Pattern;

/** GSM8K's answer layout: a worked solution with {@code <<...>>} calculator annotations, then {@code #### N}. */
public final class Gsm8k {
    private Gsm8k() {}

    /** A calculator annotation: {@code <<48/2=24>>} (GSM8K's never nest or hold angle brackets). */
    private static final Pattern ANNOTATION = Pattern.compile("<<[^<>]*>>");
    private static final Pattern GROUPED_NUMBER = Pattern.compile("-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?");

    /**
     * The final answer: the text after the last {@code ####} up to the end of its line, stripped, with
     * thousands separators removed from a grouped number ({@code 1,080} -> {@code 1080}); null when
     * there is no {@code ####} or nothing follows it.
     */
    public static String finalAnswer(String solution) {
        int at = solution.lastIndexOf("####");
        if (at < 0) return null;
        int eol = solution.indexOf('\n', at);
        String answer = solution.substring(at + 4, eol < 0 ? solution.length() : eol).strip();
        if (answer.isEmpty()) return null;
        return GROUPED_NUMBER.matcher(answer).matches() ? answer.replace(",", "") : answer;
    }

    /** The solution without its calculator annotations: {@code $<<12/60=0.2>>0.2} -> {@code $0.2}. */
    public static String withoutCalculatorAnnotations(String solution) {
        return ANNOTATION.matcher(solution).replaceAll("");
    }

    /** How many calculator annotations the solution holds. */
    public static int countCalculatorAnnotations(String solution) {
        return (int) ANNOTATION.matcher(solution).results().count();
    }
}
