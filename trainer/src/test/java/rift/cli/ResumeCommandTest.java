package rift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.TestPaths;
import rift.kernels.RiftException;

/** {@code rift resume RUN_DIR} continues the run in RUN_DIR, wherever the run started: never writes the remaining steps elsewhere. */
class ResumeCommandTest {
    @TempDir
    Path tmp;

    /** A two-step SFT run of a tiny model, checkpointed after each step, in {@code runDir}. */
    private void train(Path runDir) throws IOException {
        Path data = tmp.resolve("train.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++)
            sb.append(String.format("{\"prompt\": \"What is %d plus 1?\", \"solution\": \"It is %d.\", \"answer\": \"%d\"}%n", i, i + 1, i + 1));
        Files.writeString(data, sb.toString());
        Path recipe = tmp.resolve("tiny.yaml");
        Files.writeString(recipe, """
                method: sft
                model:
                  config: {arch: qwen3, vocab_size: 512, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
                           num_key_value_heads: 1, intermediate_size: 32, max_position_embeddings: 64}
                  tokenizer: %s
                data: {train: [%s], format: jsonl, max_prompt_tokens: 32, max_seq_len: 64}
                optim: {lr: 1.0e-3}
                schedule: {max_steps: 2, global_batch: 4, micro_batch: 4}
                checkpoint: {every: 1}
                run_dir: %s
                threads: 1
                """.formatted(TestPaths.repoRoot().resolve("data/tokenizers/tok512"), data, runDir));
        CliRun.Result r = CliRun.run(new TrainCommand(), recipe.toString());
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(0, r.code());
    }

    @Test
    void aMovedRunContinuesWhereItNowIsNotInItsOldPlace() throws IOException {
        Path started = tmp.resolve("started");
        train(started);
        Files.delete(started.resolve("step-2/DONE")); // torn last checkpoint: there is something left to resume
        Path moved = tmp.resolve("moved");
        Files.move(started, moved);

        CliRun.Result r = CliRun.run(new ResumeCommand(), moved.toString());
        assertNull(r.error(), String.valueOf(r.error()));
        assertEquals(0, r.code());
        assertTrue(Files.exists(moved.resolve("step-2/DONE")), "resumed in the moved run directory, the last step written again");
        assertFalse(Files.exists(started), "nothing may be written to the recipe's old run_dir");
    }
}
