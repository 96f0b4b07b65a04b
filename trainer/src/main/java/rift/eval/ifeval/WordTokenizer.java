package rift.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word tokens as NLTK's {@code word_tokenize} (Treebank rules) would give them, to the extent that matters
 * for counting all-capital words (change_case:capital_word_frequency): the reference counts tokens whose
 * {@code isupper()} is true, so what matters is where tokens are split, not how punctuation tokens look.
 *
 * <p>Split like Treebank: whitespace; the characters {@code ; @ # $ % & ? ! * ( ) [ ] { } < > " `};
 * {@code --} and runs of two or more periods; a comma or colon unless a digit follows ("1,000", "10:30"
 * stay whole); clitics {@code 's 'm 'd 'll 're 've n't} at a word's end ("DON'T" -> "DO", "N'T"); and the
 * Treebank contractions cannot, gimme, gonna, gotta, lemme, wanna, more'n, d'ye, 'tis, 'twas. Hyphens,
 * slashes and single periods stay inside words ("STATE-OF-THE-ART", "U.S.").
 */
final class WordTokenizer {
    private WordTokenizer() {}

    private static final String SPLIT_CHARS = ";@#$%&?!*()[]{}<>\"`";
    private static final Pattern CLITIC = Pattern.compile("(?i)^(.*[^'])('s|'m|'d|'ll|'re|'ve|n't)$");
    private static final Pattern TWO_PART = Pattern.compile(
            "(?i)^(?:(can)(not)|(gim)(me)|(gon)(na)|(got)(ta)|(lem)(me)|(wan)(na)|(more)('n)|(d)('ye)|('t)(is)|('t)(was))$");

    static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (String chunk : PyText.splitWhitespace(text)) {
            StringBuilder word = new StringBuilder();
            int n = chunk.length();
            for (int i = 0; i < n; i++) {
                char c = chunk.charAt(i);
                boolean split = SPLIT_CHARS.indexOf(c) >= 0
                        || ((c == ',' || c == ':') && (i + 1 >= n || !Character.isDigit(chunk.codePointAt(i + 1))));
                int runEnd = i;
                if (c == '-' && i + 1 < n && chunk.charAt(i + 1) == '-') {
                    while (runEnd < n && chunk.charAt(runEnd) == '-') runEnd++;
                } else if (c == '.' && i + 1 < n && chunk.charAt(i + 1) == '.') {
                    while (runEnd < n && chunk.charAt(runEnd) == '.') runEnd++;
                }
                if (runEnd > i) {
                    flush(word, out);
                    out.add(chunk.substring(i, runEnd));
                    i = runEnd - 1;
                } else if (split) {
                    flush(word, out);
                    out.add(String.valueOf(c));
                } else {
                    word.append(c);
                }
            }
            flush(word, out);
        }
        return out;
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (word.isEmpty()) return;
        String w = word.toString();
        word.setLength(0);
        Matcher two = TWO_PART.matcher(w);
        if (two.matches()) {
            for (int g = 1; g <= two.groupCount(); g += 2) {
                if (two.group(g) != null) {
                    out.add(two.group(g));
                    out.add(two.group(g + 1));
                    return;
                }
            }
        }
        Matcher clitic = CLITIC.matcher(w);
        if (clitic.matches()) {
            out.add(clitic.group(1));
            out.add(clitic.group(2));
            return;
        }
        out.add(w);
    }

    /** The number of tokens whose {@code isupper()} is true. */
    static int countAllCapitalWords(String text) {
        int n = 0;
        for (String t : tokenize(text)) if (PyText.isUpper(t)) n++;
        return n;
    }
}
