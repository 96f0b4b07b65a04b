package rift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.RiftException;

/** Bad lines: an error naming file, line and field, or (on_bad_record: skip) skipped and counted. */
class MalformedRecordsTest {
    @TempDir
    Path dir;

    private static final String GOOD = "{\"prompt\": \"1+1?\", \"answer\": \"2\", \"solution\": \"1+1=2\"}";

    /** Line i+1 of the file is lines[i]; each bad one is followed by good ones, so the line count is exact. */
    private Path write(String name, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    private static RiftException error(Path f) {
        return assertThrows(RiftException.class, () -> MathReader.read(DataSpec.of(DataSpec.Format.JSONL, f)));
    }

    private static MathReader.Result skipping(Path f) {
        return MathReader.read(DataSpec.of(DataSpec.Format.JSONL, f).withOnBadRecord(DataSpec.OnBadRecord.SKIP));
    }

    @Test
    void eachKindOfBadLineNamesFileLineAndField() throws IOException {
        record Case(String badLine, String expected) {}
        List<Case> cases = List.of(
                new Case("{\"prompt\": \"x\", \"answer\": ", "not valid JSON"),
                new Case("{\"prompt\": \"x\", \"answer\": \"1\"} trailing", "not valid JSON"),
                new Case("[1, 2]", "is a list, expected a JSON object"),
                new Case("{\"answer\": \"1\"}", "field 'prompt' missing (the record has fields [answer])"),
                new Case("{\"prompt\": null, \"answer\": \"1\"}", "field 'prompt' missing"),
                new Case("{\"prompt\": 12, \"answer\": \"1\"}", "field 'prompt' is a number, expected text"),
                new Case("{\"prompt\": \"x\"}", "field 'answer' missing"),
                new Case("{\"prompt\": \"x\", \"answer\": {\"v\": 1}}", "field 'answer' is an object, expected text, a number or a list"),
                new Case("{\"prompt\": \"x\", \"answer\": [true]}", "field 'answer' is a list, expected text, a number or a list"),
                new Case("{\"prompt\": \"x\", \"answer\": \"1\", \"solution\": 5}", "field 'solution' is a number, expected text"),
                new Case("{\"prompt\": \"x\", \"answer\": \"1\", \"prompt\": \"y\"}", "not valid JSON"));
        int n = 0;
        for (Case c : cases) {
            Path f = write("bad" + n++ + ".jsonl", GOOD, GOOD, "", c.badLine(), GOOD);
            RiftException e = error(f);
            // line 3 is blank: the bad record is on line 4, and blank lines still count as lines
            assertTrue(e.getMessage().startsWith(f + ":4: " + c.expected()), e.getMessage());
            assertTrue(e.getMessage().contains("on_bad_record: skip"), e.getMessage());
            MathReader.Result r = skipping(f);
            assertEquals(3, r.examples().size(), c.badLine());
            assertEquals(1, r.report().skipped());
            assertEquals(4, r.report().records());
            assertTrue(r.report().firstDropped().getFirst().startsWith(f + ":4: " + c.expected()));
            assertEquals("bad" + (n - 1) + ".jsonl:5", r.examples().getLast().source(), "reading goes on after the bad line");
        }
    }

    @Test
    void emptyFieldsAreDroppedAndCountedUnlessSomethingWorseIsWrong() throws IOException {
        Path f = write("e.jsonl", GOOD, "{\"prompt\": \"  \", \"answer\": \"1\"}", "{\"prompt\": \"x\", \"answer\": []}",
                "{\"prompt\": \"x\", \"answer\": \"1\", \"solution\": \"\"}", "{\"prompt\": \"\", \"answer\": 5.5, \"solution\": {}}", GOOD);
        // line 5 has an empty prompt, but its solution's type is the worse problem
        RiftException e = error(f);
        assertTrue(e.getMessage().startsWith(f + ":3: field 'answer' is an empty list, expected text"), e.getMessage());
        MathReader.Result r = skipping(f);
        assertEquals(2, r.report().kept());
        assertEquals(2, r.report().empty());
        assertEquals(2, r.report().skipped());
        assertEquals(List.of(f + ":2: field 'prompt' is empty", f + ":3: field 'answer' is an empty list, expected text,"
                + " a number or a list of those", f + ":4: field 'solution' is empty", f + ":5: field 'solution' is an object,"
                + " expected text or a list of text"), r.report().firstDropped());
        assertEquals("6 records: kept 2, filtered out 0, dropped 2 empty, skipped 2 bad (first: " + f + ":2: field 'prompt' is empty)",
                r.report().summary());
        // empties are dropped under on_bad_record: error as well
        Path g = write("g.jsonl", GOOD, "{\"prompt\": \"x\", \"answer\": \" \"}", GOOD);
        MathReader.Result strict = MathReader.read(DataSpec.of(DataSpec.Format.JSONL, g));
        assertEquals(2, strict.examples().size());
        assertEquals(1, strict.report().empty());
    }

    @Test
    void skipCountsEveryBadRecordAndKeepsTheFirstFiveReasons() throws IOException {
        String[] lines = new String[40];
        for (int i = 0; i < lines.length; i++) lines[i] = i % 3 == 1 ? "{\"prompt\": \"x\"}" : GOOD;
        Path f = write("many.jsonl", lines);
        RiftException e = error(f);
        assertTrue(e.getMessage().startsWith(f + ":2: field 'answer' missing"), e.getMessage());
        MathReader.Result r = skipping(f);
        assertEquals(13, r.report().skipped());
        assertEquals(27, r.report().kept());
        assertEquals(ReadReport.MAX_REASONS, r.report().firstDropped().size());
        assertTrue(r.report().firstDropped().get(4).startsWith(f + ":14: "), r.report().firstDropped().get(4));
        assertTrue(r.report().summary().startsWith("40 records: kept 27, filtered out 0, dropped 0 empty, skipped 13 bad (first: " + f + ":2:"));
    }

    @Test
    void invalidUtf8SpoilsOnlyItsLine() throws IOException {
        Path f = dir.resolve("utf8.jsonl");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes("{\"prompt\": \"caf".getBytes(StandardCharsets.UTF_8));
        b.write(0xE9); // Latin-1 e-acute: not UTF-8
        b.writeBytes("\", \"answer\": \"1\"}\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("{\"prompt\": \"caf\u00e9 \u2013 \u03c0\", \"answer\": \"1\"}".getBytes(StandardCharsets.UTF_8)); // no final newline
        Files.write(f, b.toByteArray());
        assertTrue(error(f).getMessage().startsWith(f + ":2: not valid UTF-8"), error(f).getMessage());
        MathReader.Result r = skipping(f);
        assertEquals(2, r.examples().size());
        assertEquals("caf\u00e9 \u2013 \u03c0", r.examples().get(1).prompt());
        assertEquals("utf8.jsonl:3", r.examples().get(1).id());
    }

    @Test
    void gsm8kAnswerWithoutFinalLineIsBad() throws IOException {
        Path f = write("g.jsonl", "{\"question\": \"q\", \"answer\": \"a <<1+1=2>>2\\n#### 2\"}",
                "{\"question\": \"q\", \"answer\": \"no final line\"}");
        RiftException e = assertThrows(RiftException.class, () -> MathReader.read(DataSpec.of(DataSpec.Format.GSM8K, f)));
        assertTrue(e.getMessage().startsWith(f + ":2: field 'answer' has no '#### N' final answer line"), e.getMessage());
        MathReader.Result r = MathReader.read(DataSpec.of(DataSpec.Format.GSM8K, f).withOnBadRecord(DataSpec.OnBadRecord.SKIP));
        assertEquals(1, r.examples().size());
        assertEquals("a 2\n#### 2", r.examples().getFirst().solution());
    }

    @Test
    void requiredSolutionMissingIsBadOtherwiseNull() throws IOException {
        Path f = write("s.jsonl", "{\"prompt\": \"x\", \"answer\": \"1\"}");
        assertEquals(null, MathReader.read(DataSpec.of(DataSpec.Format.JSONL, f)).examples().getFirst().solution());
        RiftException e = assertThrows(RiftException.class,
                () -> MathReader.read(DataSpec.of(DataSpec.Format.JSONL, f).withRequireSolution(true)));
        assertTrue(e.getMessage().startsWith(f + ":1: field 'solution' missing"), e.getMessage());
        assertTrue(e.getMessage().contains("data.fields.solution"), e.getMessage());
    }

    @Test
    void answersMayBeNumbersOrListsAndCustomFieldsMap() throws IOException {
        Path f = write("n.jsonl",
                "{\"q\": \"a\", \"a\": 27.0, \"s\": [\"first\", \"second\"], \"extra\": 3, \"obj\": {}}",
                "{\"q\": \"b\", \"a\": [\"$1$\", 2.50], \"s\": \"only\"}",
                "{\"q\": \"c\", \"a\": -12345678901234567890}");
        List<MathExample> ex = MathReader.read(DataSpec.of(DataSpec.Format.JSONL, f)
                .withFields(new DataSpec.Fields("q", "a", "s"))).examples();
        assertEquals("27", ex.get(0).answer());
        assertEquals("first", ex.get(0).solution());
        assertEquals(Map.of("source", "n.jsonl:1", "extra", "3"), ex.get(0).meta());
        assertEquals("$1$, 2.5", ex.get(1).answer());
        assertEquals("-12345678901234567890", ex.get(2).answer());
    }

    @Test
    void aFilterFieldNoRecordHasIsAnErrorNotAnEmptyDataSet() throws IOException {
        Path f = write("f.jsonl", GOOD, GOOD);
        RiftException e = assertThrows(RiftException.class, () -> MathReader.read(
                DataSpec.of(DataSpec.Format.JSONL, f).withFilter(Map.of("levle", List.of("3")))));
        assertTrue(e.getMessage().startsWith("data.filter.levle: no record of"), e.getMessage());
        assertTrue(e.getMessage().contains("[prompt, answer, solution]"), e.getMessage());
        assertThrows(RiftException.class, () -> DataSpec.of(DataSpec.Format.JSONL, f).withFilter(Map.of("level", List.of())));
    }

    @Test
    void filterValuesMatchWholeTextOrAnIntegerLastWord() {
        assertTrue(DataSpec.valueMatches("Level 3", "3"));
        assertTrue(DataSpec.valueMatches("Level 3", "Level 3"));
        assertTrue(DataSpec.valueMatches("3", "3"));
        assertTrue(DataSpec.valueMatches(" Algebra ", "Algebra"));
        assertTrue(!DataSpec.valueMatches("Level 3", "Level"));
        assertTrue(!DataSpec.valueMatches("Level 13", "3"));
        assertTrue(!DataSpec.valueMatches("Level ?", "3"));
        assertTrue(!DataSpec.valueMatches("Intermediate Algebra", "Algebra"));
    }

    @Test
    void gzipIsRecognisedByContentAndTruncationIsReported() throws IOException {
        String text = GOOD + "\n\n" + GOOD.replace("1+1?", "2+2?") + "\r\n";
        Path plain = dir.resolve("p.jsonl");
        Files.writeString(plain, text);
        Path gz = dir.resolve("p.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Path misnamed = dir.resolve("gz-without-suffix.jsonl");
        Files.copy(gz, misnamed);
        MathReader.Result a = MathReader.read(DataSpec.of(DataSpec.Format.JSONL, plain));
        assertEquals(a, MathReader.read(DataSpec.of(DataSpec.Format.JSONL, gz)));
        List<String> prompts = MathReader.read(DataSpec.of(DataSpec.Format.JSONL, misnamed)).examples().stream()
                .map(MathExample::prompt).toList();
        assertEquals(List.of("1+1?", "2+2?"), prompts);
        assertEquals("p.jsonl:3", a.examples().get(1).id());

        byte[] all = Files.readAllBytes(gz);
        Path cut = dir.resolve("cut.jsonl.gz");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 12));
        RiftException e = assertThrows(RiftException.class, () -> MathReader.read(DataSpec.of(DataSpec.Format.JSONL, cut)));
        assertTrue(e.getMessage().startsWith("cannot read data file " + cut), e.getMessage());

        Path none = dir.resolve("none.jsonl");
        RiftException missing = assertThrows(RiftException.class, () -> MathReader.read(DataSpec.of(DataSpec.Format.JSONL, none)));
        assertTrue(missing.getMessage().contains(none + " does not exist"), missing.getMessage());
    }
}
