package rift.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rift.TestPaths;

/** The shipped suites against the repository's data/: every file exists, every record maps, every prompt renders. */
class ShippedSuitesTest {
    @Test
    void paperSuiteReadsEveryRecordOfItsData() {
        Path home = TestPaths.repoRoot();
        Suite paper = SuiteLoader.load(SuiteLoader.locate("paper", home), home, null);
        Map<String, Integer> sizes = Map.of("MATH-500", 500, "GSM8K", 1319, "AIME24", 30, "OlympiadBench", 675, "MMLU-STEM", 3018,
                "IFEval", 541, "HaluEval", 1000);
        for (Benchmark b : paper.benchmarks()) {
            List<EvalItem> items = EvalData.load(b);
            assertEquals(sizes.get(b.id()), items.size(), b.id());
            for (EvalItem it : items) {
                String prompt = EvalData.promptText(b, it);
                assertTrue(prompt.startsWith("<|im_start|>user\n") && prompt.endsWith("<think>\n\n</think>\n\n"), b.id());
            }
        }
    }

    /** A response that boxes the reference answer earns credit on every item of every math set (field mapping and scorer agree). */
    @Test
    void boxedReferencesPassTheirOwnMathScorer() {
        Path home = TestPaths.repoRoot();
        Suite paper = SuiteLoader.load(SuiteLoader.locate("paper", home), home, null);
        for (Benchmark b : paper.benchmarks()) {
            if (!(b.scorer() instanceof BoxedMathScorer s)) continue;
            List<String> failed = new ArrayList<>();
            for (EvalItem it : EvalData.load(b)) {
                String ref = it.reference();
                String answer = ref.contains("####") ? ref.substring(ref.lastIndexOf("####") + 4).strip() : ref;
                if (!s.judge(it, "Final Answer: \\boxed{" + answer + "}").correct()) failed.add(it.id() + ": " + answer);
            }
            assertEquals(List.of(), failed, b.id());
        }
    }
}
