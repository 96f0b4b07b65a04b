package rift.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import rift.kernels.RiftException;

/**
 * The {@code keywords:*} instructions. As in the reference, keywords are used as (case-insensitive)
 * regular expressions, not literals; the data's keywords are plain words, for which both are the same.
 */
final class Keywords {
    private Keywords() {}

    static Pattern keywordPattern(String regex) {
        try {
            return PyText.compileIgnoreCase(regex);
        } catch (PatternSyntaxException e) {
            // Java and Python regex syntax differ only in corners; fall back to the literal text
            return Pattern.compile(Pattern.quote(regex), PyText.PY_FLAGS | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }
    }

    /** Every keyword occurs somewhere (case-insensitive search, no word boundaries). */
    record Existence(List<String> keywords, List<Pattern> patterns) implements Instruction {
        static Existence of(Kwargs k) {
            k.only("keywords");
            List<String> words = new ArrayList<>(new TreeSet<>(k.strings("keywords")));
            List<Pattern> ps = new ArrayList<>();
            for (String w : words) ps.add(keywordPattern(w));
            return new Existence(List.copyOf(words), List.copyOf(ps));
        }

        public String id() {
            return "keywords:existence";
        }

        public boolean isFollowed(String response) {
            for (Pattern p : patterns) if (!p.matcher(response).find()) return false;
            return true;
        }
    }

    /** None of the words occurs as a whole word ({@code \bWORD\b}, case-insensitive). */
    record ForbiddenWords(List<String> words, List<Pattern> patterns) implements Instruction {
        static ForbiddenWords of(Kwargs k) {
            k.only("forbidden_words");
            List<String> words = new ArrayList<>(new TreeSet<>(k.strings("forbidden_words")));
            List<Pattern> ps = new ArrayList<>();
            for (String w : words) ps.add(keywordPattern(PyText.B + w + PyText.B));
            return new ForbiddenWords(List.copyOf(words), List.copyOf(ps));
        }

        public String id() {
            return "keywords:forbidden_words";
        }

        public boolean isFollowed(String response) {
            for (Pattern p : patterns) if (p.matcher(response).find()) return false;
            return true;
        }
    }

    /** The keyword occurs "less than"/"at least" N times (non-overlapping, case-insensitive, also inside words). */
    record Frequency(String keyword, Kwargs.Relation relation, int frequency, Pattern pattern) implements Instruction {
        static Frequency of(Kwargs k) {
            k.only("keyword", "frequency", "relation");
            String kw = PyText.strip(k.string("keyword"));
            if (kw.isEmpty()) throw new RiftException(k.where() + ": kwarg 'keyword' is blank; give the word to count");
            return new Frequency(kw, k.relation("relation"), k.integer("frequency"), keywordPattern(kw));
        }

        public String id() {
            return "keywords:frequency";
        }

        public boolean isFollowed(String response) {
            return relation.holds(PyText.countMatches(pattern, response), frequency);
        }
    }

    /** The letter occurs "less than"/"at least" N times in the lowercased response. */
    record LetterFrequency(int letter, Kwargs.Relation relation, int frequency) implements Instruction {
        static LetterFrequency of(Kwargs k) {
            k.only("letter", "let_frequency", "let_relation");
            String raw = k.string("letter");
            String l = PyText.lower(PyText.strip(raw));
            if (raw.codePointCount(0, raw.length()) != 1 || l.codePointCount(0, l.length()) != 1) {
                throw new RiftException(k.where() + ": kwarg 'letter' is '" + raw + "'; it must be a single character");
            }
            return new LetterFrequency(l.codePointAt(0), k.relation("let_relation"), k.integer("let_frequency"));
        }

        public String id() {
            return "keywords:letter_frequency";
        }

        public boolean isFollowed(String response) {
            String v = PyText.lower(response);
            int n = 0;
            for (int i = 0; i < v.length(); ) {
                int cp = v.codePointAt(i);
                if (cp == letter) n++;
                i += Character.charCount(cp);
            }
            return relation.holds(n, frequency);
        }
    }
}
