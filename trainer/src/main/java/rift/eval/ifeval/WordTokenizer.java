package rift.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * NLTK's {@code word_tokenize}: split into sentences ({@link SentenceCounter}, Punkt), then apply the
 * Treebank-style rules of NLTK's NLTKWordTokenizer to each sentence: pad quotes, punctuation, brackets and
 * dashes with spaces, split clitics ('s, n't, 'll, ...) and the contractions cannot, gimme, gonna, gotta,
 * lemme, wanna, more'n, d'ye, 'tis, 'twas, then split on whitespace. The rules are reimplemented here as an
 * ordered list of regex rewrites with Python's {@code \w}, {@code \s} and {@code \b}; they were checked against
 * NLTK 3.10. Only the sentence split inherits the approximation of Punkt's trained parameters.
 *
 * <p>Used by change_case:capital_word_frequency, which counts tokens whose {@code isupper()} is true.
 */
final class WordTokenizer {
    private WordTokenizer() {}

    private record Rule(Pattern pattern, String replacement) {
        String apply(String s) {
            return pattern.matcher(s).replaceAll(replacement);
        }
    }

    private static Rule rule(String pythonRegex, String replacement) {
        return new Rule(PyText.compile(pythonRegex), replacement);
    }

    private static Rule ruleIgnoreCase(String pythonRegex, String replacement) {
        return new Rule(PyText.compileIgnoreCase(pythonRegex), replacement);
    }

    private static final String W = PyText.W;
    private static final String S = PyText.S;
    private static final String B = PyText.B;

    private static final List<Rule> STARTING_QUOTES = List.of(
            rule("([\u00ab\u201c\u2018\u201e]|`+)", " $1 "),
            rule("^\"", "``"),
            rule("(``)", " $1 "),
            rule("([ (\\[{<])(\"|'{2})", "$1 `` "),
            ruleIgnoreCase("(?<!" + W + ")(')(?!(?:re|ve|ll|m|t|s|d|n)" + B + ")(?=" + W + ")", "$1 "));

    private static final List<Rule> PUNCTUATION = List.of(
            rule("([^.])(\\.)([\\])}>\"'\u00bb\u201d\u2019 ]*)" + S + "*$", "$1 $2 $3 "),
            rule("([:,])([^\\d])", " $1 $2"),
            rule("([:,])$", " $1 "),
            rule("\\.{2,}", " $0 "),
            rule("[;@#$%&]", " $0 "),
            rule("[\u2012-\u2015]", " $0 "),
            rule("([^.])(\\.)([\\])}>\"']*)" + S + "*$", "$1 $2$3 "),
            rule("[?!]", " $0 "),
            rule("([^'])' ", "$1 ' "),
            rule("[*]", " $0 "));

    private static final Rule PARENS_BRACKETS = rule("[\\]\\[(){}<>]", " $0 ");
    private static final Rule DOUBLE_DASHES = rule("--", " -- ");

    private static final List<Rule> ENDING_QUOTES = List.of(
            rule("([\u00bb\u201d\u2019])", " $1 "),
            rule("''", " '' "),
            rule("\"", " '' "),
            rule(S + "+", " "),
            rule("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 "),
            rule("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 "));

    private static final List<Rule> CONTRACTIONS = List.of(
            ruleIgnoreCase(B + "(can)(not)" + B, " $1 $2 "),
            ruleIgnoreCase(B + "(d)('ye)" + B, " $1 $2 "),
            ruleIgnoreCase(B + "(gim)(me)" + B, " $1 $2 "),
            ruleIgnoreCase(B + "(gon)(na)" + B, " $1 $2 "),
            ruleIgnoreCase(B + "(got)(ta)" + B, " $1 $2 "),
            ruleIgnoreCase(B + "(lem)(me)" + B, " $1 $2 "),
            ruleIgnoreCase(B + "(more)('n)" + B, " $1 $2 "),
            ruleIgnoreCase(B + "(wan)(na)(?=" + S + ")", " $1 $2 "),
            ruleIgnoreCase(" ('t)(is)" + B, " $1 $2 "),
            ruleIgnoreCase(" ('t)(was)" + B, " $1 $2 "));

    /** Tokens of one sentence (NLTKWordTokenizer.tokenize). */
    static List<String> tokenizeSentence(String text) {
        for (Rule r : STARTING_QUOTES) text = r.apply(text);
        for (Rule r : PUNCTUATION) text = r.apply(text);
        text = PARENS_BRACKETS.apply(text);
        text = DOUBLE_DASHES.apply(text);
        text = " " + text + " ";
        for (Rule r : ENDING_QUOTES) text = r.apply(text);
        for (Rule r : CONTRACTIONS) text = r.apply(text);
        return PyText.splitWhitespace(text);
    }

    /** Tokens of a text ({@code nltk.word_tokenize}). */
    static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (String sentence : SentenceCounter.split(text)) out.addAll(tokenizeSentence(sentence));
        return out;
    }

    /** The number of tokens whose {@code isupper()} is true. */
    static int countAllCapitalWords(String text) {
        int n = 0;
        for (String t : tokenize(text)) if (PyText.isUpper(t)) n++;
        return n;
    }
}
