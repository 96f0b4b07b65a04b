package rift.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs one rift command in-process for a test: exit code, stdout, stderr, and the exception itself (not printed). */
public final class CliRun {
    private CliRun() {}

    public record Result(int code, String out, String err, Exception error) {}

    public static Result run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        // keep the exception so tests see the RiftException itself (rift.cli.Main prints it without a trace)
        Exception[] error = new Exception[1];
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            error[0] = ex;
            return 2;
        });
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = cl.execute(args);
            return new Result(code, out.toString(), err.toString(StandardCharsets.UTF_8), error[0]);
        } finally {
            System.setErr(oldErr);
        }
    }
}
