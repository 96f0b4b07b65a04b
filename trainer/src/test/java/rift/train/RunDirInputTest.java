package rift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.TestPaths;
import rift.kernels.RiftException;
import rift.recipe.Recipe;

/**
 * What a run leaves in run_dir when its input is bad: nothing when it fails before its first step, no
 * metrics lines of an earlier attempt mixed into a fresh run, and a refused resume that says which keys changed.
 */
class RunDirInputTest {
    @TempDir
    Path tmp;

    private Path data(String name, int records) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < records; i++)
            sb.append("{\"prompt\": \"What is ").append(i).append(" plus 1?\", \"solution\": \"It is ").append(i + 1).append(".\"}\n");
        return Files.writeString(tmp.resolve(name), sb.toString());
    }

    private Recipe recipe(Path data, Path runDir, String... extra) throws IOException {
        String yaml = """
                method: sft
                model:
                  config: {arch: qwen3, vocab_size: 512, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
                           num_key_value_heads: 1, intermediate_size: 32, max_position_embeddings: 64}
                  tokenizer: %s
                data:
                  train: [%s]
                  format: jsonl
                  fields: {prompt: prompt, solution: solution}
                  max_prompt_tokens: 32
                  max_seq_len: 64
                optim: {lr: 1.0e-3}
                schedule: {max_steps: 1, global_batch: 2, micro_batch: 2}
                run_dir: %s
                threads: 1
                """.formatted(TestPaths.repoRoot().resolve("data/tokenizers/tok512"), data, runDir);
        Path f = Files.writeString(tmp.resolve("r.yaml"), yaml);
        return Recipe.load(f, List.of(extra));
    }

    @Test
    void aRunThatFailsBeforeItsFirstStepLeavesNoRunDir() throws IOException {
        Path runDir = tmp.resolve("runs/empty");
        Path empty = data("empty.jsonl", 0);
        var e = assertThrows(RiftException.class, () -> Training.run(recipe(empty, runDir), runDir, null));
        assertTrue(e.getMessage().startsWith("data.train [" + empty + "]: no usable training examples"), e.getMessage());
        assertFalse(Files.exists(runDir), "the failed run left " + runDir + " behind");
    }

    @Test
    void aFolderThatExistedBeforeIsKept() throws IOException {
        Path runDir = Files.createDirectories(tmp.resolve("runs/mine"));
        Files.writeString(runDir.resolve("notes.txt"), "mine");
        Path empty = data("empty.jsonl", 0);
        assertThrows(RiftException.class, () -> Training.run(recipe(empty, runDir), runDir, null));
        assertTrue(Files.exists(runDir.resolve("notes.txt")));
    }

    @Test
    void aFreshRunStartsMetricsAfreshAndAChangedRecipeIsRefusedByKey() throws IOException {
        Path runDir = tmp.resolve("runs/a");
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("metrics.jsonl"), "{\"step\":1,\"loss\":9.0}\n{\"step\":2,\"loss\":8.0}\n");
        Path train = data("train.jsonl", 4);
        Training.run(recipe(train, runDir), runDir, null);
        List<String> lines = Files.readAllLines(runDir.resolve("metrics.jsonl"));
        assertEquals(1, lines.size(), "one step ran; the earlier attempt's lines are gone: " + lines);

        Path other = tmp.resolve("runs/b");
        var e = assertThrows(RiftException.class,
                () -> Training.run(recipe(train, other, "schedule.max_steps=2"), other, Training.readCheckpoint(runDir)));
        assertTrue(e.getMessage().contains("(run_dir: " + runDir + " -> " + other + ", schedule.max_steps: 1 -> 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("start a new run with model.path: " + runDir.resolve("step-1")), e.getMessage());
        assertFalse(Files.exists(other), "the refused resume left " + other + " behind");
    }
}
