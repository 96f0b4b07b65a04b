package rift.eval.ifeval;

import java.util.ArrayList;
import java.util.List;

/** The {@code combination:*} instructions. */
final class Combination {
    private Combination() {}

    /** The response starts (case-insensitively, after stripping) with the request repeated word for word. */
    record RepeatPrompt(String promptToRepeat) implements Instruction {
        static RepeatPrompt of(Kwargs k) {
            k.only("prompt_to_repeat");
            return new RepeatPrompt(k.string("prompt_to_repeat"));
        }

        public String id() {
            return "combination:repeat_prompt";
        }

        public boolean isFollowed(String response) {
            return PyText.lower(PyText.strip(response)).startsWith(PyText.lower(PyText.strip(promptToRepeat)));
        }
    }

    /**
     * Two different responses separated by six asterisks: split on "******"; empty pieces are allowed only
     * first or last; exactly two non-empty pieces that differ after stripping.
     */
    record TwoResponses() implements Instruction {
        static TwoResponses of(Kwargs k) {
            k.only();
            return new TwoResponses();
        }

        public String id() {
            return "combination:two_responses";
        }

        public boolean isFollowed(String response) {
            List<String> pieces = PyText.splitLiteral(response, "******");
            List<String> valid = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                if (PyText.strip(pieces.get(i)).isEmpty()) {
                    if (i != 0 && i != pieces.size() - 1) return false;
                } else {
                    valid.add(pieces.get(i));
                }
            }
            return valid.size() == 2 && !PyText.strip(valid.get(0)).equals(PyText.strip(valid.get(1)));
        }
    }
}
