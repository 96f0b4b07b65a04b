package rift.cli;

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
        if (!Files.exists(runDir))
            throw new RiftException(runDir + ": no such run directory; give the run_dir of a run started with `rift train RECIPE`");
        if (!Files.isDirectory(runDir))
            throw new RiftException(runDir + ": is a file, not a run directory; give the run_dir of a run (the folder holding step-N checkpoints)");
        Path step = CheckpointReader.latestComplete(runDir).orElseThrow(() -> new RiftException(runDir
                + ": no complete checkpoint to resume from; start the run with `rift train RECIPE run_dir=" + runDir + "`"));
        Recipe r = Recipe.load(step.resolve("recipe.yaml"), java.util.List.of());
        Checkpoint ck = Training.readCheckpoint(step);
        // the run continues where its checkpoints are: the recipe's run_dir names where the run started, which a
        // moved or copied run directory (or another working directory, for a relative run_dir) no longer is
        if (!sameDir(Path.of(r.runDir()), runDir))
            System.err.println("rift: the run started in " + r.runDir() + "; continuing it in " + runDir);
        Training.run(r, runDir, ck);
    }

    private static boolean sameDir(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
