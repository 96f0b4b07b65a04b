package rift.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import rift.io.DType;
import rift.io.SafeTensors;
import rift.io.TensorEntry;
import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.Tensor;
import rift.model.ModelIO;
import rift.model.Weights;

/**
 * Writes checkpoints so that a crash at any instant (kill -9, power loss after fsync) leaves every earlier
 * checkpoint intact and the new one either complete or recognisably torn:
 *
 * <ol>
 *   <li>take the run directory's writer lock and delete {@code .tmp-*} left by crashed writers;
 *   <li>write everything into {@code runDir/.tmp-step-N-<random>/}, fsync every file, the manifest, the directory;
 *   <li>rename it to {@code step-N} (replacing an existing {@code step-N}), fsync runDir;
 *   <li>write {@code DONE} inside, fsynced, last; then apply the retention policy.
 * </ol>
 *
 * Weights and moments are saved as F32 (the fp32 master copy), so a resume continues bit-exactly.
 */
public final class CheckpointWriter {
    private final Backend be;
    private final Retention retention;

    public CheckpointWriter(Backend be, Retention retention) {
        this.be = be;
        this.retention = retention;
    }

    /** Writes {@code runDir/step-<step>/} and returns its path. */
    public Path write(Path runDir, long step, CheckpointContents contents) {
        String name = CheckpointFormat.stepDirName(step);
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new RiftException(runDir + ": cannot create the run directory (" + e + "); check the path and its permissions", e);
        }
        try (FileChannel lockFile = FileChannel.open(runDir.resolve(CheckpointFormat.WRITER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = acquire(runDir, lockFile)) {
            removeStaleTemporaries(runDir);
            Path tmp = runDir.resolve(CheckpointFormat.TMP_PREFIX + name + "-" + randomSuffix());
            Path target = runDir.resolve(name);
            Path replaced = null;
            try {
                Files.createDirectory(tmp);
                fill(tmp, step, contents);
                String manifestSha = Manifest.sha256(Files.readAllBytes(tmp.resolve(CheckpointFormat.MANIFEST)));
                replaced = moveAsideExisting(runDir, target);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                DurableFiles.syncDirectory(runDir);
                DurableFiles.writeNew(target.resolve(CheckpointFormat.DONE), Checkpoints.doneText(step, manifestSha).getBytes(StandardCharsets.US_ASCII));
                DurableFiles.syncDirectory(target);
                if (replaced != null) DurableFiles.deleteTree(replaced);
            } catch (IOException e) {
                undo(tmp, replaced, target);
                throw new RiftException(target + ": cannot write the checkpoint (" + e + "); check free disk space and write"
                        + " permission in " + runDir, e);
            } catch (RuntimeException | Error e) {
                undo(tmp, replaced, target);
                throw e;
            }
            retention.apply(runDir, step);
            return target;
        } catch (IOException e) {
            throw new RiftException(runDir.resolve(CheckpointFormat.WRITER_LOCK) + ": cannot open the writer lock (" + e
                    + "); check write permission in " + runDir, e);
        }
    }

    private static FileLock acquire(Path runDir, FileChannel lockFile) throws IOException {
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null)
            throw new RiftException(runDir + ": another writer holds " + CheckpointFormat.WRITER_LOCK
                    + " (two runs share this run_dir?); give each run its own run_dir, or stop the other run");
        return lock;
    }

