package rift.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import rift.kernels.RiftException;

/**
 * One JSON line per optimizer step in {@code run_dir/metrics.jsonl}, kept in memory too (checkpoints
 * store the history so a resumed run rewrites exactly the same file), plus a console progress line with
 * an ETA: a redrawn bar on a terminal, one plain line per step otherwise.
 */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final ArrayNode history = JSON.createArrayNode();
    private final boolean tty = System.console() != null && System.console().isTerminal();
    private final long startNanos = System.nanoTime();
    private int firstStepThisProcess = -1;

    public MetricsLog(Path runDir) {
        this.file = runDir.resolve("metrics.jsonl");
    }

    /** Restores the history of a resumed run and rewrites metrics.jsonl to exactly those lines. */
    public void restore(ArrayNode saved) {
        history.removeAll();
        history.addAll(saved);
        try {
            Files.createDirectories(file.getParent());
            StringBuilder sb = new StringBuilder();
            for (var n : history) sb.append(n.toString()).append('\n');
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RiftException(file + ": cannot write metrics (" + e.getMessage() + ")");
        }
    }

    public ArrayNode history() {
        return history.deepCopy();
    }

    public ObjectNode newLine() {
        return JSON.createObjectNode();
    }

    /** Appends one step's metrics and prints progress. */
    public void log(ObjectNode line, int step, int totalSteps, String summary) {
        history.add(line);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(line.toString());
            w.write('\n');
        } catch (IOException e) {
            throw new RiftException(file + ": cannot append metrics (" + e.getMessage() + ")");
        }
        if (firstStepThisProcess < 0) firstStepThisProcess = step - 1;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int doneHere = step - firstStepThisProcess;
        double eta = doneHere > 0 ? elapsed / doneHere * (totalSteps - step) : 0;
        String bar = progressBar(step, totalSteps);
        String msg = String.format(Locale.ROOT, "%s step %d/%d %s | %s elapsed, ETA %s", bar, step, totalSteps, summary, clock(elapsed), clock(eta));
        if (tty) {
            System.err.print("\r" + msg + (step == totalSteps ? "\n" : ""));
            System.err.flush();
        } else {
            System.err.println(msg);
        }
    }

    private static String progressBar(int step, int total) {
        int width = 20, filled = total <= 0 ? width : (int) Math.round(width * (double) step / total);
        return "[" + "#".repeat(Math.min(width, filled)) + "-".repeat(Math.max(0, width - filled)) + "]";
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    @Override
    public void close() {}
}
