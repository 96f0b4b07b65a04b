package rift.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rift.checkpoint.Checkpoint;
import rift.checkpoint.CheckpointReader;
import rift.experiment.ExperimentSpec;
import rift.kernels.RiftException;
import rift.recipe.Recipe;
import rift.train.Training;

/** {@code rift train RECIPE [key=value ...] [--resume-from PATH]}: one training run from a recipe. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train as the recipe says (method sft or grpo), writing checkpoints and metrics into run_dir.")
public final class TrainCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "RECIPE", description = "Recipe YAML file.")
    Path recipe;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Overrides, e.g. schedule.max_steps=6 run_dir=out/x.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume-from", description = "A checkpoint (run_dir/step-N) or a run directory (its latest complete checkpoint) to continue from.")
    Path resumeFrom;

    @Override
    public void run() {
        ExperimentSpec.refuseAsRecipe(recipe, "rift train");
        Recipe r = Recipe.load(recipe, overrides);
        Path runDir = Path.of(r.runDir());
        Checkpoint ck = null;
        if (resumeFrom != null) {
            ck = Training.readCheckpoint(resumeFrom);
        } else if (CheckpointReader.latestComplete(runDir).isPresent()) {
            throw new RiftException("run_dir " + runDir + " already holds checkpoints; continue it with `rift resume " + runDir
                    + "`, or give another run_dir=... to start a new run");
        }
        Training.run(r, runDir, ck);
    }
}
