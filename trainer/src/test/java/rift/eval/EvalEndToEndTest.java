package rift.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import rift.TestPaths;
import rift.cli.CliRun;
import rift.cli.EvalCommand;
import rift.eval.ti.ScoreTable;
import rift.io.DType;
import rift.kernels.RiftException;
import rift.kernels.cpu.CpuBackend;
import rift.model.ModelConfig;
import rift.model.ModelIO;
import rift.model.Weights;
import rift.testbed.TestbedVocab;

/**
 * {@code rift eval} end to end: a tiny random Qwen3-shaped model with the testbed's word-level tokenizer
 * (small, so the test is fast; real benchmark text partly becomes {@code <unk>}, which is fine here)
 * runs the shipped smoke suite (every benchmark, --limit 3, 8 new tokens) twice, and the testbed suite
 * on a freshly synthesised testbed.
 */
class EvalEndToEndTest {
    @TempDir
    static Path tmp;

    static Path model, root;

    @BeforeAll
    static void setUp() throws IOException {
        var be = new CpuBackend();
        TestbedVocab vocab = TestbedVocab.standard();
        // the embedding is wider than the tokenizer (as Qwen3's 151,936 rows for 151,669 ids): ids past the
        // tokenizer may be sampled from a random model and must be dropped when decoding
        ModelConfig c = new ModelConfig(ModelConfig.Arch.QWEN3, vocab.size() + 5, 16, 1, 2, 1, 8, 32, 1e6, 1e-6f, true, 2048, null, false,
                false, -1, new int[] {vocab.id(TestbedVocab.IM_END), vocab.id(TestbedVocab.END_OF_TEXT)}, 0, 0.5);
        model = tmp.resolve("tiny");
        ModelIO.save(model, c, Weights.random(c, be, 3), be, DType.F32);
        Files.writeString(model.resolve("tokenizer.json"), vocab.tokenizerJson());
        Files.writeString(model.resolve("tokenizer_config.json"), vocab.tokenizerConfigJson());
        // the data root: the eval sets shipped in this repository, and the math sets from shared/data gzipped
        // as data/ holds them
        root = tmp.resolve("root");
        Path shipped = TestPaths.repoRoot().resolve("data/eval");
        try (Stream<Path> files = Files.walk(shipped)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = root.resolve("data/eval").resolve(shipped.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        gzip(TestPaths.data("math/gsm8k/test.jsonl"), root.resolve("data/gsm8k/test.jsonl.gz"));
        gzip(TestPaths.data("math/math500/test.jsonl"), root.resolve("data/math500/test.jsonl.gz"));
    }

    static void gzip(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = Files.newInputStream(from); OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            in.transferTo(out);
        }
    }

    static CliRun.Result eval(String... args) {
        return CliRun.run(new EvalCommand(), args);
    }

    static CliRun.Result smoke(Path out) {
        return eval(model.toString(), "--suite", "smoke", "--limit", "3", "--max-new-tokens", "8", "--data-root", root.toString(),
                "--out", out.toString(), "--model-name", "tiny", "--base-name", "base", "--batch", "4");
    }

    static final List<String> BENCHMARKS = List.of("gsm8k-smoke", "math500-smoke", "mmlu-letter-smoke", "mmlu-loglik-smoke",
            "ifeval-smoke", "halueval-smoke");

    @Test
    void smokeSuiteWritesDeterministicResultsThatTiCanRead() throws IOException {
        Path out1 = tmp.resolve("out1"), out2 = tmp.resolve("out2");
        CliRun.Result r1 = smoke(out1);
        assertNull(r1.error(), () -> String.valueOf(r1.error()));
        assertEquals(0, r1.code());
        CliRun.Result r2 = smoke(out2);
        assertEquals(0, r2.code());

        ObjectMapper json = new ObjectMapper();
        for (String f : List.of("scores.csv", "scores.json")) {
            assertArrayEquals(Files.readAllBytes(out1.resolve(f)), Files.readAllBytes(out2.resolve(f)), f + " differs between two runs");
        }
        for (String b : BENCHMARKS) {
            List<String> a = Files.readAllLines(out1.resolve(b + ".jsonl")), c = Files.readAllLines(out2.resolve(b + ".jsonl"));
            assertEquals(a.size(), c.size(), b);
            for (int i = 0; i < a.size(); i++) sameRecord(json.readTree(a.get(i)), json.readTree(c.get(i)), b + " line " + (i + 1));
        }

        JsonNode scores = json.readTree(out1.resolve("scores.json").toFile());
        assertEquals("tiny", scores.get("model").asText());
        assertEquals("base", scores.get("base").asText());
        assertEquals(BENCHMARKS.size(), scores.get("benchmarks").size());
        for (JsonNode b : scores.get("benchmarks")) {
            double s = b.get("score").asDouble();
            assertTrue(s >= 0 && s <= 100, b.toString());
            assertTrue(b.get("ci_low").asDouble() <= s && s <= b.get("ci_high").asDouble(), b.toString());
            assertEquals(3, b.get("items").asInt(), b.toString());
            assertEquals(b.get("metric").asText(), b.get("sub_metrics").fieldNames().next(), b.toString());
        }
        JsonNode ifeval = scores.get("benchmarks").get(4);
        assertEquals("instruction_strict", ifeval.get("metric").asText());
        assertEquals(4, ifeval.get("sub_metrics").size());
        assertEquals(8, scores.get("benchmarks").get(0).get("decoding").get("max_new_tokens").asInt());

        // per-item records: 3 items; math500 has 2 samples each; loglik items have option log-probs
        List<String> math = Files.readAllLines(out1.resolve("math500-smoke.jsonl"));
        assertEquals(3, math.size());
        JsonNode m0 = json.readTree(math.getFirst());
        assertEquals(2, m0.get("responses").size());
        assertTrue(m0.get("prompt").asText().startsWith("<|im_start|>user\nProblem: "), m0.get("prompt").asText());
        assertTrue(m0.get("prompt").asText().endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n"));
        JsonNode mc = json.readTree(Files.readAllLines(out1.resolve("mmlu-loglik-smoke.jsonl")).getFirst());
        assertEquals(4, mc.get("details").get(0).get("logprobs").size());
        assertEquals(0, mc.get("responses").size());
        assertTrue(mc.get("prompt").asText().endsWith("\nAnswer:"));   // chat: false for this one

        // the seeded subset picks the same items as the sampling streams would in a full run
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(out1.resolve("gsm8k-smoke.jsonl"))) ids.add(json.readTree(line).get("id").asText());
        assertEquals(3, ids.size());

        // stderr: one progress line per benchmark at least
        for (String b : BENCHMARKS) assertTrue(r1.err().contains("eval " + b + ": 3/3 ") || r1.err().contains("eval " + b + ": 6/6 "), r1.err());
        assertTrue(r1.out().contains("gsm8k-smoke") && r1.out().contains("95% CI"), r1.out());

        // scores.csv is rift ti's input: add the base's rows (here the same scores) and read it back
        List<String> rows = Files.readAllLines(out1.resolve("scores.csv"));
        assertEquals("model,base,benchmark,group,score", rows.getFirst());
        List<String> table = new ArrayList<>(rows);
        for (String row : rows.subList(1, rows.size())) table.add(row.replace("tiny,base,", "base,,"));
        Path both = tmp.resolve("both.csv");
        Files.write(both, table);
        ScoreTable t = ScoreTable.readCsv(both);
        assertEquals(List.of("tiny"), t.evaluatedModels());
        assertEquals(BENCHMARKS.size(), t.scores("tiny").size());
        assertEquals(scores.get("benchmarks").get(0).get("score").asDouble(), t.scores("tiny").get("gsm8k-smoke").score(), 1e-4);
    }

    /**
     * Two runs' records are equal, except that summed option log-probs may differ in their last bits: the
     * CPU kernels' vector lane reductions (reduceLanes ADD in the attention kernels) change order once the
     * JIT compiles them, so a cold and a warm forward of the same batch can differ by about 1e-7 relative.
     */
    static void sameRecord(JsonNode a, JsonNode b, String where) {
        if (a.isObject() && a.has("logprobs")) {
            JsonNode x = a.get("logprobs"), y = b.get("logprobs");
            assertEquals(x.size(), y.size(), where);
            for (int i = 0; i < x.size(); i++) assertEquals(x.get(i).asDouble(), y.get(i).asDouble(), 1e-4 * Math.max(1, Math.abs(x.get(i).asDouble())), where);
            var ac = ((com.fasterxml.jackson.databind.node.ObjectNode) a.deepCopy()).without("logprobs");
            var bc = ((com.fasterxml.jackson.databind.node.ObjectNode) b.deepCopy()).without("logprobs");
            assertEquals(ac, bc, where);
            return;
        }
        if (a.isContainerNode()) {
            assertEquals(a.size(), b.size(), where);
            assertEquals(a.getNodeType(), b.getNodeType(), where);
            if (a.isArray()) for (int i = 0; i < a.size(); i++) sameRecord(a.get(i), b.get(i), where);
            else a.fieldNames().forEachRemaining(f -> sameRecord(a.get(f), b.get(f), where + " ." + f));
            return;
        }
        assertEquals(a, b, where);
    }

    @Test
    void testbedSuiteRunsOnASynthesisedTestbed() throws IOException {
        Path tb = tmp.resolve("testbed");
        CommandLine synth = new CommandLine(new rift.cli.DataSynthCommand());
        synth.setOut(new PrintWriter(new StringWriter()));
        int code = synth.execute("--out", tb.toString(), "--sizes", "pretrain=0,sft=0,rl=0,eval=4");
        assertEquals(0, code);
        Path out = tmp.resolve("tb-out");
        CliRun.Result r = eval(model.toString(), "--suite", "testbed", "--data-root", tb.toString(), "--limit", "2", "--max-new-tokens", "6",
                "--out", out.toString(), "--model-name", "tiny-tb");
        assertNull(r.error(), () -> String.valueOf(r.error()));
        ObjectMapper json = new ObjectMapper();
        JsonNode scores = json.readTree(out.resolve("scores.json").toFile());
        assertEquals(8, scores.get("benchmarks").size());
        assertEquals(3, scores.get("group_means").size());
        for (JsonNode b : scores.get("benchmarks")) {
            assertEquals("testbed", b.get("scorer").asText());
            assertEquals(2, b.get("items").asInt());
        }
        JsonNode first = json.readTree(Files.readAllLines(out.resolve("plan.jsonl")).getFirst());
        assertTrue(first.get("id").asText().startsWith("plan-eval-"), first.toString());
        assertEquals("plan", first.get("details").get(0).get("family").asText());
    }

    @Test
    void onlySelectsBenchmarksAndBadOptionsAreExplained() {
        Path out = tmp.resolve("only");
        CliRun.Result r = eval(model.toString(), "--suite", "smoke", "--limit", "2", "--max-new-tokens", "4", "--data-root", root.toString(),
                "--out", out.toString(), "--only", "halueval-smoke", "--chat", "off");
        assertEquals(0, r.code(), () -> String.valueOf(r.error()));
        assertTrue(Files.exists(out.resolve("halueval-smoke.jsonl")));
        assertTrue(Files.notExists(out.resolve("gsm8k-smoke.jsonl")));

        CliRun.Result unknown = eval(model.toString(), "--suite", "smoke", "--only", "nope", "--data-root", root.toString(), "--out", out.toString());
        assertTrue(assertInstanceOf(RiftException.class, unknown.error()).getMessage().contains("--only nope"));
        CliRun.Result device = eval(model.toString(), "--suite", "smoke", "--device", "cuda");
        // no GPU here: a clear error naming the device and the CPU alternative
        String deviceMsg = assertInstanceOf(RiftException.class, device.error()).getMessage();
        assertTrue(deviceMsg.contains("device 'cuda'") && deviceMsg.contains("--device cpu"), deviceMsg);
        CliRun.Result missingData = eval(model.toString(), "--suite", "smoke", "--only", "gsm8k-smoke", "--data-root", tmp.resolve("nowhere").toString());
        String msg = assertInstanceOf(RiftException.class, missingData.error()).getMessage();
        assertTrue(msg.contains("benchmark gsm8k-smoke") && msg.contains("smoke.yaml") && msg.contains("does not exist"), msg);
    }

    /** The shipped eval sets are complete gzip files of the documented sizes. */
    @Test
    void shippedEvalDataHasTheDocumentedRecordCounts() throws IOException {
        Path data = TestPaths.repoRoot().resolve("data/eval");
        assertEquals(541, lines(data.resolve("ifeval/input_data.jsonl.gz")));
        assertEquals(3018, lines(data.resolve("mmlu_stem/test.jsonl.gz")));
        assertEquals(1000, lines(data.resolve("halueval/general_1000.jsonl.gz")));
    }

    static long lines(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
        }
    }
}
