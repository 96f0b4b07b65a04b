package rift.tokenizer;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Compares many encodings and fails once, listing every mismatch (not only the first). */
final class ParityAssert {
    private ParityAssert() {}

    static void allEqual(String what, List<String> texts, List<int[]> expected, Tokenizer tok) {
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            int[] got = tok.encode(texts.get(i));
            if (!Arrays.equals(got, expected.get(i))) {
                bad.add("case " + i + " " + show(texts.get(i)) + "\n  expected " + Arrays.toString(expected.get(i)) + "\n  got      " + Arrays.toString(got));
            }
        }
        if (!bad.isEmpty()) fail(what + ": " + bad.size() + " of " + texts.size() + " encodings differ:\n" + String.join("\n", bad));
    }

    static String show(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return '"' + t.replace("\n", "\\n").replace("\t", "\\t") + '"';
    }
}
