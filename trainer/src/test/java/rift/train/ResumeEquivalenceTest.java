package rift.train;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.TestPaths;
import rift.checkpoint.CheckpointReader;
import rift.kernels.cpu.CpuBackend;
import rift.kernels.cpu.CpuTensor;
import rift.recipe.Recipe;

/**
 * The resume invariant, for SFT and GRPO: training N steps in one go equals training k steps, stopping
 * (a fresh process state: new model, optimizer, data order built from the checkpoint), and training
 * the remaining N-k steps — bitwise in weights, optimizer moments and every logged loss.
 */
class ResumeEquivalenceTest {
    @TempDir
    Path tmp;

    private Path writeData() throws IOException {
        Path f = tmp.resolve("train.jsonl");
        StringBuilder sb = new StringBuilder();
        String[] words = {"one", "two", "three", "four", "five", "six", "seven"};
        for (int i = 0; i < 23; i++) {
            int a = i % 5 + 1, b = i % 3 + 2;
            sb.append(String.format("{\"prompt\": \"What is %d plus %d?\", \"solution\": \"%d plus %d is %d. The answer is \\\\boxed{%d}.\", \"answer\": \"%d\"}%n",
                    a, b, a, b, a + b, a + b, a + b));
        }
        Files.writeString(f, sb.toString());
        return f;
    }

    private Recipe recipe(String method, Path data, Path runDir, String... extra) throws IOException {
        Path tok = TestPaths.repoRoot().resolve("data/tokenizers/tok512");
        String yaml = """
                method: %s
                model:
                  config: {arch: qwen3, vocab_size: 512, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4,
                           num_key_value_heads: 2, intermediate_size: 64, max_position_embeddings: 256}
                  tokenizer: %s
                data:
                  train: [%s]
                  format: jsonl
                  prompt_template: "Q: {prompt}\\nA: "
                  max_prompt_tokens: 96
                  max_seq_len: 160
                optim: {lr: 3.0e-3, weight_decay: 0.1, grad_clip: 1.0}
                schedule: {max_steps: 4, global_batch: 4, micro_batch: 3, warmup_steps: 1, lr_schedule: cosine}
                grpo: {num_generations: 3, max_new_tokens: 12, temperature: 1.0, mini_batch: 2, mu: 2, epsilon_high: 0.28}
                seed: 3
                run_dir: %s
                threads: 2
                """.formatted(method, tok, data, runDir);
        Path f = tmp.resolve(method + "-" + runDir.getFileName() + ".yaml");
        Files.writeString(f, yaml);
        return Recipe.load(f, List.of(extra));
    }

    record Final(List<Double> losses, List<float[]> weights, List<float[]> moments) {}

    private Final finish(RunContext ctx, JsonNode metrics) {
        List<Double> losses = new ArrayList<>();
        for (JsonNode n : ctx.metrics.history()) losses.add(n.path("loss").asDouble());
        List<float[]> w = new ArrayList<>(), m = new ArrayList<>();
        for (var t : ctx.model.weights.named().values()) w.add(CpuTensor.of(t).clone());
        for (var t : ctx.optimizer.m.named().values()) m.add(CpuTensor.of(t).clone());
        for (var t : ctx.optimizer.v.named().values()) m.add(CpuTensor.of(t).clone());
        return new Final(losses, w, m);
    }

    private void assertSame(Final a, Final b) {
        assertEquals(a.losses(), b.losses(), "every logged loss");
        for (int i = 0; i < a.weights().size(); i++) assertArrayEquals(a.weights().get(i), b.weights().get(i), "weights " + i);
        for (int i = 0; i < a.moments().size(); i++) assertArrayEquals(a.moments().get(i), b.moments().get(i), "moments " + i);
    }

    private Final runStraight(String method, Path data) throws IOException {
        Path dir = tmp.resolve(method + "-straight");
        RunContext ctx = new RunContext(recipe(method, data, dir), dir);
        if (method.equals("sft")) new SftTrainer(ctx, null).train();
        else new GrpoTrainer(ctx, null).train();
        return finish(ctx, null);
    }

    private Final runResumed(String method, Path data) throws IOException {
        Path dir = tmp.resolve(method + "-resumed");
        Recipe r = recipe(method, data, dir);
        RunContext first = new RunContext(r, dir);
        if (method.equals("sft")) {
            SftTrainer t = new SftTrainer(first, null);
            t.step();
            t.step();
            t.save();
        } else {
            GrpoTrainer t = new GrpoTrainer(first, null);
            t.step();
            t.step();
            t.save();
        }
        // a new process: everything rebuilt from the recipe and the checkpoint
        Path step = CheckpointReader.latestComplete(dir).orElseThrow();
        var ck = CheckpointReader.read(step, new CpuBackend());
        RunContext second = new RunContext(r, dir);
        if (method.equals("sft")) new SftTrainer(second, ck).train();
        else new GrpoTrainer(second, ck).train();
        return finish(second, null);
    }

    @Test
    void sftResumeIsBitExact() throws IOException {
        Path data = writeData();
        assertSame(runStraight("sft", data), runResumed("sft", data));
    }

    @Test
    void grpoResumeIsBitExact() throws IOException {
        Path data = writeData();
        Final a = runStraight("grpo", data), b = runResumed("grpo", data);
        assertEquals(4, a.losses().size());
        assertSame(a, b);
    }

    /** grpo.log_completions writes one JSON line per completion of the step, with its reward and advantage. */
    @Test
    void grpoLogsCompletionsWhenAsked() throws IOException {
        Path data = writeData();
        Path dir = tmp.resolve("grpo-log");
        RunContext ctx = new RunContext(recipe("grpo", data, dir, "grpo.log_completions=true"), dir);
        new GrpoTrainer(ctx, null).step();
        List<String> lines = Files.readAllLines(dir.resolve("completions/step-1.jsonl"));
        assertEquals(4 * 3, lines.size(), "global_batch 4 prompts x 3 completions");
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        for (String f : List.of("prompt", "completion", "reward", "advantage", "correct", "finish", "reference"))
            assertTrue(first.has(f), f);
    }
}
