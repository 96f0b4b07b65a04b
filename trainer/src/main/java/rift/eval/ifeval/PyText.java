package rift.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python {@code str} and {@code re} semantics the IFEval reference checkers rely on, so the Java checkers
 * give the same answers: whitespace is what {@code str.isspace()} accepts (Unicode, including
 * U+001C..U+001F), a word character is what Python's {@code \w} accepts ({@code isalnum()} or '_', which
 * excludes combining marks), {@code str.isupper()/islower()} look only at cased characters.
 */
final class PyText {
    private PyText() {}

    /** Flags that make a Java regex behave like a Python 3 {@code str} regex: '.', '^', '$' see only '\n' as a line end, and \d, \s are Unicode. */
    static final int PY_FLAGS = Pattern.UNIX_LINES | Pattern.UNICODE_CHARACTER_CLASS;

    /** Python's {@code \s} for str patterns (Java's Unicode \s lacks U+001C..U+001F, which Python counts). */
    static final String S = "[\\s\\x1C-\\x1F]";

    /** Python's {@code \w}: letters, numbers (Nd, Nl, No) and '_', but not combining marks. */
    static final String W = "[\\p{L}\\p{Nd}\\p{Nl}\\p{No}_]";

    /** Python's {@code \b}, built on {@link #W}. */
    static final String B = "(?:(?<=" + W + ")(?!" + W + ")|(?<!" + W + ")(?=" + W + "))";

    static Pattern compile(String pythonRegex) {
        return Pattern.compile(pythonRegex, PY_FLAGS);
    }

    static Pattern compileIgnoreCase(String pythonRegex) {
        return Pattern.compile(pythonRegex, PY_FLAGS | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** {@code str.isspace()} for one code point. */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029,
                 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** Python's {@code \w} for one code point. */
    static boolean isWordChar(int cp) {
        if (cp == '_' || Character.isLetter(cp)) return true;
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** {@code s.strip()}. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) start += Character.charCount(s.codePointAt(start));
        while (end > start && isSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
        return s.substring(start, end);
    }

    /** {@code s.strip(chars)} for a set of BMP characters. */
    static String strip(String s, String chars) {
        int start = 0;
        int end = s.length();
        while (start < end && chars.indexOf(s.charAt(start)) >= 0) start++;
        while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) end--;
        return s.substring(start, end);
    }

    /** {@code s.rstrip()}. */
    static String rstripSpace(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
        return s.substring(0, end);
    }

    static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && chars.indexOf(s.charAt(start)) >= 0) start++;
        return s.substring(start);
    }

    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && chars.indexOf(s.charAt(end - 1)) >= 0) end--;
        return s.substring(0, end);
    }

    /** {@code s.lower()}. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** {@code s.split()}: runs of whitespace separate, no empty pieces. */
    static List<String> splitWhitespace(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
            int start = i;
            while (i < n && !isSpace(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
            if (i > start) out.add(s.substring(start, i));
        }
        return out;
    }

    /** {@code s.split(sep)} for a literal separator: every piece kept, empty ones included. */
    static List<String> splitLiteral(String s, String sep) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** {@code re.split(pattern, s)} for a pattern without groups that cannot match empty. */
    static List<String> splitRegex(Pattern p, String s) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(s);
        int from = 0;
        while (m.find()) {
            out.add(s.substring(from, m.start()));
            from = m.end();
        }
        out.add(s.substring(from));
        return out;
    }

    /** {@code len(re.findall(pattern, s))}. */
    static int countMatches(Pattern p, String s) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    /** {@code len(re.findall(r"\w+", s))}, i.e. nltk's {@code RegexpTokenizer(r"\w+")} token count. */
    static int countWordRuns(String s) {
        int n = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean w = isWordChar(cp);
            if (w && !inWord) n++;
            inWord = w;
            i += Character.charCount(cp);
        }
        return n;
    }

    /** {@code s.isupper()}: at least one cased character and none lowercase or titlecase. */
    static boolean isUpper(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isLowerCase(cp) || Character.isTitleCase(cp)) return false;
            if (Character.isUpperCase(cp)) cased = true;
            i += Character.charCount(cp);
        }
        return cased;
    }

    /** {@code s.islower()}: at least one cased character and none uppercase or titlecase. */
    static boolean isLower(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) return false;
            if (Character.isLowerCase(cp)) cased = true;
            i += Character.charCount(cp);
        }
        return cased;
    }

    /** {@code len(s)} (code points, as Python counts). */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
