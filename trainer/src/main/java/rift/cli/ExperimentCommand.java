package rift.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import rift.experiment.ExperimentReport;
import rift.experiment.ExperimentRunner;
import rift.experiment.ExperimentSpec;

/** {@code rift experiment RECIPE [key=value ...]}: the controlled experiment, end to end, with its report. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Train every arm from the shared base, evaluate base and arms, compute TI and drift probes, write the report."
                + " Finished arms and evaluations are reused.")
public final class ExperimentCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment YAML (e.g. recipes/quickstart.yaml).")
    Path file;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Overrides of experiment keys (docs/experiments.md), e.g. run_dir=runs/q seeds=[1] eval.limit=20;"
                    + " arm_overrides=[schedule.max_steps=8] overrides every arm's recipe.")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run() {
        ExperimentSpec spec = ExperimentSpec.load(file, overrides);
        long t0 = System.nanoTime();
        ExperimentRunner.Outcome out = new ExperimentRunner(spec).run();
        ExperimentReport.write(spec, out, (System.nanoTime() - t0) / 1e9);
    }
}
