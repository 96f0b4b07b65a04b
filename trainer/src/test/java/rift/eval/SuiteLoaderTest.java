package rift.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.TestPaths;
import rift.eval.ti.BenchmarkGroup;
import rift.kernels.RiftException;
import rift.verify.VerifyMode;

class SuiteLoaderTest {
    static final Path HOME = Path.of("/home/rift");
    static final Path FILE = Path.of("suites/my.yaml");

    static Suite parse(String yaml) {
        return SuiteLoader.parse(yaml, FILE, HOME, null);
    }

    static String error(String yaml) {
        return assertThrows(RiftException.class, () -> parse(yaml)).getMessage();
    }

    static final String ONE = """
            benchmarks:
              - id: q
                group: non
                data: d.jsonl
                fields: {reference: answer}
                scorer: yes_no
            """;

    @Test
    void shippedSuitesLoadWithThePapersDecoding() {
        Path home = TestPaths.repoRoot();
        Suite paper = SuiteLoader.load(SuiteLoader.locate("paper", home), home, null);
        assertEquals("paper", paper.name());
        assertEquals(List.of("MATH-500", "GSM8K", "AIME24", "OlympiadBench", "MMLU-STEM", "IFEval", "HaluEval"),
                paper.benchmarks().stream().map(Benchmark::id).toList());
        Benchmark math500 = paper.benchmarks().getFirst();
        assertEquals(new Decoding(0.6, 0.95, 32768, 3), math500.decoding());
        assertEquals(10, paper.benchmarks().get(2).decoding().samples());
        assertEquals(new Decoding(0, 1, 32768, 1), paper.benchmarks().get(3).decoding());
        assertEquals(VerifyMode.GSM8K, ((BoxedMathScorer) paper.benchmarks().get(1).scorer()).mode());
        assertEquals(home.resolve("data/math500/test.jsonl.gz"), math500.dataFile());
        assertTrue(math500.chat() && math500.emptyThink());
        assertEquals(List.of("Problem:"), paper.benchmarks().get(3).stop());
        assertEquals("instruction_strict", paper.benchmarks().get(5).scorer().metric());
        assertEquals(List.of(BenchmarkGroup.MATH, BenchmarkGroup.MATH, BenchmarkGroup.MATH, BenchmarkGroup.MATH, BenchmarkGroup.OTHER,
                BenchmarkGroup.NON, BenchmarkGroup.NON), paper.benchmarks().stream().map(Benchmark::group).toList());

        Suite testbed = SuiteLoader.load(SuiteLoader.locate("testbed", home), home, null);
        assertEquals(8, testbed.benchmarks().size());
        assertEquals(home.resolve("data/testbed/eval/plan.jsonl.gz"), testbed.benchmarks().get(3).dataFile());
        Suite moved = SuiteLoader.load(SuiteLoader.locate("testbed", home), home, Path.of("/tmp/tb"));
        assertEquals(Path.of("/tmp/tb/eval/plan.jsonl.gz"), moved.benchmarks().get(3).dataFile());
        assertTrue(testbed.benchmarks().stream().allMatch(b -> b.scorer() instanceof TestbedScorer && !b.chat()));

        Suite smoke = SuiteLoader.load(SuiteLoader.locate("smoke", home), home, null);
        assertEquals(10, smoke.benchmarks().getFirst().limit());
        assertEquals(5, smoke.benchmarks().get(1).limit());
        assertInstanceOf(ChoiceLoglikScorer.class, smoke.benchmarks().get(3).scorer());
    }

    @Test
    void defaultsMergeKeyByKeyAndBenchmarksWin() {
        Suite s = parse("""
                name: mine
                data_root: sets
                defaults:
                  chat: true
                  decoding: {temperature: 0.6, samples: 4}
                  stop: "###"
                benchmarks:
                  - id: a
                    group: math
                    data: a.jsonl.gz
                    fields: {reference: answer}
                    scorer: {type: boxed_math, mode: gsm8k}
                    decoding: {samples: 2}
                  - id: b
                    group: other
                    data: /abs/b.jsonl
                    fields: {choices: opts, gold: label}
                    scorer: {type: loglik_choice, metric: acc_norm}
                    chat: false
                """);
        assertEquals("mine", s.name());
        Benchmark a = s.benchmarks().get(0), b = s.benchmarks().get(1);
        assertEquals(new Decoding(0.6, 1, 1024, 2), a.decoding());
        assertTrue(a.chat());
        assertEquals(List.of("###"), a.stop());
        assertEquals(HOME.resolve("sets/a.jsonl.gz"), a.dataFile());
        assertEquals(Path.of("/abs/b.jsonl"), b.dataFile());
        assertFalse(b.chat());
        assertEquals("acc_norm", b.scorer().metric());
        assertEquals("{prompt}", b.prompt().source());
        assertNull(a.limit());
        assertEquals("my", parse(ONE).name());   // no name: the file name
    }

