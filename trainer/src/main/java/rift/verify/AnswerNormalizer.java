package rift.verify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts an extracted answer into a canonical string form, following the rules of the Hendrycks MATH
 * {@code strip_string} (written afresh here, with a few of the later graders' additions): no
 * {@code \left}/{@code \right}, {@code \dfrac}/{@code \tfrac} as {@code \frac}, {@code \frac12} as
 * {@code \frac{1}{2}}, units and {@code \text{}} wrappers dropped, no {@code ^\circ}, {@code \$},
 * {@code \%}, {@code \!} or spaces, {@code .5} as {@code 0.5}, {@code a/b} as {@code \frac{a}{b}}, a
 * short {@code x=} prefix dropped, thousands separators and trailing {@code .0} removed.
 *
 * <p>Two answers with equal normalized strings are equal ("exact"); otherwise the normalized strings
 * are parsed for numeric and symbolic comparison, so this form keeps what the parser needs (a space
 * survives only between a command and a letter: {@code \pi r}).
 */
final class AnswerNormalizer {
    private AnswerNormalizer() {}

    /** Text wrappers whose content is kept ({@code \text{Evelyn}} is Evelyn). */
    private static final String[] TEXT_COMMANDS = {
        "\\text", "\\textbf", "\\textit", "\\textrm", "\\texttt", "\\mbox", "\\mathrm", "\\mathbf",
        "\\mathit", "\\mathsf", "\\mathtt", "\\boxed", "\\fbox", "\\textnormal", "\\hbox"
    };

    /** Trailing unit words (after a number) that do not change the answer. Single letters are left alone. */
    private static final Pattern TRAILING_UNIT = Pattern.compile(
            "(?i)(?<=[\\d})\\]\\s])\\s*(?:(?:square|sq\\.?|cubic)\\s*)?"
                    + "(?:units?|cm|mm|km|meters?|metres?|centimeters?|millimeters?|kilometers?|inch(?:es)?|ft|feet|foot"
                    + "|yards?|yd|miles?|mph|hours?|hrs?|minutes?|mins?|seconds?|secs?|days?|weeks?|months?|years?"
                    + "|degrees?|dollars?|cents?|pounds?|lbs?|ounces?|oz|gallons?|liters?|litres?|ml|kg|grams?|kilograms?"
                    + "|people|persons?|students?|marbles?|pages?|books?|apples?|times|ways|p\\.?m\\.?|a\\.?m\\.?)"
                    + "(?:\\^\\{?[23]\\}?)?\\.?\\s*$");

    /** {@code 5,\!525}: LaTeX's thousands separator (a comma, then a negative thin space, then 3 digits). */
    private static final Pattern LATEX_THOUSANDS = Pattern.compile("(?<=\\d),\\\\!(?=\\d{3}(?!\\d))");
    /** A trailing {@code \text{edges}} after a number is a unit, like the Hendrycks {@code \text{ edges}}. */
    private static final Pattern TRAILING_TEXT_UNIT = Pattern.compile(
            "(?<=[\\d})])\\s*\\\\(?:text|mbox)\\{ *[A-Za-z][A-Za-z .]+\\}(?:\\^\\{?[23]\\}?)?\\s*$");
    private static final Pattern SHORT_PREFIX = Pattern.compile(
            "^(?:[A-Za-z](?:_\\{?[A-Za-z0-9]+\\}?)?|\\\\[A-Za-z]+|[A-Za-z]\\([A-Za-z]\\))=");
    private static final Pattern IN_PREFIX = Pattern.compile("^[A-Za-z]\\\\in(?![A-Za-z])");
    private static final Pattern SLASH_FRACTION = Pattern.compile("^(-?)(\\d+)/(\\d+)$");
    private static final Pattern THOUSANDS = Pattern.compile("^-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?$");
    private static final Pattern BARE_POINT = Pattern.compile("(?<![\\d}])\\.(\\d)");
    /** {@code 1./3}: a decimal point with no digits after it. */
    private static final Pattern TRAILING_POINT = Pattern.compile("(\\d)\\.(?![\\d.])(?=.)");
    private static final Pattern ZERO_FRACTION = Pattern.compile("(\\d)\\.0+(?!\\d)");
    private static final Pattern TRAILING_ZEROS = Pattern.compile("(\\d\\.\\d*[1-9])0+(?!\\d)");
    private static final Pattern SINGLE_BRACED_SCRIPT = Pattern.compile("([_^])\\{([A-Za-z0-9])\\}");
    private static final Pattern CHOICE = Pattern.compile("^\\(([A-E])\\)$");

    /** The canonical form of one answer (a boxed content, a number after ####, ...). */
    static String normalize(String raw, Budget budget) {
        String s = raw.strip();
        s = unicodeToLatex(s);
        s = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        s = s.replace("\\(", "").replace("\\)", "").replace("\\[", "").replace("\\]", "");
        s = LATEX_THOUSANDS.matcher(s).replaceAll("");
        s = s.replace("\\text {", "\\text{").replace("\\mbox {", "\\mbox{");
        s = removeThinSpaces(s);
        s = s.replace("\\displaystyle", "").replace("\\textstyle", "");
        s = removeSizing(s);
        s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\cfrac", "\\frac");
        s = s.replace("\\dbinom", "\\binom").replace("\\tbinom", "\\binom");
        s = s.replace("^{\\circ}", "").replace("^\\circ", "").replace("\\circ", "").replace("\\degree", "");
        s = s.replace("\\$", "").replace("$", "");
        s = s.replace("\\%", "").replace("%", "");
        s = s.replace("\\text{ and }", ",").replace("\\text{and}", ",").replace("\\mbox{ and }", ",")
                .replace("\\text{ or }", ",").replace(" and ", ",");
        s = cutUnitsText(s);
        s = TRAILING_TEXT_UNIT.matcher(s).replaceFirst("");
        s = unwrapTextCommands(s, budget);
        s = stripTrailingUnits(s, budget);
        s = s.replace("\\qquad", " ").replace("\\quad", " ").replace('~', ' ');
        s = removeSpaces(s);
        s = s.replace("\\leqslant", "\\le").replace("\\geqslant", "\\ge").replace("\\leq", "\\le")
                .replace("\\geq", "\\ge").replace("<=", "\\le").replace(">=", "\\ge");
        s = s.replace("\\varnothing", "\\emptyset").replace("\\{\\}", "\\emptyset");
        s = s.replace("+\\infty", "\\infty").replace("infinity", "\\infty");
        s = stripShortPrefix(s);
        s = fixSqrt(s);
        s = fixFrac(s);
        s = s.replace("{,}", "");
        if (THOUSANDS.matcher(s).matches()) s = s.replace(",", "");
        Matcher m = SLASH_FRACTION.matcher(s);
        if (m.matches()) s = m.group(1) + "\\frac{" + m.group(2) + "}{" + m.group(3) + "}";
        s = BARE_POINT.matcher(s).replaceAll("0.$1");
        s = TRAILING_POINT.matcher(s).replaceAll("$1");
        s = TRAILING_ZEROS.matcher(s).replaceAll("$1");
        s = ZERO_FRACTION.matcher(s).replaceAll("$1");
        s = SINGLE_BRACED_SCRIPT.matcher(s).replaceAll("$1$2");
        while (s.endsWith(".") || s.endsWith("\\\\") || s.endsWith(",")) {
            s = s.substring(0, s.length() - (s.endsWith("\\\\") ? 2 : 1));
        }
        Matcher choice = CHOICE.matcher(s);
        if (choice.matches()) s = choice.group(1);
        return s;
    }

    /**
     * Drops a leading {@code x=} / {@code k=} / {@code f(x)=} / {@code \theta=} / {@code x\in} when
     * the answer has a single '=' (the Hendrycks rule for short answers, per list element too).
     */
    static String stripShortPrefix(String s) {
        s = IN_PREFIX.matcher(s).replaceFirst("");
        if (s.indexOf('=') == s.lastIndexOf('=')) s = SHORT_PREFIX.matcher(s).replaceFirst("");
        return s;
    }

    /**
     * Removes {@code \!} and turns {@code \,} {@code \;} {@code \:} and {@code \ } into spaces, leaving
     * a {@code \\} (matrix row break) alone even when a space follows it.
     */
    private static String removeThinSpaces(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char n = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if (c != '\\' || n == 0) {
                out.append(c);
            } else if (n == '\\') {
                out.append("\\\\");
                i++;
            } else if (n == '!') {
                i++;
            } else if (n == ',' || n == ';' || n == ':' || n == ' ') {
                out.append(' ');
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String unicodeToLatex(String s) {
        return s.replace('\u2212', '-').replace("\u00d7", "\\times ").replace("\u00b7", "\\cdot ")
                .replace("\u03c0", "\\pi ").replace("\u221e", "\\infty ").replace("\u221a", "\\sqrt")
                .replace("\u2264", "\\le ").replace("\u2265", "\\ge ").replace("\u00b0", "")
                .replace("\u222a", "\\cup ").replace("\u00a0", " ");
    }

    /** Drops \left, \right and the \big family (with an invisible '.' delimiter they stand for). */
    private static String removeSizing(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        outer:
        while (i < s.length()) {
            if (s.charAt(i) == '\\') {
                for (String w : new String[] {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "big", "Big", "bigg", "Bigg"}) {
                    int end = i + 1 + w.length();
                    if (s.startsWith(w, i + 1) && (end >= s.length() || !ExprParser.isAsciiLetter(s.charAt(end)))) {
                        i = end;
                        if (i < s.length() && s.charAt(i) == '.') i++;
                        continue outer;
                    }
                }
            }
            out.append(s.charAt(i++));
        }
        return out.toString();
    }

    /**
     * The Hendrycks unit rule: a {@code \text{ ...}} group starting with a space describes units, so
     * it and what follows it ({@code ^2}) go. Kept when nothing would be left before it.
     */
    private static String cutUnitsText(String s) {
        for (String w : new String[] {"\\text{ ", "\\mbox{ ", "\\textnormal{ "}) {
            int at = s.indexOf(w);
            if (at > 0 && !s.substring(0, at).isBlank()) s = s.substring(0, at);
        }
        return s;
    }

    private static String unwrapTextCommands(String s, Budget budget) {
        for (String cmd : TEXT_COMMANDS) {
            int from = 0;
            while (true) {
                budget.tick();
                int at = s.indexOf(cmd + "{", from);
                if (at < 0) break;
                int open = at + cmd.length();
                int close = matchingBrace(s, open, budget);
                if (close < 0) break;
                s = s.substring(0, at) + s.substring(open + 1, close) + s.substring(close + 1);
                from = at;
            }
        }
        return s;
    }

    private static String stripTrailingUnits(String s, Budget budget) {
        for (int k = 0; k < 3; k++) {
            budget.tick();
            Matcher m = TRAILING_UNIT.matcher(s);
            if (!m.find() || m.start() == 0 || s.substring(0, m.start()).isBlank()) break;
            s = s.substring(0, m.start()).strip();
        }
        return s;
    }

    /** Removes spaces, keeping one between a command name and a following letter ({@code \pi r}). */
    private static String removeSpaces(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ') {
                out.append(c);
                continue;
            }
            int j = i;
            while (j < s.length() && s.charAt(j) == ' ') j++;
            if (j < s.length() && ExprParser.isAsciiLetter(s.charAt(j)) && endsWithCommandName(out)) out.append(' ');
            i = j - 1;
        }
        return out.toString();
    }

    private static boolean endsWithCommandName(CharSequence s) {
        int k = s.length() - 1;
        while (k >= 0 && ExprParser.isAsciiLetter(s.charAt(k))) k--;
        return k >= 0 && k < s.length() - 1 && s.charAt(k) == '\\';
    }

    /** {@code \sqrt3} and {@code \sqrt x} become {@code \sqrt{3}} and {@code \sqrt{x}}. */
    private static String fixSqrt(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        int i = 0;
        while (true) {
            int at = s.indexOf("\\sqrt", i);
            if (at < 0) break;
            int after = at + 5;
            out.append(s, i, after);
            int p = after;
            if (p < s.length() && s.charAt(p) == ' ') p++;
            if (p < s.length() && Character.isLetterOrDigit(s.charAt(p))
                    && !(p == after && ExprParser.isAsciiLetter(s.charAt(p)))) {
                out.append('{').append(s.charAt(p)).append('}');
                i = p + 1;
            } else {
                i = after;
            }
        }
        return out.append(s, i, s.length()).toString();
    }

    /** {@code \frac12}, {@code \frac1{x}}, {@code \frac{1}2} get braces around single-character arguments. */
    private static String fixFrac(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        int i = 0;
        while (true) {
            int at = s.indexOf("\\frac", i);
            if (at < 0) break;
            int p = at + 5;
            if (p < s.length() && ExprParser.isAsciiLetter(s.charAt(p))) { // \fracture: not ours
                out.append(s, i, p);
                i = p;
                continue;
            }
            out.append(s, i, p);
            for (int arg = 0; arg < 2 && p < s.length(); arg++) {
                char c = s.charAt(p);
                if (c == ' ') {
                    p++;
                    arg--;
                } else if (c == '{') {
                    int close = matchingBrace(s, p, Budget.unlimited());
                    if (close < 0) break;
                    out.append(s, p, close + 1);
                    p = close + 1;
                } else if (Character.isLetterOrDigit(c)) {
                    out.append('{').append(c).append('}');
                    p++;
                } else {
                    break;
                }
            }
            i = p;
        }
        return out.append(s, i, s.length()).toString();
    }

    /** Index of the '}' closing the '{' at {@code open} (escaped braces skipped), or -1. */
    static int matchingBrace(String s, int open, Budget budget) {
        int depth = 0;
        for (int p = open; p < s.length(); p++) {
            char c = s.charAt(p);
            if (c == '\\') {
                p++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return p;
            }
            if ((p & 255) == 0) budget.tick();
        }
        return -1;
    }
}
