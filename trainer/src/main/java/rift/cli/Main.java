package rift.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import rift.kernels.RiftException;

/** The {@code rift} command: every subcommand is registered here. */
@Command(name = "rift", mixinStandardHelpOptions = true, version = "rift 0.1.0",
        description = "Post-train language models on math (SFT and GRPO) and measure what that does to everything else.",
        subcommands = {ExperimentCommand.class, TrainCommand.class, ResumeCommand.class, ExportCommand.class, EvalCommand.class, ProbeCommand.class, GenerateCommand.class, ImportCommand.class, RecipeCommand.class, VerifyCommand.class, TiCommand.class, DataCommand.class, BenchCommand.class, ParityCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line with rift's error handling: user errors print one clear message, no trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable t = ex;
            while (t != null && !(t instanceof RiftException) && t.getCause() != null && t.getCause() != t) t = t.getCause();
            if (t instanceof RiftException) {
                cmd.getErr().println("error: " + t.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
