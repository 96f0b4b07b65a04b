package rift.eval.ifeval;

/** {@code punctuation:no_comma}, {@code startend:end_checker} and {@code startend:quotation}. */
final class PunctuationStartEnd {
    private PunctuationStartEnd() {}

    /** No ASCII comma anywhere (other comma characters such as '，' are allowed, as in the reference). */
    record NoComma() implements Instruction {
        static NoComma of(Kwargs k) {
            k.only();
            return new NoComma();
        }

        public String id() {
            return "punctuation:no_comma";
        }

        public boolean isFollowed(String response) {
            return response.indexOf(',') < 0;
        }
    }

    /** The response ends with the phrase: strip, strip double quotes, lowercase, then endswith(phrase lowercased). */
    record EndChecker(String endPhrase) implements Instruction {
        static EndChecker of(Kwargs k) {
            k.only("end_phrase");
            return new EndChecker(PyText.strip(k.string("end_phrase")));
        }

        public String id() {
            return "startend:end_checker";
        }

        public boolean isFollowed(String response) {
            String v = PyText.lower(PyText.strip(PyText.strip(response), "\""));
            return v.endsWith(PyText.lower(PyText.strip(endPhrase)));
        }
    }

    /** The whole (stripped) response is wrapped in double quotes: at least 2 characters, '"' first and last. */
    record Quotation() implements Instruction {
        static Quotation of(Kwargs k) {
            k.only();
            return new Quotation();
        }

        public String id() {
            return "startend:quotation";
        }

        public boolean isFollowed(String response) {
            String v = PyText.strip(response);
            return PyText.length(v) > 1 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"';
        }
    }
}
