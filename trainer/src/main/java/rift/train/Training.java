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
        switch (r.method()) {
            case SFT -> new SftTrainer(ctx, resume).train();
            case GRPO -> new GrpoTrainer(ctx, resume).train();
        }
        System.err.println("rift: run finished; checkpoints and metrics.jsonl in " + runDir);
    }

    /** A checkpoint given as a step directory or as a run directory (its latest complete one). */
    public static Checkpoint readCheckpoint(Path path) {
        Path step = Files.exists(path.resolve("DONE")) ? path
                : CheckpointReader.latestComplete(path).orElseThrow(() -> new RiftException(path + ": neither a complete checkpoint"
                        + " (step-N with a DONE marker) nor a run directory holding one"));
        return CheckpointReader.read(step, new CpuBackend());
    }
}
