package rift.eval.ifeval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rift.kernels.RiftException;

/**
 * Sentence splitting as the IFEval reference does it: NLTK's Punkt sentence tokenizer with its pre-trained
 * English parameters. The Punkt <em>rules</em> are implemented here in full (candidate ends, the
 * word-before context with its overlap handling, first- and second-pass token annotation, the
 * orthographic, sentence-starter, initial and number heuristics, boundary realignment) and were checked
 * against NLTK 3.10 run with the same parameters. The trained English <em>parameters</em> (about 850
 * abbreviations, collocations, orthographic statistics of ~15k word types, sentence starters) are not
 * available here, so {@link #ENGLISH} approximates them: a list of common abbreviations, and for a list
 * of frequent sentence-initial words the orthographic context "seen lowercase mid-sentence and
 * capitalised at a sentence start". Other words have no orthographic context, so a capitalised unknown
 * word is "unknown" and a lowercase one "not a sentence starter", as for words Punkt never saw in training.
 * With the real parameters ({@link #loadPunktTab}) the split is NLTK's.
 */
final class SentenceCounter {
    private SentenceCounter() {}

    /** Punkt's trainable parameters. */
    record Params(Set<String> abbrevTypes, Map<String, Integer> orthoContext, Set<String> sentStarters,
                  Set<List<String>> collocations) {}

    // orthographic context bits, as Punkt defines them
    static final int ORTHO_BEG_UC = 2;
    static final int ORTHO_MID_UC = 4;
    static final int ORTHO_UNK_UC = 8;
    static final int ORTHO_BEG_LC = 16;
    static final int ORTHO_MID_LC = 32;
    static final int ORTHO_UNK_LC = 64;
    static final int ORTHO_UC = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC;
    static final int ORTHO_LC = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC;

