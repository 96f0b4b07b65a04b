package rift.eval.ifeval;

import java.util.regex.Pattern;

/** The {@code detectable_content:*} instructions. */
final class DetectableContent {
    private DetectableContent() {}

    private static final Pattern PLACEHOLDER = PyText.compile("\\[.*?\\]");

    /** At least N placeholders in square brackets, e.g. [address] (non-greedy, within one line). */
    record NumberPlaceholders(int numPlaceholders) implements Instruction {
        static NumberPlaceholders of(Kwargs k) {
            k.only("num_placeholders");
            return new NumberPlaceholders(k.integer("num_placeholders"));
        }

        public String id() {
            return "detectable_content:number_placeholders";
        }

        public boolean isFollowed(String response) {
            return PyText.countMatches(PLACEHOLDER, response) >= numPlaceholders;
        }
    }

    /**
     * A postscript starting with the marker, anywhere in the lowercased response: "P.S." matches
     * {@code p\.\s?s\.}, "P.P.S" matches {@code p\.\s?p\.\s?s}, any other marker itself (as a regex).
     */
    record Postscript(String marker, Pattern pattern) implements Instruction {
        static Postscript of(Kwargs k) {
            k.only("postscript_marker");
            String marker = PyText.strip(k.string("postscript_marker"));
            String regex = switch (marker) {
                case "P.P.S" -> PyText.S + "*p\\." + PyText.S + "?p\\." + PyText.S + "?s.*$";
                case "P.S." -> PyText.S + "*p\\." + PyText.S + "?s\\..*$";
                default -> PyText.S + "*" + PyText.lower(marker) + ".*$";
            };
            return new Postscript(marker, Pattern.compile(regex, PyText.PY_FLAGS | Pattern.MULTILINE));
        }

        public String id() {
            return "detectable_content:postscript";
        }

        public boolean isFollowed(String response) {
            return pattern.matcher(PyText.lower(response)).find();
        }
    }
}
