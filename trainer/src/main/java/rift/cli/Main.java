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

    /**
     * Builds the command line with rift's error handling: user errors (RiftException) print one clear message,
     * no trace, exit 2. So do the failures no input check can foresee: a file system error (the file and the
     * reason) and running out of Java heap (how to raise it). Anything else is a bug in rift: one line saying so,
     * exit 3, and the stack trace with RIFT_DEBUG=1.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable t = ex;
            while (t != null && !(t instanceof RiftException) && t.getCause() != null && t.getCause() != t) t = t.getCause();
            if (t instanceof RiftException) {
                cmd.getErr().println("error: " + t.getMessage());
                return 2;
            }
            return unexpected(ex, cmd.getErr(), DEBUG);
        });
        return cl;
    }

    /** RIFT_DEBUG set: print the stack trace of an internal error. */
    private static final boolean DEBUG = System.getenv("RIFT_DEBUG") != null;

    /** The message and exit code of an exception that is not a RiftException (see {@link #commandLine}). */
    static int unexpected(Throwable ex, java.io.PrintWriter err, boolean debug) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
                String reason = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName().replace("Exception", "");
                err.println("error: " + f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason
                        + "; check the path, its permissions and the free space");
                return 2;
            }
            if (t instanceof java.io.IOException io) {
                err.println("error: " + io.getMessage() + "; check the paths given and the free space");
                return 2;
            }
            if (t instanceof OutOfMemoryError) {
                String what = String.valueOf(t.getMessage());
                boolean heap = what.contains("Java heap") || what.contains("GC overhead");
                err.println(heap
                        ? "error: the Java heap is full (" + what + "); give the JVM more, e.g. RIFT_JAVA_OPTS=-Xmx16g, or lower the"
                                + " batch (schedule.micro_batch, --batch)"
                        : "error: out of memory (" + what + "); lower the batch (schedule.micro_batch, --batch) or free memory on this"
                                + " machine");
                return 2;
            }
        }
        err.println("internal error (a bug in rift, please report it): " + ex + (debug ? "" : "; rerun with RIFT_DEBUG=1 for the stack trace"));
        if (debug) ex.printStackTrace(err);
        return 3;
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        int code;
        try {
            code = cl.execute(args);
        } catch (Error e) { // picocli hands only Exceptions to the handler; a full heap arrives here
            code = unexpected(e, cl.getErr(), DEBUG);
        }
        // System.exit does not flush picocli's writers: a command's last buffered output would be lost
        cl.getOut().flush();
        cl.getErr().flush();
        System.out.flush();
        System.exit(code);
    }
}