    /** Writes every file of the checkpoint into {@code dir} and fsyncs them all, the manifest last. */
    private void fill(Path dir, long step, CheckpointContents c) throws IOException {
        Weights w = c.weights();
        ModelIO.save(dir, w.config, w, be, DType.F32);
        if (c.tokenizerDir() != null) copyTokenizer(c.tokenizerDir(), dir);
        if (c.optimizer() != null) writeOptimizer(dir.resolve(CheckpointFormat.OPTIMIZER), w, c.optimizer());
        Files.writeString(dir.resolve(CheckpointFormat.RECIPE), c.recipeYaml(), StandardCharsets.UTF_8);
        TrainerState state = new TrainerState(CheckpointFormat.FORMAT_VERSION, CheckpointFormat.RIFT_VERSION, step,
                c.optimizer() == null ? -1 : c.optimizer().step(), c.schedule(), c.dataCursor(), c.rngStates(), c.recipeHash(),
                c.recipeYaml(), c.metrics(), c.loopState());
        Files.write(dir.resolve(CheckpointFormat.TRAINER_STATE), state.toJson());
        DurableFiles.syncTree(dir);
        DurableFiles.writeNew(dir.resolve(CheckpointFormat.MANIFEST), Manifest.format(Manifest.compute(dir)).getBytes(StandardCharsets.UTF_8));
        DurableFiles.syncDirectory(dir);
    }

    private static void copyTokenizer(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from.resolve(CheckpointFormat.TOKENIZER_JSON)))
            throw new RiftException(from + ": no " + CheckpointFormat.TOKENIZER_JSON + " to copy into the checkpoint;"
                    + " point the tokenizer at a Hugging Face model or tokenizer directory");
        for (String name : CheckpointFormat.TOKENIZER_FILES) {
            Path src = from.resolve(name);
            if (Files.isRegularFile(src)) Files.copy(src, to.resolve(name)); // follows links (HF cache snapshots are links)
        }
    }

    private void writeOptimizer(Path file, Weights params, OptimizerState opt) {
        List<TensorEntry> entries = new ArrayList<>();
        for (String which : new String[] {"m", "v"}) {
            Weights moments = which.equals("m") ? opt.m() : opt.v();
            for (Map.Entry<String, Tensor> e : params.named().entrySet()) {
                Tensor t = moments.named().get(e.getKey());
                long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
                entries.add(TensorEntry.f32(which + "." + e.getKey(), shape, be.download(t)));
            }
        }
        SafeTensors.write(file, entries, Map.of("rift_optimizer", "adamw"));
    }

    /**
     * An existing {@code step-N} (torn, or from a run resumed from an earlier step) is renamed to a
     * {@code .tmp-} name so the new one can take its place; it is deleted once the new one is complete.
     */
    private static Path moveAsideExisting(Path runDir, Path target) throws IOException {
        if (!Files.exists(target)) return null;
        Path aside = runDir.resolve(CheckpointFormat.TMP_PREFIX + "replaced-" + target.getFileName() + "-" + randomSuffix());
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        return aside;
    }

    /** Deletes every {@code .tmp-*} entry: with the writer lock held, each is left over from a crashed writer. */
    private static void removeStaleTemporaries(Path runDir) {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runDir, CheckpointFormat.TMP_PREFIX + "*")) {
            ds.forEach(stale::add);
        } catch (IOException e) {
            throw new RiftException(runDir + ": cannot list the run directory (" + e + "); check its permissions", e);
        }
        for (Path p : stale) {
            try {
                DurableFiles.deleteTree(p);
            } catch (IOException e) {
                throw new RiftException(p + ": cannot delete this leftover of an interrupted checkpoint write (" + e
                        + "); delete it by hand", e);
            }
        }
        try {
            if (!stale.isEmpty()) DurableFiles.syncDirectory(runDir);
        } catch (IOException e) {
            throw new RiftException(runDir + ": cannot fsync the run directory (" + e + ")", e);
        }
    }

    private static String randomSuffix() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    /** After a failed write: drop the temporary directory, and put a moved-aside checkpoint back if nothing took its place. */
    private static void undo(Path tmp, Path replaced, Path target) {
        deleteQuietly(tmp);
        if (replaced != null && Files.exists(replaced) && !Files.exists(target)) {
            try {
                Files.move(replaced, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException ignored) {
                // it stays under its .tmp- name; the error being thrown names the checkpoint
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            DurableFiles.deleteTree(p);
        } catch (IOException ignored) {
        }
    }
}
