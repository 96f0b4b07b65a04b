package rift.testbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import rift.cli.DataSynthCommand;
import rift.kernels.RiftException;

class DataSynthCommandTest {
    static final String SIZES = "pretrain=400,sft=60,rl=30,eval=20";

    record Run(int code, String out, String err) {}

    static Run synth(String... args) {
        CommandLine cl = new CommandLine(new DataSynthCommand());
        // As rift.cli.Main does: a RiftException is a one-line user error with exit code 2.
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof RiftException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The shipped data/testbed is exactly what `rift data synth --seed 0` writes (its SOURCE.md says so). */
    @Test
    void shippedTestbedIsReproducible(@TempDir Path tmp) throws java.io.IOException {
        Path dir = tmp.resolve("tb");
        assertEquals(0, synth("--out", dir.toString(), "--seed", "0").code());
        Path shipped = rift.TestPaths.repoRoot().resolve("data/testbed");
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                Path twin = shipped.resolve(dir.relativize(f).toString());
                org.junit.jupiter.api.Assertions.assertArrayEquals(java.nio.file.Files.readAllBytes(twin), java.nio.file.Files.readAllBytes(f),
                        "data/testbed/" + dir.relativize(f) + " differs from a fresh `rift data synth --seed 0`");
            }
        }
    }

    @Test
    void writesEverySetWithTheRightFieldsAndCounts(@TempDir Path tmp) {
        Path dir = tmp.resolve("tb");
        Run r = synth("--out", dir.toString(), "--seed", "5", "--sizes", SIZES);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pretrain.jsonl.gz") && r.out().contains("tokenizer.json"), r.out());

        List<JsonNode> pre = TestbedFiles.readJsonlGz(dir.resolve("pretrain.jsonl.gz"));
        assertEquals(400, pre.size());
        for (JsonNode n : pre) assertEquals(List.of("text"), fieldNames(n));
        assertEquals(PretrainCorpus.documents(5, 400), pre.stream().map(n -> n.get("text").asText()).toList());

        List<JsonNode> sft = TestbedFiles.readJsonlGz(dir.resolve("math_sft.jsonl.gz"));
        assertEquals(60, sft.size());
        for (int i = 0; i < sft.size(); i++) {
            JsonNode n = sft.get(i);
            assertEquals(List.of("prompt", "completion", "answer"), fieldNames(n));
            Item it = TestbedSets.mathProblem(5, i);
            assertEquals(it.prompt(), n.get("prompt").asText());
            assertEquals(it.trace(), n.get("completion").asText());
            assertTrue(Family.MATH.check(it, n.get("completion").asText()));
        }
        List<JsonNode> rl = TestbedFiles.readJsonlGz(dir.resolve("math_rl.jsonl.gz"));
        assertEquals(30, rl.size());
        for (int i = 0; i < rl.size(); i++) {
            assertEquals(List.of("prompt", "answer"), fieldNames(rl.get(i)));
            assertEquals(sft.get(i).get("prompt"), rl.get(i).get("prompt"), "RL problems are the first SFT problems");
        }

        Set<String> training = new HashSet<>();
        pre.forEach(n -> training.add(n.get("text").asText()));
        Set<String> trainingPrompts = TestbedSets.trainingPrompts(5, 400, 60);
        for (Family f : Family.values()) {
            List<Item> items = TestbedFiles.readEval(dir.resolve("eval").resolve(f.key() + ".jsonl.gz"));
            assertEquals(20, items.size());
            List<Item> expected = TestbedSets.eval(f, 5, 20, trainingPrompts).items();
            for (int i = 0; i < items.size(); i++) {
                Item got = items.get(i), want = expected.get(i);
                assertEquals(List.of(want.id(), want.prompt(), want.answer()), List.of(got.id(), got.prompt(), got.answer()));
                assertEquals(want.fields(), got.fields(), "fields survive the JSON round trip");
                assertEquals(f.check(want, "\\boxed{x}"), f.check(got, "\\boxed{x}"));
                assertTrue(!trainingPrompts.contains(got.prompt()));
            }
        }
        assertTrue(Files.exists(dir.resolve("tokenizer.json")) && Files.exists(dir.resolve("tokenizer_config.json")));
    }

    @Test
    void sameSeedGivesIdenticalBytesAndAnotherSeedDiffers(@TempDir Path tmp) throws IOException {
        assertEquals(0, synth("--out", tmp.resolve("a").toString(), "--sizes", SIZES).code());
        assertEquals(0, synth("--out", tmp.resolve("b").toString(), "--sizes", SIZES).code());
        assertEquals(0, synth("--out", tmp.resolve("c").toString(), "--sizes", SIZES, "--seed", "1").code());
        for (String f : List.of("pretrain.jsonl.gz", "math_sft.jsonl.gz", "math_rl.jsonl.gz", "eval/judge.jsonl.gz", "tokenizer.json"))
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
        assertNotEquals(Files.size(tmp.resolve("a/pretrain.jsonl.gz")) + "" + Files.readString(tmp.resolve("a/tokenizer.json")).length(),
                Files.size(tmp.resolve("c/pretrain.jsonl.gz")) + "" + Files.readString(tmp.resolve("c/tokenizer.json")).length());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a/tokenizer.json")), Files.readAllBytes(tmp.resolve("c/tokenizer.json")),
                "the tokenizer does not depend on the seed");
    }

    @Test
    void refusesANonEmptyDirectoryUnlessForced(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("tb");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("keep.txt"), "mine");
        Run r = synth("--out", dir.toString(), "--sizes", SIZES);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--force"), r.err());
        assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
        assertTrue(!Files.exists(dir.resolve("pretrain.jsonl.gz")));

        assertEquals(0, synth("--out", dir.toString(), "--sizes", SIZES, "--force").code());
        assertTrue(!Files.exists(dir.resolve("keep.txt")));
        assertTrue(Files.exists(dir.resolve("eval/math.jsonl.gz")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(dir), s.toList(), "no temp or backup directories are left beside the output");
        }
        // An existing empty directory is fine without --force.
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(0, synth("--out", empty.toString(), "--sizes", SIZES).code());
    }

    @Test
    void rejectsBadSizes(@TempDir Path tmp) {
        for (String bad : List.of("pretrain=x", "bogus=3", "eval=-1", "sft")) {
            Run r = synth("--out", tmp.resolve("x").toString(), "--sizes", bad);
            assertEquals(2, r.code(), bad);
            assertTrue(r.err().contains("--sizes"), r.err());
            assertTrue(!Files.exists(tmp.resolve("x")));
        }
        // A subset of keys keeps the other defaults.
        Run ok = synth("--out", tmp.resolve("y").toString(), "--sizes", "pretrain=16,sft=4,rl=2,eval=3");
        assertEquals(0, ok.code(), ok.err());
        assertEquals(3, TestbedFiles.readEval(tmp.resolve("y/eval/plan.jsonl.gz")).size());
    }

    @Test
    void readEvalRejectsACorruptRecord(@TempDir Path tmp) throws IOException {
        Item it = Family.INSTRUCT.generate(1, 0);
        var rec = TestbedFiles.evalRecord(it.withId("x"));
        rec.put("answer", "Not following anything");
        Path f = tmp.resolve("bad.jsonl.gz");
        TestbedFiles.writeJsonlGz(f, List.of(rec));
        RiftException e = org.junit.jupiter.api.Assertions.assertThrows(RiftException.class, () -> TestbedFiles.readEval(f));
        assertTrue(e.getMessage().contains("bad.jsonl.gz record 1"), e.getMessage());
        var rec2 = TestbedFiles.evalRecord(Family.PLAN.generate(1, 1).withId("y"));
        rec2.remove("width");
        TestbedFiles.writeJsonlGz(f, List.of(rec2));
        e = org.junit.jupiter.api.Assertions.assertThrows(RiftException.class, () -> TestbedFiles.readEval(f));
        assertTrue(e.getMessage().contains("width"), e.getMessage());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
