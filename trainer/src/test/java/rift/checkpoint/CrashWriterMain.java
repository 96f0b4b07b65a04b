package rift.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import rift.kernels.Backend;
import rift.kernels.cpu.CpuBackend;

/**
 * The child process of {@link CrashSafetyTest}: resumes after the latest complete checkpoint of a run
 * directory and writes checkpoints of {@link CheckpointFixtures#contents} step after step, printing
 * {@code done N} after each returns, until it is killed. It exits by itself when its parent goes away
 * (stdin closes) or after a safety limit, so a failed test never leaves it running.
 *
 * <p>Arguments: run directory, tokenizer directory.
 */
public final class CrashWriterMain {
    static final Retention RETENTION = new Retention(2, 5);
    private static final long MAX_MILLIS = 60_000;

    public static void main(String[] args) {
        Path run = Path.of(args[0]);
        Path tokenizer = Path.of(args[1]);
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) { /* parent alive */ }
            } catch (IOException ignored) {
            }
            Runtime.getRuntime().halt(3);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        Backend be = new CpuBackend();
        long start = CheckpointReader.latestComplete(run).map(p -> CheckpointFormat.parseStep(p).getAsLong() + 1).orElse(1L);
        CheckpointWriter writer = new CheckpointWriter(be, RETENTION);
        System.out.println("start " + start);
        System.out.flush();
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        for (long step = start; System.currentTimeMillis() < deadline; step++) {
            writer.write(run, step, CheckpointFixtures.contents(CheckpointFixtures.CONFIG, be, step, tokenizer));
            System.out.println("done " + step);
            System.out.flush();
        }
        Runtime.getRuntime().halt(4);
    }
}
