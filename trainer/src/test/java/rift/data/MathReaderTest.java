package rift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rift.TestPaths;
import rift.kernels.RiftException;

/** The readers on the real shipped files, compared with the raw JSON read independently. */
class MathReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path shipped(String rel) {
        return TestPaths.repoRoot().resolve("data").resolve(rel);
    }

    @Test
    void gsm8kSplitsSolutionAndFinalAnswer() {
        MathReader.Result train = MathReader.read(DataSpec.of(DataSpec.Format.GSM8K, shipped("gsm8k/train.jsonl.gz")));
        assertEquals(7473, train.examples().size());
        MathExample first = train.examples().getFirst();
        assertEquals("train.jsonl:1", first.id());
        assertTrue(first.prompt().startsWith("Natalia sold clips to 48 of her friends in April"));
        assertEquals("72", first.answer());
        assertEquals("Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.\n#### 72",
                first.solution());
        MathExample weng = train.examples().get(1);
        assertEquals("10", weng.answer());
        assertTrue(weng.solution().startsWith("Weng earns 12/60 = $0.2 per minute.\n"), weng.solution());
        // line 346 ends "#### 1,080": the gold answer loses the thousands separator, the solution keeps it
        MathExample adam = train.examples().get(345);
        assertEquals("train.jsonl:346", adam.source());
        assertEquals("1080", adam.answer());
        assertTrue(adam.solution().endsWith("#### 1,080"));

        MathReader.Result test = MathReader.read(DataSpec.of(DataSpec.Format.GSM8K, shipped("gsm8k/test.jsonl.gz")));
        assertEquals(1319, test.examples().size());
        assertEquals("18", test.examples().getFirst().answer());
        assertEquals("Janet sells 16 - 3 - 4 = 9 duck eggs a day.\nShe makes 9 * 2 = $18 every day at the farmer\u2019s market.\n#### 18",
                test.examples().getFirst().solution());
        assertEquals("14", test.examples().getLast().answer());
    }

    @Test
    void gsm8kAnswersAgreeWithAnIndependentSplitOnEveryRow() throws Exception {
        Path file = TestPaths.data("math/gsm8k/train.jsonl");
        List<String> lines = Files.readAllLines(file);
        List<MathExample> ex = MathReader.read(DataSpec.of(DataSpec.Format.GSM8K, file)).examples();
        assertEquals(lines.size(), ex.size());
        int annotations = 0;
        for (int i = 0; i < lines.size(); i++) {
            String worked = JSON.readTree(lines.get(i)).get("answer").asText();
            String[] parts = worked.split("\n#### ");
            assertEquals(2, parts.length);
            assertEquals(parts[1].replace(",", ""), ex.get(i).answer(), "line " + (i + 1));
            assertFalse(ex.get(i).solution().contains("<<"), "line " + (i + 1));
            assertFalse(ex.get(i).solution().contains(">>"), "line " + (i + 1));
            annotations += Gsm8k.countCalculatorAnnotations(worked);
        }
        assertEquals(23716, annotations, "annotations counted by the shared copy's python check");
    }

    @Test
    void gsm8kCanKeepCalculatorAnnotations() {
        DataSpec spec = DataSpec.of(DataSpec.Format.GSM8K, shipped("gsm8k/test.jsonl.gz")).withKeepCalculatorAnnotations(true);
        MathExample first = MathReader.read(spec).examples().getFirst();
        assertTrue(first.solution().startsWith("Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day."));
        assertEquals("18", first.answer());
    }

    @Test
    void mathLevelAndTypeFiltersMatchCountsFromTheRawRecords() throws Exception {
        Path file = shipped("math/train.jsonl.gz");
        Map<String, Integer> byLevel = new HashMap<>(), byType = new HashMap<>();
        for (String line : new String(ShippedDataTest.gunzip(file), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            JsonNode r = JSON.readTree(line);
            byLevel.merge(r.get("level").asText(), 1, Integer::sum);
            byType.merge(r.get("type").asText(), 1, Integer::sum);
        }
        // the counts SOURCE.md gives
        assertEquals(Map.of("Level 1", 564, "Level 2", 1348, "Level 3", 1592, "Level 4", 1690, "Level 5", 2304, "Level ?", 2), byLevel);
        DataSpec all = DataSpec.of(DataSpec.Format.MATH, file);

        MathReader.Result hard = MathReader.read(all.withFilter(Map.of("level", List.of("3", "4", "5"))));
        assertEquals(1592 + 1690 + 2304, hard.report().records() - hard.report().filteredOut());
        assertEquals(7500 - 5586, hard.report().filteredOut());
        // two Level 5 number-theory records have an empty \boxed{} answer (lines 5530 and 5532)
        assertEquals(2, hard.report().empty());
        assertEquals(5584, hard.examples().size());
        assertEquals(List.of(file + ":5530: field 'answer' is empty", file + ":5532: field 'answer' is empty"),
                hard.report().firstDropped());
        assertTrue(hard.examples().stream().allMatch(x -> x.meta().get("level").matches("Level [345]")));

        // the full text matches too, and "Algebra" must not pull in "Intermediate Algebra"
        MathReader.Result algebra = MathReader.read(all.withFilter(Map.of("type", List.of("Algebra", "Counting & Probability"))));
        assertEquals(byType.get("Algebra") + byType.get("Counting & Probability"), algebra.examples().size());
        assertEquals(1744 + 771, algebra.examples().size());

        MathExample first = hard.examples().getFirst();
        assertEquals("train/algebra/0.json", first.id());
        assertEquals("0", first.answer());
        assertEquals(Map.of("source", "train.jsonl:1", "level", "Level 5", "type", "Algebra"), first.meta());
    }

    @Test
    void math500IntegerLevelsFilterLikeMathsLevelText() {
        DataSpec spec = DataSpec.of(DataSpec.Format.MATH, shipped("math500/test.jsonl.gz"));
        assertEquals(105 + 128 + 134, MathReader.read(spec.withFilter(Map.of("level", List.of("3", "4", "5")))).examples().size());
        assertEquals(43, MathReader.read(spec.withFilter(Map.of("level", List.of("1")))).examples().size());
        MathExample first = MathReader.read(spec).examples().getFirst();
        assertEquals("test/precalculus/807.json", first.id());
        assertEquals("\\left( 3, \\frac{\\pi}{2} \\right)", first.answer());
        assertEquals("2", first.meta().get("level"));
    }

    @Test
    void boxedAnswerReproducesTheAnswerFieldOfEveryMathRecord() throws Exception {
        int checked = 0;
        for (String rel : List.of("math/train.jsonl.gz", "math500/test.jsonl.gz")) {
            for (MathExample x : MathReader.read(DataSpec.of(DataSpec.Format.MATH, shipped(rel))).examples()) {
                assertEquals(x.answer(), BoxedAnswer.last(x.solution()), x.id());
                checked++;
            }
        }
        assertEquals(8000 - 2, checked, "all but MATH train's two empty answers");
    }

    @Test
    void mathWithoutAnAnswerFieldTakesTheLastBoxed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.jsonl");
        Files.writeString(f, """
                {"problem": "p1", "solution": "first \\\\boxed{1} then \\\\boxed{\\\\frac{1}{2}}."}
                {"problem": "p2", "solution": "so $\\\\boxed 7$"}
                {"problem": "p3", "solution": "no box here"}
                """);
        assertEquals("\\frac{1}{2}", BoxedAnswer.last("first \\boxed{1} then \\boxed{\\frac{1}{2}}."));
        RiftException e = assertThrows(RiftException.class, () -> MathReader.read(DataSpec.of(DataSpec.Format.MATH, f)));
        assertTrue(e.getMessage().startsWith(f + ":3: field 'answer' missing, and field 'solution' has no \\boxed{}"), e.getMessage());
        MathReader.Result r = MathReader.read(DataSpec.of(DataSpec.Format.MATH, f).withOnBadRecord(DataSpec.OnBadRecord.SKIP));
        assertEquals(List.of("\\frac{1}{2}", "7"), r.examples().stream().map(MathExample::answer).toList());
        assertEquals(1, r.report().skipped());
    }

    @Test
    void olympiadBenchAndAimeThroughFieldMapping() {
        List<MathExample> ob = MathReader.read(DataSpec.of(DataSpec.Format.JSONL, shipped("olympiadbench/test.jsonl.gz"))
                .withFields(new DataSpec.Fields("question", "final_answer", "solution"))).examples();
        assertEquals(675, ob.size());
        MathExample x = ob.getFirst();
        assertEquals("1606", x.id());
        assertTrue(x.prompt().startsWith("Xenia and Sergey play the following game."));
        assertEquals("2", x.answer());
        assertTrue(x.solution().startsWith("Sergey can determine Xenia's number in 2 but not fewer moves."));
        assertEquals("Combinatorics", x.meta().get("subfield"));
        assertNull(x.meta().get("context"), "null fields are left out of meta");
        assertFalse(x.meta().containsKey("id"));

        List<MathExample> aime = MathReader.read(DataSpec.of(DataSpec.Format.MATH, shipped("aime24/test.jsonl.gz"))).examples();
        assertEquals(30, aime.size());
        assertEquals("60", aime.getFirst().id());
        assertEquals("204", aime.getFirst().answer());
        assertTrue(aime.stream().allMatch(a -> a.answer().matches("\\d{1,3}")));
    }

    @Test
    void gzAndPlainReadTheSame() {
        String[][] pairs = {{"gsm8k/test.jsonl.gz", "math/gsm8k/test.jsonl", "GSM8K"},
            {"math500/test.jsonl.gz", "math/math500/test.jsonl", "MATH"},
            {"math/train.jsonl.gz", "math/math_hendrycks/train.jsonl", "MATH"}};
        for (String[] p : pairs) {
            DataSpec.Format format = DataSpec.Format.valueOf(p[2]);
            MathReader.Result gz = MathReader.read(DataSpec.of(format, shipped(p[0])));
            MathReader.Result plain = MathReader.read(DataSpec.of(format, TestPaths.data(p[1])));
            assertNotNull(gz.examples());
            assertEquals(plain.examples(), gz.examples(), p[0]);
            ReadReport a = plain.report(), b = gz.report();
            assertEquals(List.of(a.records(), a.kept(), a.filteredOut(), a.empty(), a.skipped()),
                    List.of(b.records(), b.kept(), b.filteredOut(), b.empty(), b.skipped()));
        }
    }

    @Test
    void severalFilesAreReadInOrderAndCountedTogether() {
        DataSpec spec = new DataSpec(List.of(shipped("gsm8k/test.jsonl.gz"), shipped("gsm8k/train.jsonl.gz")),
                DataSpec.Format.GSM8K, null, null, DataSpec.OnBadRecord.ERROR, true, false, true);
        List<MathExample> both = new java.util.ArrayList<>();
        ReadReport report = MathReader.forEach(spec, both::add);
        assertEquals(1319 + 7473, both.size());
        assertEquals(1319 + 7473, report.kept());
        assertEquals("test.jsonl:1", both.getFirst().id());
        assertEquals("train.jsonl:1", both.get(1319).id());
        assertEquals("8792 records: kept 8792, filtered out 0, dropped 0 empty, skipped 0 bad", report.summary());
    }
}
