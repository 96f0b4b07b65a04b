package rift.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the PyTorch peer (shared/bench/torch_cpu_bench.py) in a child process and returns its RESULT
 * lines, so rift and the peer are measured in the same run on the same machine.
 */
final class Peer {
    private Peer() {}

    /** The peer script: an explicit path, else shared/bench beside the checkout (or beside rift.home). */
    static Path locate(Path explicit) {
        if (explicit != null) return explicit;
        return locateAbove("shared/bench/torch_cpu_bench.py");
    }

    /** relative under rift.home or under the working directory or one of its parents; null when absent. */
    static Path locateAbove(String relative) {
        List<Path> roots = new ArrayList<>();
        String home = System.getProperty("rift.home");
        if (home != null) roots.add(Path.of(home).toAbsolutePath());
        roots.add(Path.of("").toAbsolutePath());
        for (Path r : roots)
            for (Path d = r; d != null; d = d.getParent()) {
                Path p = d.resolve(relative);
                if (Files.isRegularFile(p)) return p;
            }
        return null;
    }

    /** Runs the peer; returns its RESULT objects, or an empty list (and a note on stderr) when it cannot run. */
    static List<JsonNode> run(String python, Path script, int threads, int warmup, int runs, String... args) {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--threads", String.valueOf(threads), "--warmup",
                String.valueOf(warmup), "--runs", String.valueOf(runs)));
        cmd.addAll(List.of(args));
        return runCommand(cmd, "Set-up (Debian): apt-get install -y python3-torch python3-numpy libopenblas0-pthread");
    }

    /**
     * Runs a peer command line; returns the JSON of every line it prints as {@code RESULT {json}}. When it
     * cannot start or exits non-zero, says so on stderr with the command and its other output (plus setupHint).
     */
    static List<JsonNode> runCommand(List<String> cmd, String setupHint) {
        List<JsonNode> out = new ArrayList<>();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                StringBuilder tail = new StringBuilder();
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("RESULT ")) out.add(json.readTree(line.substring(7)));
                    else tail.append(line).append('\n');
                }
                int rc = p.waitFor();
                if (rc != 0) System.err.println("rift bench: the peer exited with " + rc + " (" + String.join(" ", cmd) + "):\n"
                        + lastLines(tail.toString(), 15));
            }
        } catch (Exception e) {
            System.err.println("rift bench: could not run the peer (" + String.join(" ", cmd) + "): " + e.getMessage() + "\n  " + setupHint);
        }
        return out;
    }

    private static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }
}
