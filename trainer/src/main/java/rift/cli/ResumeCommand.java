package rift.cli;

import java.io.IOException;
import java.nio.file.Files;
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
        requireSameDirectory(runDir, Path.of(r.runDir()), step.resolve("recipe.yaml"));
        Checkpoint ck = Training.readCheckpoint(step);
        Training.run(r, Path.of(r.runDir()), ck);
    }

    /**
     * The run continues in its recipe's run_dir (run_dir is part of the recipe hash the checkpoint checks). When
     * that is not RUN_DIR -- the run was moved or copied, or a relative run_dir is read from another working
     * directory -- the remaining steps would be written somewhere else without a word, so refuse and say why.
     */
    static void requireSameDirectory(Path runDir, Path recipeRunDir, Path recipeFile) {
        boolean same;
        try {
            same = Files.exists(recipeRunDir) && Files.isSameFile(recipeRunDir, runDir);
        } catch (IOException e) {
            same = recipeRunDir.toAbsolutePath().normalize().equals(runDir.toAbsolutePath().normalize());
        }
        if (!same)
            throw new RiftException(runDir + ": its recipe (" + recipeFile + ") says run_dir: " + recipeRunDir + ", which from this working"
                    + " directory is " + recipeRunDir.toAbsolutePath().normalize() + ", not this run directory; rift resume continues a run"
                    + " in its recipe's run_dir (part of the recipe hash the checkpoint checks), so run it from the directory the run was"
                    + " started in, or move the run back to " + recipeRunDir);
    }
}
