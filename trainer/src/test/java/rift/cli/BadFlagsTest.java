package rift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import rift.kernels.RiftException;

/** Flags with bad values fail with a RiftException naming the flag, before any work, and leave nothing behind. */
class BadFlagsTest {
    private static final String BASE = "../checkpoints/testbed-base";

    @TempDir
    Path tmp;

    private static String riftError(CliRun.Result r) {
        assertEquals(2, r.code(), r.err());
        assertInstanceOf(RiftException.class, r.error(), String.valueOf(r.error()));
        return r.error().getMessage();
    }

    @Test
    void generateNamesTheSamplingFlag() {
        assertEquals("--temperature must be >= 0 (0 is greedy), got -1.0",
                riftError(CliRun.run(new GenerateCommand(), BASE, "--prompt", "Q", "--temperature", "-1")));
        assertEquals("--top-p must be in (0, 1] (1 keeps every token), got 1.5",
                riftError(CliRun.run(new GenerateCommand(), BASE, "--prompt", "Q", "--top-p", "1.5")));
        assertEquals("--top-k must be >= 0 (0 keeps every token), got -2",
                riftError(CliRun.run(new GenerateCommand(), BASE, "--prompt", "Q", "--top-k", "-2")));
        assertEquals("--min-p must be in [0, 1) (0 keeps every token), got 1.0",
                riftError(CliRun.run(new GenerateCommand(), BASE, "--prompt", "Q", "--min-p", "1")));
    }

    /** An --out that is a file fails before the evaluation runs (it used to fail after it, losing the work). */
    @Test
    void evalRefusesAnOutThatIsAFileBeforeEvaluating() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        var r = CliRun.run(new EvalCommand(), BASE, "--suite", "smoke", "--limit", "1", "--out", file.toString());
        assertTrue(riftError(r).startsWith("--out " + file + ": is a file, not a folder"), r.error().getMessage());
        assertFalse(r.err().contains("samples done"), "nothing was evaluated: " + r.err());
    }

    @Test
    void probeRefusesAnOutThatIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        var r = CliRun.run(new ProbeCommand(), "pca", BASE, BASE, "--suite", "smoke", "--limit", "3", "--out", file.resolve("sub").toString());
        assertTrue(riftError(r).contains(file + " is a file, so the folder cannot be created there"), r.error().getMessage());
    }

    @Test
    void resumeNamesAMissingRunDirAndAFile() throws Exception {
        Path nowhere = tmp.resolve("nowhere");
        assertEquals(nowhere + ": no such run directory; give the run_dir of a run started with `rift train RECIPE`",
                riftError(CliRun.run(new ResumeCommand(), nowhere.toString())));
        Path file = Files.writeString(tmp.resolve("recipe.yaml"), "method: sft\n");
        assertTrue(riftError(CliRun.run(new ResumeCommand(), file.toString())).startsWith(file + ": is a file, not a run directory"));
    }

    /** A literal '%' in a description made picocli print a format warning into every `rift eval --help`. */
    @Test
    void evalHelpHasNoFormatWarning() {
        CommandLine cl = new CommandLine(new EvalCommand());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true));
        String usage;
        try {
            usage = cl.getUsageMessage();
        } finally {
            System.setErr(old);
        }
        assertTrue(usage.contains("bootstrap 95%") && !usage.contains("%%"), usage);
        assertFalse(buf.toString().contains("Could not format") || err.toString().contains("Could not format"), buf.toString());
    }
}
