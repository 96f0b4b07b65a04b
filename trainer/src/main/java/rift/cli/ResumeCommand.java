package rift.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import rift.checkpoint.Checkpoint;
import rift.checkpoint.CheckpointReader;
import rift.kernels.RiftException;
import rift.recipe.Recipe;
import rift.train.Training;

/** {@code rift resume RUN_DIR}: continue a run from its latest complete checkpoint, with the recipe saved in it. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a run from its latest complete checkpoint (torn checkpoints are skipped with a warning).")
public final class ResumeCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory (holds step-N checkpoints).")
    Path runDir;

    @Override
    public void run() {
        Path step = CheckpointReader.latestComplete(runDir).orElseThrow(() -> new RiftException(runDir
                + ": no complete checkpoint to resume from; start the run with `rift train RECIPE run_dir=" + runDir + "`"));
        Recipe r = Recipe.load(step.resolve("recipe.yaml"), java.util.List.of());
        Checkpoint ck = Training.readCheckpoint(step);
        Training.run(r, Path.of(r.runDir()), ck);
    }
}
