package rift.cli;

import picocli.CommandLine.Command;

/** {@code rift data ...}: data tools (the synthetic testbed generator). */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Data tools.",
        subcommands = {DataSynthCommand.class})
public final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
