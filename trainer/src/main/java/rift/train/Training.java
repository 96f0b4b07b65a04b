package rift.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import rift.checkpoint.Checkpoint;
import rift.checkpoint.CheckpointReader;
import rift.kernels.RiftException;
import rift.kernels.cpu.CpuBackend;
import rift.recipe.Recipe;

/** Entry point of a training run: writes the resolved recipe, builds the run, dispatches on the method. */
public final class Training {
    private Training() {}

    public static void run(Recipe r, Path runDir, Checkpoint resume) {
        boolean created = !Files.exists(runDir);
        try {
            start(r, runDir, resume);
        } catch (RuntimeException | Error e) {
            // a run that failed before it did anything (bad data, model or tokenizer) leaves no folder behind
            // that looks like a started run; a folder it did not create, or one with more in it, is kept
            if (created) removeIfUnstarted(runDir);
            throw e;
        }
        System.err.println("rift: run finished; checkpoints and metrics.jsonl in " + runDir);
    }

    private static void start(Recipe r, Path runDir, Checkpoint resume) {
        try {
            Files.createDirectories(runDir);
            Path tmp = runDir.resolve(".recipe.yaml.tmp");
            Files.writeString(tmp, r.toYaml(), StandardCharsets.UTF_8);
            Files.move(tmp, runDir.resolve("recipe.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RiftException(runDir + ": cannot write the resolved recipe (" + e.getMessage() + ")");
        }
        RunContext ctx = new RunContext(r, runDir);
        if (resume == null) startMetricsFresh(ctx.metrics, runDir);
        switch (r.method()) {
            case SFT -> new SftTrainer(ctx, resume).train();
            case GRPO -> new GrpoTrainer(ctx, resume).train();
        }
    }

    /**
     * A run from step 0 starts metrics.jsonl empty: lines an earlier attempt left in this run_dir (it stopped
     * before writing a complete checkpoint, or train would have refused the folder) would otherwise be
     * appended to, mixing two runs' curves.
     */
    private static void startMetricsFresh(MetricsLog metrics, Path runDir) {
        Path file = runDir.resolve("metrics.jsonl");
        try {
            if (Files.isRegularFile(file) && Files.size(file) > 0)
                System.err.println("rift: " + file + " holds lines of an earlier attempt that wrote no complete checkpoint; starting it afresh");
        } catch (IOException ignored) {
            // restore below reports a file it cannot write
        }
        metrics.restore(new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode());
    }

    /** Deletes the run folder this call created when it holds only what a run writes before its first step. */
    private static void removeIfUnstarted(Path runDir) {
        java.util.Set<String> setupFiles = java.util.Set.of("recipe.yaml", ".recipe.yaml.tmp", "metrics.jsonl");
        try (var entries = Files.list(runDir)) {
            var names = entries.map(p -> p.getFileName().toString()).toList();
            if (!setupFiles.containsAll(names)) return;
            Path metrics = runDir.resolve("metrics.jsonl");
            if (Files.exists(metrics) && Files.size(metrics) > 0) return; // steps ran: keep their curve for diagnosis
            for (String n : names) Files.deleteIfExists(runDir.resolve(n));
            Files.deleteIfExists(runDir);
        } catch (IOException ignored) {
            // best effort: the error being reported matters more than the cleanup
        }
    }

    /** A checkpoint given as a step directory or as a run directory (its latest complete one). */
    public static Checkpoint readCheckpoint(Path path) {
        Path step = Files.exists(path.resolve("DONE")) ? path
                : CheckpointReader.latestComplete(path).orElseThrow(() -> new RiftException(path + ": neither a complete checkpoint"
                        + " (step-N with a DONE marker) nor a run directory holding one"));
        return CheckpointReader.read(step, new CpuBackend());
    }
}
