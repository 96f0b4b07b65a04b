package rift.verify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the final answer in a model response or a reference solution.
 *
 * <p>math mode: the last {@code \boxed{...}} / {@code \fbox{...}} (brace-matched) or {@code \boxed 5};
 * else the last "final answer is X" / "Final Answer: X" / "the answer is X" phrase; else nothing.
 * gsm8k mode: the last {@code #### N}; else a boxed answer; else an answer phrase (its first
 * number); else the last number in the text (GSM8K solutions end with their number, e.g. "A: 18").
 */
final class AnswerExtractor {
    private AnswerExtractor() {}

    private static final Pattern ANSWER_PHRASE =
            Pattern.compile("(?i)(?:final\\s+answer|the\\s+answer)(?:\\s+is\\s*:?|\\s*:)\\s*");
    /** A number with optional sign, thousands groups and decimals: -1,234.5 or 17 or .5. */
    private static final Pattern NUMBER =
            Pattern.compile("-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|-?\\.\\d+");

    /** The answer in a model response, or null when there is none. */
    static String fromResponse(String response, VerifyMode mode, Budget budget) {
        return switch (mode) {
            case MATH -> {
                String boxed = lastBoxed(response, budget);
                yield boxed != null ? boxed : answerPhrase(response);
            }
            case GSM8K -> {
                String hashed = afterHashes(response);
                if (hashed != null) yield firstNumberOr(hashed);
                String boxed = lastBoxed(response, budget);
                if (boxed != null) yield boxed;
                String phrase = answerPhrase(response);
                if (phrase != null) yield firstNumberOr(phrase);
                yield lastNumber(response);
            }
        };
    }

    /**
     * The answer a reference holds: after {@code ####} when present, else its last boxed answer, else
     * (math) the whole text, or (gsm8k) the text when it is a number and its last number otherwise.
     */
    static String fromReference(String reference, VerifyMode mode, Budget budget) {
        String hashed = afterHashes(reference);
        if (hashed != null) return mode == VerifyMode.GSM8K ? firstNumberOr(hashed) : hashed;
        String boxed = lastBoxed(reference, budget);
        if (boxed != null) return boxed;
        String raw = reference.strip();
        if (mode == VerifyMode.MATH || raw.isEmpty()) return raw.isEmpty() ? null : raw;
        String plain = raw.replace("$", "").replace(",", "").strip();
        if (NUMBER.matcher(plain).matches()) return raw;
        return lastNumber(raw);
    }

    /** The content of the last brace-matched \boxed{...} or \fbox{...}, or of "\boxed 5"; null if none. */
    static String lastBoxed(String text, Budget budget) {
        int from = text.length();
        // a few candidates at most: a response full of unclosed "\boxed{" must not cost quadratic time
        for (int tries = 0; tries < 8 && from > 0; tries++) {
            budget.tick();
            int b = text.lastIndexOf("\\boxed", from - 1), f = text.lastIndexOf("\\fbox", from - 1);
            int at = Math.max(b, f);
            if (at < 0) return null;
            int p = at + (at == b ? "\\boxed".length() : "\\fbox".length());
            int q = p;
            while (q < text.length() && text.charAt(q) == ' ') q++;
            if (q < text.length() && text.charAt(q) == '{') {
                int close = AnswerNormalizer.matchingBrace(text, q, budget);
                if (close >= 0) return text.substring(q + 1, close);
            } else if (q > p) {
                // "\boxed 5": up to the closing math delimiter or the end of the line
                int end = q;
                while (end < text.length() && text.charAt(end) != '$' && text.charAt(end) != '\n') end++;
                String content = text.substring(q, end).strip();
                if (!content.isEmpty()) return content;
            }
            from = at;
        }
        return null;
    }

    /** What follows the last "final answer is" / "the answer is" / "Final Answer:", or null. */
    static String answerPhrase(String text) {
        Matcher m = ANSWER_PHRASE.matcher(text);
        int start = -1;
        while (m.find()) start = m.end();
        if (start < 0) return null;
        int eol = text.indexOf('\n', start);
        String rest = text.substring(start, eol < 0 ? text.length() : eol).strip();
        if (rest.startsWith("$")) {
            // $X$ or $$X$$: the math between the delimiters
            String d = rest.startsWith("$$") ? "$$" : "$";
            int close = rest.indexOf(d, d.length());
            if (close > 0) return nonEmpty(rest.substring(d.length(), close));
        }
        int hope = rest.indexOf(". I hope");
        if (hope >= 0) rest = rest.substring(0, hope);
        int sentence = rest.indexOf(". ");
        if (sentence >= 0) rest = rest.substring(0, sentence);
        return nonEmpty(rest);
    }

    private static String afterHashes(String text) {
        int at = text.lastIndexOf("####");
        if (at < 0) return null;
        int eol = text.indexOf('\n', at);
        return nonEmpty(text.substring(at + 4, eol < 0 ? text.length() : eol));
    }

    /** The last number in the text with thousands separators removed, or null. */
    static String lastNumber(String text) {
        Matcher m = NUMBER.matcher(text);
        String last = null;
        while (m.find()) last = m.group();
        return last == null ? null : last.replace(",", "");
    }

    private static String firstNumberOr(String segment) {
        Matcher m = NUMBER.matcher(segment);
        return m.find() ? m.group().replace(",", "") : segment;
    }

    private static String nonEmpty(String s) {
        String t = s.strip();
        while (t.endsWith(".")) t = t.substring(0, t.length() - 1).strip();
        return t.isEmpty() ? null : t;
    }
}
