package rift.eval.ifeval;

import java.util.List;
import java.util.regex.Pattern;
import rift.kernels.RiftException;

/** The {@code length_constraints:*} instructions. */
final class Length {
    private Length() {}

    /**
     * Exactly N paragraphs separated by blank lines ("\n\n"), and paragraph i starts with the given word:
     * split on "\n\n", count the non-blank pieces, take piece i (1-based, counting blank pieces too, as the
     * reference indexes the raw split), its first whitespace-separated word with leading quotes removed and
     * cut at the first of {@code . , ? ! ' "}, lowercased.
     */
    record NthParagraphFirstWord(int numParagraphs, int nthParagraph, String firstWord) implements Instruction {
        private static final String PUNCTUATION = ".,?!'\"";

        static NthParagraphFirstWord of(Kwargs k) {
            k.only("num_paragraphs", "nth_paragraph", "first_word");
            int num = k.integer("num_paragraphs");
            int nth = k.integer("nth_paragraph");
            if (nth < 1 || nth > num) {
                throw new RiftException(k.where() + ": nth_paragraph " + nth + " is outside 1.." + num
                        + " (num_paragraphs); fix the record's kwargs");
            }
            return new NthParagraphFirstWord(num, nth, PyText.lower(k.string("first_word")));
        }

        public String id() {
            return "length_constraints:nth_paragraph_first_word";
        }

        public boolean isFollowed(String response) {
            List<String> paragraphs = PyText.splitLiteral(response, "\n\n");
            int count = paragraphs.size();
            for (String p : paragraphs) if (PyText.strip(p).isEmpty()) count--;
            if (nthParagraph > count) return false;
            String paragraph = PyText.strip(paragraphs.get(nthParagraph - 1));
            if (paragraph.isEmpty()) return false;
            String word = PyText.strip(PyText.splitWhitespace(paragraph).get(0));
            word = PyText.lstrip(PyText.lstrip(word, "'"), "\"");
            StringBuilder first = new StringBuilder();
            for (int i = 0; i < word.length(); ) {
                int cp = word.codePointAt(i);
                if (cp < 128 && PUNCTUATION.indexOf(cp) >= 0) break;
                first.append(PyText.lower(new String(Character.toChars(cp))));
                i += Character.charCount(cp);
            }
            return count == numParagraphs && first.toString().equals(firstWord);
        }
    }

    private static final Pattern DIVIDER = PyText.compile(PyText.S + "?\\*\\*\\*" + PyText.S + "?");

    /**
     * Exactly N paragraphs separated by the markdown divider ***: split on {@code \s?\*\*\*\s?}; a blank
     * first or last piece is not a paragraph, a blank piece in between fails the check.
     */
    record NumberParagraphs(int numParagraphs) implements Instruction {
        static NumberParagraphs of(Kwargs k) {
            k.only("num_paragraphs");
            return new NumberParagraphs(k.integer("num_paragraphs"));
        }

        public String id() {
            return "length_constraints:number_paragraphs";
        }

        public boolean isFollowed(String response) {
            List<String> pieces = PyText.splitRegex(DIVIDER, response);
            int count = pieces.size();
            for (int i = 0; i < pieces.size(); i++) {
                if (PyText.strip(pieces.get(i)).isEmpty()) {
                    if (i == 0 || i == pieces.size() - 1) count--;
                    else return false;
                }
            }
            return count == numParagraphs;
        }
    }

    /** "less than"/"at least" N sentences, counted as NLTK Punkt would ({@link SentenceCounter}, approximate). */
    record NumberSentences(Kwargs.Relation relation, int numSentences) implements Instruction {
        static NumberSentences of(Kwargs k) {
            k.only("num_sentences", "relation");
            return new NumberSentences(k.relation("relation"), k.integer("num_sentences"));
        }

        public String id() {
            return "length_constraints:number_sentences";
        }

        public boolean isFollowed(String response) {
            return relation.holds(SentenceCounter.count(response), numSentences);
        }
    }

    /** "less than"/"at least" N words, a word being a run of Python {@code \w} characters (nltk RegexpTokenizer). */
    record NumberWords(Kwargs.Relation relation, int numWords) implements Instruction {
        static NumberWords of(Kwargs k) {
            k.only("num_words", "relation");
            return new NumberWords(k.relation("relation"), k.integer("num_words"));
        }

        public String id() {
            return "length_constraints:number_words";
        }

        public boolean isFollowed(String response) {
            return relation.holds(PyText.countWordRuns(response), numWords);
        }
    }
}
