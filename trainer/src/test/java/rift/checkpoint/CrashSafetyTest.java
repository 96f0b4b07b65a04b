package rift.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static rift.checkpoint.CheckpointFixtures.CONFIG;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.Backend;
import rift.kernels.cpu.CpuBackend;

/**
 * SIGKILLs a checkpoint-writing child JVM at seeded random moments. After every kill the latest complete
 * checkpoint must verify and hold exactly what the child wrote for that step, it must be the last step
 * the child reported (or the one after, when the kill came between DONE and the report), no permanent
 * checkpoint may be lost, and the next run must resume after it and write again.
 */
class CrashSafetyTest {
    private static final Backend BE = new CpuBackend();
    private static final int TRIALS = 4;

    @TempDir
    Path tmp;

    @Test
    void killedWriterNeverLosesTheLatestCompleteCheckpoint() throws Exception {
        Path run = tmp.resolve("run");
        Path tokenizer = CheckpointFixtures.tokenizerDir(tmp);
        Path childErr = tmp.resolve("child-stderr.txt");
        Random random = new Random(20240527);
        long t0 = System.nanoTime();
        long latest = 0; // 0: no complete checkpoint yet
        List<Long> permanent = new ArrayList<>();
        int killedMidWrite = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Process child = startChild(run, tokenizer, childErr);
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread pump = pump(child, lines);
            String first = lines.poll(30, TimeUnit.SECONDS);
            if (first == null || !first.startsWith("start ")) fail("child did not start: " + first + "\n" + Files.readString(childErr));
            assertEquals(latest + 1, Long.parseLong(first.substring(6)), "the child resumes after the latest complete checkpoint");
            // Let it finish one checkpoint (so every trial makes progress), then kill it at a random moment of the
            // next write(s): a write takes about 20-200 ms here, most of it inside the .tmp- directory.
            int waitFor = 1;
            long lastDone = latest;
            for (int i = 0; i < waitFor; i++) {
                String line = lines.poll(30, TimeUnit.SECONDS);
                assertNotNull(line, "child wrote no checkpoint in 30 s\n" + Files.readString(childErr));
                lastDone = Long.parseLong(line.substring(5));
            }
            Thread.sleep(random.nextInt(200));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
            pump.join(10_000);
            for (String line; (line = lines.poll()) != null; ) lastDone = Long.parseLong(line.substring(5));
            for (long s = latest + 1; s <= lastDone; s++) if (CrashWriterMain.RETENTION.isPermanent(s)) permanent.add(s);
            if (hasLeftovers(run)) killedMidWrite++;

            Optional<Path> found = CheckpointReader.latestComplete(run);
            long step = found.map(p -> CheckpointFormat.parseStep(p).getAsLong()).orElse(0L);
            assertTrue(step == lastDone || step == lastDone + 1,
                    "trial " + trial + ": latest complete step " + step + " after the child reported " + lastDone);
            if (found.isPresent()) {
                Checkpoint ck = CheckpointReader.read(found.get(), CONFIG, BE);
                CheckpointFixtures.assertSameContents(CheckpointFixtures.contents(CONFIG, BE, step, tokenizer), ck.contents(), BE);
            }
            for (long s : permanent) CheckpointReader.verify(run.resolve(CheckpointFormat.stepDirName(s)));
            latest = step;
        }
        System.out.println("CrashSafetyTest: " + TRIALS + " kills, " + killedMidWrite + " left a partial write behind, last step " + latest
                + ", " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        // The next writer cleans up after the killed one and writes normally.
        new CheckpointWriter(BE, CrashWriterMain.RETENTION).write(run, latest + 1,
                CheckpointFixtures.contents(CONFIG, BE, latest + 1, tokenizer));
        assertEquals(Optional.of(run.resolve(CheckpointFormat.stepDirName(latest + 1))), CheckpointReader.latestComplete(run));
        assertTrue(!hasTemporaries(run), "stale .tmp-* directories were removed");
    }

    private static Process startChild(Path run, Path tokenizer, Path stderr) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CrashWriterMain.class.getName(), run.toString(), tokenizer.toString());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        return pb.start();
    }

    private static Thread pump(Process child, LinkedBlockingQueue<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) lines.add(line);
            } catch (IOException ignored) {
                // the child was killed mid-line
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A .tmp-* directory or a step directory without DONE: the kill interrupted a write or a deletion. */
    private static boolean hasLeftovers(Path run) throws IOException {
        if (hasTemporaries(run)) return true;
        for (Path d : Checkpoints.stepDirs(run).values()) if (!Files.exists(d.resolve(CheckpointFormat.DONE))) return true;
        return false;
    }

    private static boolean hasTemporaries(Path run) throws IOException {
        if (!Files.isDirectory(run)) return false; // killed before its first write began
        try (Stream<Path> s = Files.list(run)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(CheckpointFormat.TMP_PREFIX));
        }
    }
}
