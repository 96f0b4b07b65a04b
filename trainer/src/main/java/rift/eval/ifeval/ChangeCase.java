package rift.eval.ifeval;

/** The {@code change_case:*} instructions. */
final class ChangeCase {
    private ChangeCase() {}

    /**
     * Words written in all capitals appear "less than"/"at least" N times. Words are NLTK word_tokenize
     * tokens (approximated by {@link WordTokenizer}); a word counts when Python's {@code isupper()} is true.
     */
    record CapitalWordFrequency(Kwargs.Relation relation, int frequency) implements Instruction {
        static CapitalWordFrequency of(Kwargs k) {
            k.only("capital_frequency", "capital_relation");
            return new CapitalWordFrequency(k.relation("capital_relation"), k.integer("capital_frequency"));
        }

        public String id() {
            return "change_case:capital_word_frequency";
        }

        public boolean isFollowed(String response) {
            return relation.holds(WordTokenizer.countAllCapitalWords(response), frequency);
        }
    }

    /** The whole response is in English and in capitals: {@code isupper()} and detected language en. */
    record EnglishCapital() implements Instruction {
        static EnglishCapital of(Kwargs k) {
            k.only();
            return new EnglishCapital();
        }

        public String id() {
            return "change_case:english_capital";
        }

        public boolean isFollowed(String response) {
            return PyText.isUpper(response) && LanguageDetector.detect(response).map("en"::equals).orElse(true);
        }
    }

    /** The whole response is in English and lowercase: {@code islower()} and detected language en. */
    record EnglishLowercase() implements Instruction {
        static EnglishLowercase of(Kwargs k) {
            k.only();
            return new EnglishLowercase();
        }

        public String id() {
            return "change_case:english_lowercase";
        }

        public boolean isFollowed(String response) {
            return PyText.isLower(response) && LanguageDetector.detect(response).map("en"::equals).orElse(true);
        }
    }
}