    @Test
    void errorsNameTheFileTheLineAndTheKey() {
        String unknown = error("""
                benchmarks:
                  - id: q
                    group: non
                    data: d.jsonl
                    scorer: yes_no
                    fields: {reference: answer}
                    decoding: {temprature: 0.5}
                """);
        assertTrue(unknown.startsWith("suites/my.yaml line 7, key benchmarks[0].decoding.temprature: unknown key 'temprature'"), unknown);
        assertTrue(unknown.contains("temperature"), unknown);

        String badTemp = error(ONE + "    decoding: {temperature: -1}\n");
        assertTrue(badTemp.startsWith("suites/my.yaml line 7, key benchmarks[0].decoding.temperature: temperature must be in [0, 100]"), badTemp);

        String topP = error(ONE + "    decoding: {top_p: 0}\n");
        assertTrue(topP.contains("key benchmarks[0].decoding.top_p") && topP.contains("(0, 1]"), topP);

        String samples = error(ONE + "    decoding: {samples: 1.5}\n");
        assertTrue(samples.contains("key benchmarks[0].decoding.samples: expected a whole number >= 1, got number 1.5"), samples);

        String group = error(ONE.replace("group: non", "group: reasoning"));
        assertTrue(group.startsWith("suites/my.yaml line 3, key benchmarks[0].group: group \"reasoning\""), group);

        String scorer = error(ONE.replace("scorer: yes_no", "scorer: {type: boxed, mode: math}"));
        assertTrue(scorer.contains("key benchmarks[0].scorer") && scorer.contains("unknown scorer type \"boxed\"") && scorer.contains("boxed_math"), scorer);

        String option = error(ONE.replace("scorer: yes_no", "scorer: {type: boxed_math, metric: acc}"));
        assertTrue(option.contains("key benchmarks[0].scorer.metric: scorer boxed_math has no option 'metric'"), option);

        String mode = error(ONE.replace("scorer: yes_no", "scorer: {type: boxed_math, mode: algebra}"));
        assertTrue(mode.contains("key benchmarks[0].scorer.mode: unknown mode 'algebra'"), mode);

        String needs = error(ONE.replace("fields: {reference: answer}", "fields: {id: key}"));
        assertTrue(needs.startsWith("suites/my.yaml line 5, key benchmarks[0].fields: scorer yes_no needs fields.reference"), needs);

        String missing = error(ONE.replace("    data: d.jsonl\n", ""));
        assertTrue(missing.startsWith("suites/my.yaml line 2, key benchmarks[0]: the benchmark has no data"), missing);

        String dup = error(ONE + ONE.replace("benchmarks:\n", ""));
        assertTrue(dup.contains("line 7") && dup.contains("benchmark id q is used twice (first at line 2)"), dup);

        String template = error(ONE + "    prompt: \"Q: {question\"\n");
        assertTrue(template.contains("line 7, key benchmarks[0].prompt") && template.contains("never closed"), template);

        String path = error(ONE.replace("{reference: answer}", "{reference: \"answer[x]\"}"));
        assertTrue(path.contains("key benchmarks[0].fields.reference") && path.contains("not a field path"), path);

        String top = error("benchmark:\n  - id: q\n");
        assertTrue(top.startsWith("suites/my.yaml line 1, key benchmark: unknown key 'benchmark' in a suite"), top);

        String syntax = error("benchmarks:\n  - id: q\n   group: non\n");
        assertTrue(syntax.startsWith("suites/my.yaml line 3: YAML syntax error"), syntax);

        String twice = error("name: a\nname: b\nbenchmarks: []\n");
        assertTrue(twice.contains("line 2, key name: written twice"), twice);

        String empty = error("name: a\nbenchmarks: []\n");
        assertTrue(empty.contains("line 2, key benchmarks: benchmarks must be a non-empty list"), empty);

        String id = error(ONE.replace("id: q", "id: \"a/b\""));
        assertTrue(id.contains("key benchmarks[0].id: id \"a/b\" may only use"), id);

        String defaultsId = error("defaults: {id: x}\n" + ONE);
        assertTrue(defaultsId.contains("key defaults.id: an id cannot be a default"), defaultsId);
    }

    @Test
    void locateFindsNamedSuitesAndListsThemOtherwise() {
        Path home = TestPaths.repoRoot();
        assertEquals(home.resolve("recipes/suites/smoke.yaml"), SuiteLoader.locate("smoke", home));
        String msg = assertThrows(RiftException.class, () -> SuiteLoader.locate("nosuch", home)).getMessage();
        assertTrue(msg.contains("--suite nosuch") && msg.contains("paper") && msg.contains("smoke") && msg.contains("testbed"), msg);
    }
}
