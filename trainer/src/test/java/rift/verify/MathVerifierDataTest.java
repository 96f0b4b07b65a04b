package rift.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.TestPaths;

/**
 * Agreement of the verifier with graded labels from public data, and extraction/self-consistency on
 * the MATH answers. The floors sit a little under what the verifier achieves; disagreements are
 * printed so a regression shows which responses changed.
 */
class MathVerifierDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MathVerifier verifier = new MathVerifier();

    private static List<JsonNode> readJsonl(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) if (!line.isBlank()) rows.add(JSON.readTree(line));
        return rows;
    }

    /**
     * 100 MATH problems x 8 Qwen2.5-Math responses graded by Qwen's own checker ({@code score}).
     * Reference: the raw MATH answer ({@code answer}, e.g. {@code 900,\!000,\!000}, {@code 25\%}).
     */
    @Test
    void agreesWithQwenLabelsOnMathCot100() throws IOException {
        List<JsonNode> rows = readJsonl(TestPaths.data("math/qwen25_math_eval/math_cot_100.jsonl"));
        int total = 0, agree = 0, agreeGt = 0;
        List<String> disagreements = new ArrayList<>();
        for (JsonNode r : rows) {
            for (int k = 0; k < r.get("response").size(); k++) {
                String response = r.get("response").get(k).asText();
                boolean label = r.get("score").get(k).asBoolean();
                Verdict v = verifier.verify(response, r.get("answer").asText(), VerifyMode.MATH);
                Verdict vGt = verifier.verify(response, r.get("gt").asText(), VerifyMode.MATH);
                total++;
                if (v.correct() == label) agree++;
                else disagreements.add("idx " + r.get("idx") + "#" + k + " label=" + label + " ref=" + r.get("answer").asText()
                        + " qwenPred=" + r.get("pred").get(k).asText() + " -> " + v);
                if (vGt.correct() == label) agreeGt++;
            }
        }
        System.out.printf("math_cot_100: %d/%d = %.1f%% agreement with labels (reference = answer field)%n",
                agree, total, 100.0 * agree / total);
        System.out.printf("math_cot_100: %d/%d = %.1f%% agreement with labels (reference = gt field)%n",
                agreeGt, total, 100.0 * agreeGt / total);
        disagreements.forEach(d -> System.out.println("  disagreement: " + d));
        assertEquals(800, total);
        assertTrue(agree >= 780, "agreement " + agree + "/800 fell under the floor 780");
        assertTrue(agreeGt >= 780, "agreement (gt) " + agreeGt + "/800 fell under the floor 780");
    }

    /** GPT-3 GSM8K solutions (4 models x 1319 problems) with is_correct labels; reference ends "A: N". */
    @Test
    void agreesWithLabelsOnGsm8kExampleSolutions() throws IOException {
        List<JsonNode> rows = readJsonl(TestPaths.data("math/gsm8k/example_model_solutions.jsonl"));
        String[] models = {"6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"};
        int total = 0, agree = 0;
        List<String> disagreements = new ArrayList<>();
        for (JsonNode r : rows) {
            String reference = r.get("ground_truth").asText();
            for (String m : models) {
                JsonNode sol = r.get(m);
                Verdict v = verifier.verify(sol.get("solution").asText(), reference, VerifyMode.GSM8K);
                total++;
                if (v.correct() == sol.get("is_correct").asBoolean()) agree++;
                else if (disagreements.size() < 20) disagreements.add(m + " label=" + sol.get("is_correct") + " -> " + v);
            }
        }
        System.out.printf("gsm8k example_model_solutions: %d/%d = %.2f%% agreement with labels%n", agree, total, 100.0 * agree / total);
        disagreements.forEach(d -> System.out.println("  disagreement: " + d));
        assertEquals(5276, total);
        assertTrue(agree >= total - 5, "agreement " + agree + "/" + total);
    }

    /**
     * The 5000 MATH test problems: the boxed answer of every solution is extracted exactly as the
     * dataset's answer field; every solution verifies against its answer; every answer that parses as
     * a scalar expression equals a rewritten form of itself (2(a)/2) and rejects a shifted one (a+1).
     */
    @Test
    void mathTestAnswersAreExtractedParsedAndSelfConsistent() throws IOException {
        List<JsonNode> rows = readJsonl(TestPaths.data("math/math_hendrycks/test.jsonl"));
        int extracted = 0, self = 0, scalars = 0, rewritten = 0, shiftedRejected = 0, text = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode r : rows) {
            String answer = r.get("answer").asText(), solution = r.get("solution").asText();
            if (answer.equals(MathVerifier.extractAnswer(solution, VerifyMode.MATH))) extracted++;
            else failures.add("extract " + r.get("unique_id"));
            if (verifier.verify(solution, answer).correct()) self++;
            else failures.add("self " + r.get("unique_id"));
            String norm = MathVerifier.normalize(answer);
            Answer parsed = Answer.parse(norm, Budget.unlimited());
            if (parsed instanceof Answer.Text) text++;
            if (!(parsed instanceof Answer.Scalar)) continue;
            scalars++;
            Verdict same = verifier.verify("\\boxed{\\frac{2(" + norm + ")}{2}}", answer);
            if (same.correct() && !same.reason().equals("exact")) rewritten++;
            else failures.add("rewritten " + answer + " -> " + same);
            Verdict shifted = verifier.verify("\\boxed{" + norm + "+1}", answer);
            if (!shifted.correct()) shiftedRejected++;
            else failures.add("shifted " + answer + " -> " + shifted);
        }
        System.out.printf("MATH test answers: %d extracted, %d self-verified of %d; %d scalars: %d rewritten forms"
                + " accepted, %d shifted forms rejected; %d compared as text%n",
                extracted, self, rows.size(), scalars, rewritten, shiftedRejected, text);
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())));
        assertEquals(5000, rows.size());
        assertTrue(scalars > 4500, "scalar answers " + scalars);
        assertTrue(text < 100, "text answers " + text);
    }
}
