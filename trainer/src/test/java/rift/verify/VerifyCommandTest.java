package rift.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import rift.cli.VerifyCommand;
import rift.kernels.RiftException;

/** {@code rift verify}: one verdict as JSON, batch JSONL in and out, and errors that name file and line. */
class VerifyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Runs the command and returns its stdout; RiftExceptions propagate (Main's handler prints them). */
    private static String run(String... args) throws Exception {
        VerifyCommand cmd = new VerifyCommand();
        CommandLine cl = new CommandLine(cmd);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.parseArgs(args);
        assertEquals(0, cmd.call());
        return out.toString();
    }

    @Test
    void printsOneVerdictAsJson() throws Exception {
        JsonNode v = JSON.readTree(run("--response", "So $x = \\boxed{\\dfrac12}$.", "--reference", "0.5"));
        assertEquals(true, v.get("correct").asBoolean());
        assertEquals("\\dfrac12", v.get("extracted").asText());
        assertEquals("\\frac{1}{2}", v.get("normalized").asText());
        assertEquals("numeric", v.get("reason").asText());
        assertEquals(List.of("correct", "extracted", "normalized", "reason"), fieldNames(v));

        JsonNode g = JSON.readTree(run("--response", "9 * 2 = 18\nA: 18", "--reference", "#### 18", "--mode", "gsm8k"));
        assertTrue(g.get("correct").asBoolean());
        JsonNode none = JSON.readTree(run("--response", "no idea", "--reference", "3"));
        assertTrue(none.get("extracted").isNull());
        assertEquals("no-answer-found", none.get("reason").asText());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void batchPrintsOneLinePerRecord() throws Exception {
        Path file = dir.resolve("in.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"response\": \"\\\\boxed{(1,2]}\", \"reference\": \"[1,2]\"}",
                "{\"response\": \"The answer is 42.\\n#### 42\", \"reference\": \"#### 42\", \"mode\": \"gsm8k\"}",
                "",
                "{\"response\": \"\\\\boxed{1}\", \"reference\": 1}") + "\n");
        String[] lines = run("--batch", file.toString()).strip().split("\n");
        assertEquals(3, lines.length);
        assertEquals("mismatch", JSON.readTree(lines[0]).get("reason").asText());
        assertEquals("exact", JSON.readTree(lines[1]).get("reason").asText());
        assertTrue(JSON.readTree(lines[2]).get("correct").asBoolean());
    }

    @Test
    void malformedBatchLinesNameFileAndLine() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        String good = "{\"response\": \"\\\\boxed{1}\", \"reference\": \"1\"}";
        String[][] bad = {
            {"{not json", "not valid JSON"},
            {"[1, 2]", "expected a JSON object"},
            {"{\"response\": \"\\\\boxed{1}\"}", "missing field \"reference\""},
            {"{\"response\": 5, \"reference\": \"1\"}", "field \"response\" must be a string"},
            {"{\"response\": \"x\", \"reference\": \"1\", \"mode\": \"algebra\"}", "unknown mode 'algebra'"},
        };
        for (String[] b : bad) {
            Files.writeString(file, good + "\n" + b[0] + "\n");
            RiftException e = assertThrows(RiftException.class, () -> run("--batch", file.toString()), b[0]);
            assertTrue(e.getMessage().contains(file + ":2"), e.getMessage());
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
        RiftException missing = assertThrows(RiftException.class, () -> run("--batch", dir.resolve("nope.jsonl").toString()));
        assertTrue(missing.getMessage().contains("nope.jsonl"), missing.getMessage());
    }

    @Test
    void badArgumentsAreUserErrors() {
        assertThrows(RiftException.class, () -> run("--response", "\\boxed{1}"));
        assertThrows(RiftException.class, () -> run("--response", "\\boxed{1}", "--reference", "1", "--mode", "gsm9k"));
        assertThrows(RiftException.class, () -> run("--batch", "x.jsonl", "--response", "\\boxed{1}"));
    }
}
