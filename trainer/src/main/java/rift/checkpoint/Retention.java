package rift.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import rift.kernels.RiftException;
import rift.recipe.CheckpointConfig;

/**
 * Which checkpoints of a run directory to keep: the newest {@code keepLast} complete ones, plus for good
 * every one whose step is a multiple of {@code keepEvery} (llm.c's "major" checkpoints). Null means no
 * limit / no permanent ones. Only complete checkpoints (valid DONE marker) are ever deleted, and never the
 * newest one; torn directories are left for a person to inspect (readers skip them).
 */
public record Retention(Integer keepLast, Integer keepEvery) {
    public Retention {
        if (keepLast != null && keepLast < 1) throw new IllegalArgumentException("keep_last must be >= 1, got " + keepLast);
        if (keepEvery != null && keepEvery < 1) throw new IllegalArgumentException("keep_every must be >= 1, got " + keepEvery);
    }

    /** Keep everything. */
    public static Retention keepAll() {
        return new Retention(null, null);
    }

    /** The recipe's {@code checkpoint.keep_last} and {@code checkpoint.keep_every}. */
    public static Retention of(CheckpointConfig c) {
        return new Retention(c.keepLast(), c.keepEvery());
    }

    /** Whether {@code step} is kept for good. */
    public boolean isPermanent(long step) {
        return keepEvery != null && step % keepEvery == 0;
    }

    /**
     * The steps to delete among {@code completeSteps} (ascending or not): everything outside the newest
     * keepLast, except permanent steps, the newest step and {@code protectedStep}.
     */
    public List<Long> toDelete(java.util.Collection<Long> completeSteps, long protectedStep) {
        if (keepLast == null || completeSteps.isEmpty()) return List.of();
        TreeSet<Long> sorted = new TreeSet<>(completeSteps);
        List<Long> out = new ArrayList<>();
        int rank = 0; // 0 = newest
        for (long step : sorted.descendingSet()) {
            boolean keep = rank < keepLast || rank == 0 || isPermanent(step) || step == protectedStep;
            if (!keep) out.add(step);
            rank++;
        }
        out.sort(null);
        return out;
    }

    /**
     * Applies the policy to {@code runDir} and returns the checkpoint directories deleted. Call it only
     * while holding the run directory's writer lock (CheckpointWriter does).
     */
    public List<Path> apply(Path runDir) {
        return apply(runDir, -1);
    }

    List<Path> apply(Path runDir, long protectedStep) {
        if (keepLast == null) return List.of();
        TreeMap<Long, Path> complete = new TreeMap<>();
        for (Map.Entry<Long, Path> e : Checkpoints.stepDirs(runDir).entrySet()) {
            try {
                Checkpoints.checkDone(e.getValue());
                complete.put(e.getKey(), e.getValue());
            } catch (RiftException torn) {
                // not complete: never deleted here
            }
        }
        List<Path> deleted = new ArrayList<>();
        for (long step : toDelete(complete.keySet(), protectedStep)) {
            Path dir = complete.get(step);
            deleteCheckpoint(runDir, dir);
            deleted.add(dir);
        }
        return deleted;
    }

    /**
     * Renames the checkpoint to a {@code .tmp-} name first (one atomic step: a crash leaves either the whole
     * checkpoint or a temporary directory the next write removes), then deletes it.
     */
    static void deleteCheckpoint(Path runDir, Path dir) {
        Path doomed = runDir.resolve(CheckpointFormat.TMP_PREFIX + "delete-" + dir.getFileName() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(runDir);
            DurableFiles.deleteTree(doomed);
        } catch (IOException e) {
            throw new RiftException(dir + ": cannot delete old checkpoint (" + e + "); check the run directory's permissions,"
                    + " or set checkpoint.keep_last to null to keep every checkpoint", e);
        }
    }
}