    /** Abbreviations after which a period usually does not end a sentence (stand-in for the trained list). */
    static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "rev", "gen", "gov", "sen", "rep", "lt", "col",
            "capt", "sgt", "mt", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "corp", "u.s", "u.k", "u.s.a",
            "a.m", "p.m", "no", "vol", "fig", "dept", "approx", "est", "jan", "feb", "aug", "sept", "oct", "nov",
            "dec", "ave", "blvd", "ph.d", "cf", "al");

    /** Frequent sentence-initial words (stand-in for the trained orthographic context and sentence starters). */
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

    static final String PUNKT_DIR_PROPERTY = "rift.ifeval.punktDir";

    /**
     * The parameters used by the checkers: NLTK's real English Punkt parameters when the system property
     * {@value #PUNKT_DIR_PROPERTY} names a {@code punkt_tab/english} folder (from nltk_data), else the
     * built-in approximation {@link #englishParams()}.
     */
    static final Params ENGLISH = System.getProperty(PUNKT_DIR_PROPERTY) != null
            ? loadPunktTab(Path.of(System.getProperty(PUNKT_DIR_PROPERTY))) : englishParams();

    /**
     * Reads Punkt parameters in NLTK's punkt_tab layout: abbrev_types.txt and sent_starters.txt (one entry a
     * line), collocations.tab (two words a line, tab-separated), ortho_context.tab (word, tab, integer).
     */
    static Params loadPunktTab(Path dir) {
        Set<String> abbrev = new HashSet<>(lines(dir.resolve("abbrev_types.txt")));
        Set<String> starters = new HashSet<>(lines(dir.resolve("sent_starters.txt")));
        Set<List<String>> collocations = new HashSet<>();
        for (String l : lines(dir.resolve("collocations.tab"))) collocations.add(List.of(l.split("\t", -1)));
        Map<String, Integer> ortho = new HashMap<>();
        Path orthoFile = dir.resolve("ortho_context.tab");
        for (String l : lines(orthoFile)) {
            String[] f = l.split("\t", -1);
            try {
                ortho.put(f[0], Integer.parseInt(f[f.length - 1].strip()));
            } catch (NumberFormatException e) {
                throw new RiftException(orthoFile + ": line '" + l + "' is not word<TAB>integer; use NLTK's punkt_tab files as they are");
            }
        }
        return new Params(Set.copyOf(abbrev), Map.copyOf(ortho), Set.copyOf(starters), Set.copyOf(collocations));
    }

    private static List<String> lines(Path file) {
        try {
            List<String> out = new ArrayList<>();
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
                out.add(l);
            }
            return out;
        } catch (IOException e) {
            throw new RiftException("cannot read Punkt parameter file " + file + ": " + e.getMessage() + "; point -D"
                    + PUNKT_DIR_PROPERTY + " at an nltk_data tokenizers/punkt_tab/english folder", e);
        }
    }

    /** The built-in approximation of the trained English parameters. */
    static Params englishParams() {
        Map<String, Integer> ortho = new HashMap<>();
        for (String w : SENTENCE_STARTERS) ortho.put(w, ORTHO_MID_LC | ORTHO_BEG_UC);
        return new Params(ABBREVIATIONS, Map.copyOf(ortho), SENTENCE_STARTERS, Set.of());
    }

    // ---- Punkt's language variables (English) ----
    private static final String S = PyText.S;
    private static final String NOT_S = "[^\\s\\x1C-\\x1F]";
    private static final String NON_WORD = "(?:[)\";}\\]*:@'({\\[\u2018\u2019\u201c\u201d\u00ab\u00bb?!])";
    private static final String MULTI_CHAR = "(?:-{2,}|\\.{2,}|(?:\\." + S + "){2,}\\.)";
    private static final String WORD_START = "[^(\"`{\\[:;&#*@)}\\]\\-,]";
    private static final Pattern WORD_TOKEN = PyText.compile("(" + MULTI_CHAR + "|(?=" + WORD_START + ")" + NOT_S + "+?(?="
            + S + "|$|" + NON_WORD + "|" + MULTI_CHAR + "|,(?=$|" + S + "|" + NON_WORD + "|" + MULTI_CHAR + "))|" + NOT_S + ")");
    private static final Pattern PERIOD_CONTEXT = PyText.compile("[.?!](?=(?<after>" + NON_WORD + "|" + S + "+(?<next>" + NOT_S + "+)))");
    private static final Pattern REALIGN = Pattern.compile("[\"')\\]}\u2018\u2019\u201c\u201d\u00ab\u00bb]+?(?:" + S + "+|(?=--)|$)",
            PyText.PY_FLAGS | Pattern.MULTILINE);
    private static final Pattern NUMERIC = PyText.compile("^-?[.,]?\\d[\\d,.-]*\\.?$");
    private static final String PUNCTUATION = ";:,.!?";
    private static final String ASCII_WHITESPACE = " \t\n\r\u000b\f";

    /** The number of sentences in {@code text}. */
    static int count(String text) {
        return split(text).size();
    }

    /** The sentences of {@code text} (as Punkt returns them: not stripped). */
    static List<String> split(String text) {
        return split(text, ENGLISH);
    }

    static List<String> split(String text, Params params) {
        List<int[]> slices = realign(text, slicesFromText(text, params));
        List<String> out = new ArrayList<>();
        for (int[] s : slices) out.add(text.substring(s[0], s[1]));
        return out;
    }

    /** Punkt's _slices_from_text: a break after each candidate whose context contains a sentence break. */
    private static List<int[]> slicesFromText(String text, Params params) {
        List<int[]> out = new ArrayList<>();
        int lastBreak = 0;
        for (Candidate c : candidates(text)) {
            if (containsSentenceBreak(c.context, params)) {
                out.add(new int[] {lastBreak, c.end});
                lastBreak = c.nextTokenStart >= 0 ? c.nextTokenStart : c.end;
            }
        }
        out.add(new int[] {lastBreak, PyText.rstripSpace(text).length()});
        return out;
    }

    private record Candidate(int end, int nextTokenStart, String context) {}

    /**
     * Punkt's _match_potential_end_contexts: every [.?!] followed by other punctuation or by whitespace and a
     * token, with the word before it; a candidate whose word-before overlaps the next one's is dropped.
     */
    private static List<Candidate> candidates(String text) {
        List<Candidate> out = new ArrayList<>();
        Matcher m = PERIOD_CONTEXT.matcher(text);
        int prevStart = 0;
        int prevStop = 0;
        Candidate pending = null;
        while (m.find()) {
            String before = text.substring(prevStop, m.start());
            int lastSpace = lastAsciiWhitespace(before);
            int wordStart = lastSpace != 0 ? lastSpace + prevStop + 1 : prevStart;
            if (pending != null && prevStop <= wordStart) out.add(pending);
            String after = m.group("after");
            int nextStart = m.group("next") != null ? m.start("next") : -1;
            pending = new Candidate(m.end(), nextStart, text.substring(wordStart, m.start()) + m.group() + after);
            prevStart = wordStart;
            prevStop = m.start();
        }
        if (pending != null) out.add(pending);
        return out;
    }

    /** Index of the last ASCII whitespace character, or 0 when there is none (Punkt's own convention). */
    private static int lastAsciiWhitespace(String s) {
        for (int i = s.length() - 1; i >= 0; i--) if (ASCII_WHITESPACE.indexOf(s.charAt(i)) >= 0) return i;
        return 0;
    }

    /** Punkt's _realign_boundaries: closing quotes and brackets after a break move to the sentence before. */
    private static List<int[]> realign(String text, List<int[]> slices) {
        List<int[]> out = new ArrayList<>();
        int realign = 0;
        for (int i = 0; i < slices.size(); i++) {
            int[] s1 = {slices.get(i)[0] + realign, slices.get(i)[1]};
            if (i + 1 == slices.size()) {
                if (s1[1] > s1[0]) out.add(s1);
                continue;
            }
            int[] s2 = slices.get(i + 1);
            Matcher m = REALIGN.matcher(text.substring(s2[0], s2[1]));
            if (m.lookingAt()) {
                out.add(new int[] {s1[0], s2[0] + PyText.rstripSpace(m.group()).length()});
                realign = m.end();
            } else {
                realign = 0;
                if (s1[1] > s1[0]) out.add(s1);
            }
        }
        return out;
    }

    // ---- token annotation ----

    private static final class Token {
        final String tok;
        final String type;
        final boolean periodFinal;
        boolean sentbreak;
        boolean abbr;
        boolean ellipsis;

        Token(String tok) {
            this.tok = tok;
            String lower = PyText.lower(tok);
            this.type = NUMERIC.matcher(lower).matches() ? "##number##" : lower;
            this.periodFinal = tok.endsWith(".");
        }

        String typeNoPeriod() {
            return type.length() > 1 && type.endsWith(".") ? type.substring(0, type.length() - 1) : type;
        }

        String typeNoSentperiod() {
            return sentbreak ? typeNoPeriod() : type;
        }

        boolean firstUpper() {
            return PyText.isUpper(new String(Character.toChars(tok.codePointAt(0))));
        }

        boolean firstLower() {
            return PyText.isLower(new String(Character.toChars(tok.codePointAt(0))));
        }

        boolean isEllipsis() {
            if (tok.length() < 2) return false;
            for (int i = 0; i < tok.length(); i++) if (tok.charAt(i) != '.') return false;
            return true;
        }

        /** {@code [^\W\d]\.$}: one word character that is not a digit, then a period. */
        boolean isInitial() {
            if (tok.codePointCount(0, tok.length()) != 2 || !tok.endsWith(".")) return false;
            int c = tok.codePointAt(0);
            return PyText.isWordChar(c) && Character.getType(c) != Character.DECIMAL_DIGIT_NUMBER;
        }
    }

    private static List<Token> tokenizeWords(String text) {
        List<Token> out = new ArrayList<>();
        for (String line : PyText.splitLiteral(text, "\n")) {
            if (PyText.strip(line).isEmpty()) continue;
            Matcher m = WORD_TOKEN.matcher(line);
            while (m.find()) out.add(new Token(m.group(1)));
        }
        return out;
    }

    /** Punkt's text_contains_sentbreak: some token other than the last is annotated as a sentence break. */
    private static boolean containsSentenceBreak(String context, Params params) {
        List<Token> toks = tokenizeWords(context);
        for (Token t : toks) firstPass(t, params);
        for (int i = 0; i < toks.size(); i++) {
            if (i + 1 < toks.size()) secondPass(toks.get(i), toks.get(i + 1), params);
            if (toks.get(i).sentbreak && i + 1 < toks.size()) return true;
        }
        return false;
    }

    private static void firstPass(Token t, Params params) {
        if (t.tok.equals(".") || t.tok.equals("?") || t.tok.equals("!")) {
            t.sentbreak = true;
        } else if (t.isEllipsis()) {
            t.ellipsis = true;
        } else if (t.periodFinal && !t.tok.endsWith("..")) {
            String base = PyText.lower(t.tok.substring(0, t.tok.length() - 1));
            String[] parts = base.split("-", -1);
            if (params.abbrevTypes().contains(base) || params.abbrevTypes().contains(parts[parts.length - 1])) {
                t.abbr = true;
            } else {
                t.sentbreak = true;
            }
        }
    }

    private enum Ortho { YES, NO, UNKNOWN }

    private static void secondPass(Token t1, Token t2, Params params) {
        if (!t1.periodFinal) return;
        String typ = t1.typeNoPeriod();
        String nextTyp = t2.typeNoSentperiod();
        boolean initial = t1.isInitial();
        if (params.collocations().contains(List.of(typ, nextTyp))) {
            t1.sentbreak = false;
            t1.abbr = true;
            return;
        }
        if ((t1.abbr || t1.ellipsis) && !initial) {
            if (ortho(t2, params) == Ortho.YES) {
                t1.sentbreak = true;
                return;
            }
            if (t2.firstUpper() && params.sentStarters().contains(nextTyp)) {
                t1.sentbreak = true;
                return;
            }
        }
        if (initial || typ.equals("##number##")) {
            Ortho o = ortho(t2, params);
            if (o == Ortho.NO) {
                t1.sentbreak = false;
                t1.abbr = true;
                return;
            }
            if (o == Ortho.UNKNOWN && initial && t2.firstUpper()
                    && (params.orthoContext().getOrDefault(nextTyp, 0) & ORTHO_LC) == 0) {
                t1.sentbreak = false;
                t1.abbr = true;
            }
        }
    }

    private static Ortho ortho(Token t, Params params) {
        if (t.tok.length() == 1 && PUNCTUATION.indexOf(t.tok.charAt(0)) >= 0) return Ortho.NO;
        int ctx = params.orthoContext().getOrDefault(t.typeNoSentperiod(), 0);
        if (t.firstUpper() && (ctx & ORTHO_LC) != 0 && (ctx & ORTHO_MID_UC) == 0) return Ortho.YES;
        if (t.firstLower() && ((ctx & ORTHO_UC) != 0 || (ctx & ORTHO_BEG_LC) == 0)) return Ortho.NO;
        return Ortho.UNKNOWN;
    }
}
