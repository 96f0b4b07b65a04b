package rift.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Counts sentences the way the IFEval reference does (NLTK's pre-trained English Punkt model,
 * {@code nltk.data.load("tokenizers/punkt/english.pickle").tokenize(text)}), approximately: the model's
 * learned abbreviation list, collocations and orthographic statistics are not available here, so they
 * are replaced by fixed lists (documented below). The Punkt rules themselves are followed:
 *
 * <ul>
 *   <li>A break can only follow a run of {@code . ? !} that is followed by whitespace and another token, or
 *       directly by one of {@code ) " ; } ] * : @ ' ( { [ ! ?}. Line breaks alone never end a sentence, and
 *       text after the last candidate is the last sentence.</li>
 *   <li>{@code ?} and {@code !} always break.</li>
 *   <li>An ellipsis ({@code ..} or longer) breaks only when the next word looks like a sentence start.</li>
 *   <li>A single period after a known abbreviation breaks only when the next word looks like a sentence
 *       start; after a single-letter initial it breaks only before a sentence-start word; after a number
 *       (Punkt's {@code ##number##}, e.g. "1.") it breaks unless the next word is lowercase; after any other
 *       word it always breaks (whatever follows).</li>
 *   <li>Closing quotes and brackets after a break stay with the sentence before (Punkt's realignment).</li>
 * </ul>
 *
 * "Looks like a sentence start" stands in for Punkt's orthographic heuristic (capitalised, and seen in
 * training lowercase but never capitalised mid-sentence): here, a capitalised word from
 * {@link #SENTENCE_STARTERS}. Capitalised other words (names) are "unknown", lowercase words "no".
 */
final class SentenceCounter {
    private SentenceCounter() {}

    /** Punkt's {@code _re_non_word_chars}: characters that may directly follow a sentence end. */
    private static final String NON_WORD = ")\";}]*:@'({[!?";
    /** Characters that Punkt splits off the start of a word ({@code _re_word_start} excludes them). */
    private static final String WORD_START_EXCLUDED = "(\"`{[:;&#*@)}]-,";
    private static final String REALIGN_CLOSERS = "\"')]}";
    private static final Pattern NUMBER = Pattern.compile("^-?[.,]?\\d[\\d,.-]*\\.?$", PyText.PY_FLAGS);

    /** Abbreviations after which a period usually does not end a sentence (stand-in for Punkt's learned list). */
    static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "rev", "gen", "gov", "sen", "rep", "lt", "col",
            "capt", "sgt", "mt", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "corp", "u.s", "u.k", "u.s.a",
            "a.m", "p.m", "no", "vol", "fig", "dept", "approx", "est", "jan", "feb", "aug", "sept", "oct", "nov",
            "dec", "ave", "blvd", "ph.d", "cf", "al");

    /** Frequent sentence-initial words (stand-in for Punkt's orthographic context and sentence starters). */
    static final Set<String> SENTENCE_STARTERS = Set.of(
            "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you",
            "there", "here", "in", "on", "at", "for", "but", "and", "or", "so", "if", "when", "while", "as",
            "after", "before", "then", "however", "also", "finally", "first", "second", "third", "next", "each",
            "all", "some", "many", "most", "no", "not", "yes", "please", "let", "to", "with", "from", "by", "one",
            "my", "our", "your", "his", "her", "their", "what", "how", "why", "where", "who", "which", "do", "does",
            "did", "is", "are", "was", "were", "be", "can", "could", "would", "should", "will", "may", "might",
            "overall", "thus", "therefore", "although", "because", "since", "now", "today", "other", "another",
            "every", "both", "such", "once", "still", "even", "just", "only", "instead", "meanwhile", "additionally",
            "furthermore", "moreover", "similarly", "lastly", "importantly", "thanks", "thank", "hello", "dear",
            "sincerely", "best", "regards");

    private enum Ortho { YES, NO, UNKNOWN }

    /** The number of sentences in {@code text}. */
    static int count(String text) {
        return split(text).size();
    }

    /** The sentences of {@code text} (each stripped), for tests and debugging. */
    static List<String> split(String text) {
        List<Integer> breaks = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (".?!".indexOf(text.charAt(i)) < 0) {
                i++;
                continue;
            }
            int runStart = i;
            int j = i;
            while (j < n && ".?!".indexOf(text.charAt(j)) >= 0) j++;
            i = j;
            if (j >= n) break;
            char after = text.charAt(j);
            String nextTok;
            if (NON_WORD.indexOf(after) >= 0) {
                nextTok = String.valueOf(after);
            } else if (PyText.isSpace(after)) {
                nextTok = nextToken(text, j);
                if (nextTok == null) break; // only whitespace follows: the end of the text
            } else {
                continue; // "3.5", "file.txt": not a candidate
            }
            if (isBreak(text.substring(runStart, j), previousToken(text, runStart), nextTok)) breaks.add(j);
        }
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int b : breaks) {
            addSentence(out, text.substring(from, b));
            from = b;
        }
        addSentence(out, text.substring(from));
        return out;
    }

    private static void addSentence(List<String> out, String piece) {
        String s = PyText.strip(piece);
        if (s.isEmpty()) return;
        // realignment: leading closing quotes/brackets belong to the previous sentence
        int k = 0;
        while (k < s.length() && REALIGN_CLOSERS.indexOf(s.charAt(k)) >= 0) k++;
        if (k > 0 && !out.isEmpty() && (k == s.length() || PyText.isSpace(s.charAt(k)))) {
            int last = out.size() - 1;
            out.set(last, out.get(last) + s.substring(0, k));
            s = PyText.strip(s.substring(k));
            if (s.isEmpty()) return;
        }
        out.add(s);
    }

    private static boolean isBreak(String run, String prevTok, String nextTok) {
        if (run.indexOf('?') >= 0 || run.indexOf('!') >= 0) return true;
        if (run.length() >= 2) return ortho(nextTok) == Ortho.YES; // ellipsis
        if (prevTok.isEmpty()) return true; // a lone "." token is a sentence end
        String typ = PyText.lower(prevTok);
        String[] hyphenParts = typ.split("-");
        boolean initial = prevTok.codePointCount(0, prevTok.length()) == 1 && Character.isLetter(prevTok.codePointAt(0));
        if (ABBREVIATIONS.contains(typ) || ABBREVIATIONS.contains(hyphenParts[hyphenParts.length - 1])) {
            return !initial && ortho(nextTok) == Ortho.YES;
        }
        if (NUMBER.matcher(prevTok + ".").matches()) return ortho(nextTok) != Ortho.NO;
        if (initial) {
            Ortho o = ortho(nextTok);
            if (o == Ortho.NO) return false;
            if (o == Ortho.UNKNOWN && !nextTok.isEmpty() && Character.isUpperCase(nextTok.codePointAt(0))) return false;
            return true;
        }
        return true;
    }

    private static Ortho ortho(String tok) {
        if (tok.isEmpty()) return Ortho.UNKNOWN;
        if (tok.length() == 1 && ";:,.!?".indexOf(tok.charAt(0)) >= 0) return Ortho.NO;
        int first = tok.codePointAt(0);
        if (Character.isUpperCase(first)) {
            String word = PyText.lower(PyText.rstrip(tok, ".,;:!?\"')]}"));
            return SENTENCE_STARTERS.contains(word) ? Ortho.YES : Ortho.UNKNOWN;
        }
        if (Character.isLowerCase(first)) return Ortho.NO;
        return Ortho.UNKNOWN;
    }

    /** The Punkt word token ending at {@code end} (the text before a period), or "" when the period stands alone. */
    private static String previousToken(String text, int end) {
        int start = end;
        while (start > 0 && !PyText.isSpace(text.charAt(start - 1))) start--;
        String chunk = text.substring(start, end);
        // the token is what follows the last character that Punkt would split off
        int cut = 0;
        for (int k = 0; k < chunk.length(); k++) {
            char c = chunk.charAt(k);
            if (NON_WORD.indexOf(c) >= 0 || (k == cut && WORD_START_EXCLUDED.indexOf(c) >= 0)) cut = k + 1;
        }
        return chunk.substring(cut);
    }

    /** The first Punkt token after the whitespace at {@code from}; null when only whitespace follows. */
    private static String nextToken(String text, int from) {
        int i = from;
        while (i < text.length() && PyText.isSpace(text.charAt(i))) i++;
        if (i >= text.length()) return null;
        char c = text.charAt(i);
        if (WORD_START_EXCLUDED.indexOf(c) >= 0 || NON_WORD.indexOf(c) >= 0) return String.valueOf(c);
        int j = i;
        while (j < text.length() && !PyText.isSpace(text.charAt(j)) && NON_WORD.indexOf(text.charAt(j)) < 0) j++;
        return text.substring(i, j);
    }
}
