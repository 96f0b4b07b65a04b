package rift.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rift.kernels.RiftException;

/** The completion marker, listing a run directory, and the wording shared by every "torn checkpoint" error. */
final class Checkpoints {
    private Checkpoints() {}

    private static final Pattern DONE_TEXT =
            Pattern.compile("rift-checkpoint " + CheckpointFormat.FORMAT_VERSION + "\nstep (\\d+)\nmanifest-sha256 ([0-9a-f]{64})\n");

    /** The fix sentence for a checkpoint that is incomplete or damaged. */
    static String tornFix(Path stepDir) {
        return "treat " + stepDir + " as torn: resume from an earlier checkpoint (the latest complete one is found"
                + " automatically) or delete it";
    }

    /** DONE's text: the format, the step and the sha256 of the manifest bytes, so a damaged manifest is caught too. */
    static String doneText(long step, String manifestSha256) {
        return "rift-checkpoint " + CheckpointFormat.FORMAT_VERSION + "\nstep " + step + "\nmanifest-sha256 " + manifestSha256 + "\n";
    }

    /** Every {@code step-N} directory of {@code runDir} by step (empty when runDir does not exist). */
    static TreeMap<Long, Path> stepDirs(Path runDir) {
        TreeMap<Long, Path> out = new TreeMap<>();
        if (!Files.isDirectory(runDir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runDir)) {
            for (Path p : ds) {
                OptionalLong step = CheckpointFormat.parseStep(p);
                if (step.isPresent() && Files.isDirectory(p)) out.put(step.getAsLong(), p);
            }
        } catch (IOException e) {
            throw new RiftException(runDir + ": cannot list the run directory (" + e.getMessage() + "); check its permissions", e);
        }
        return out;
    }

    /**
     * Checks the DONE marker (present, well formed, naming this directory's step and the manifest's hash)
     * and parses the manifest. This reads only the two small files; {@link #verify} also hashes the data.
     *
     * @return the manifest: relative path -> sha256
     */
    static TreeMap<String, String> checkDone(Path stepDir) {
        Path done = stepDir.resolve(CheckpointFormat.DONE);
        Path manifest = stepDir.resolve(CheckpointFormat.MANIFEST);
        String doneText;
        byte[] manifestBytes;
        try {
            doneText = new String(Files.readAllBytes(done), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RiftException(stepDir + ": no " + CheckpointFormat.DONE + " marker, so the checkpoint was never finished"
                    + " (the writer stopped before completing it); " + tornFix(stepDir));
        } catch (IOException e) {
            throw new RiftException(done + ": cannot read (" + e.getMessage() + "); " + tornFix(stepDir), e);
        }
        Matcher m = DONE_TEXT.matcher(doneText);
        if (!m.matches()) {
            if (doneText.startsWith("rift-checkpoint ") && !doneText.startsWith("rift-checkpoint " + CheckpointFormat.FORMAT_VERSION + "\n"))
                throw new RiftException(done + ": written in checkpoint format " + doneText.lines().findFirst().orElse("").substring(16)
                        + ", this rift reads format " + CheckpointFormat.FORMAT_VERSION + "; use the rift version that wrote it");
            throw new RiftException(done + ": malformed marker (expected the step and the manifest's sha256); " + tornFix(stepDir));
        }
        OptionalLong dirStep = CheckpointFormat.parseStep(stepDir);
        long doneStep = Long.parseLong(m.group(1));
        if (dirStep.isPresent() && dirStep.getAsLong() != doneStep)
            throw new RiftException(done + ": says step " + doneStep + " but the directory is " + stepDir.getFileName()
                    + "; rename it back to " + CheckpointFormat.stepDirName(doneStep));
        try {
            manifestBytes = Files.readAllBytes(manifest);
        } catch (NoSuchFileException e) {
            throw new RiftException(manifest + ": missing; " + tornFix(stepDir));
        } catch (IOException e) {
            throw new RiftException(manifest + ": cannot read (" + e.getMessage() + "); " + tornFix(stepDir), e);
        }
        if (!Manifest.sha256(manifestBytes).equals(m.group(2)))
            throw new RiftException(manifest + ": content does not match the sha256 recorded in " + CheckpointFormat.DONE
                    + "; the manifest was changed or damaged; " + tornFix(stepDir));
        return Manifest.parse(manifest, manifestBytes);
    }

    /** The step DONE names (call after {@link #checkDone}). */
    static long doneStep(Path stepDir) {
        try {
            Matcher m = DONE_TEXT.matcher(Files.readString(stepDir.resolve(CheckpointFormat.DONE)));
            if (m.matches()) return Long.parseLong(m.group(1));
        } catch (IOException ignored) {
        }
        throw new RiftException(stepDir.resolve(CheckpointFormat.DONE) + ": malformed or unreadable marker; " + tornFix(stepDir));
    }

    /** DONE, the manifest, and every listed file's hash; a RiftException naming the first problem. */
    static TreeMap<String, String> verify(Path stepDir) {
        if (!Files.isDirectory(stepDir))
            throw new RiftException(stepDir + ": no such checkpoint directory; checkpoints are the step-N directories of the run_dir");
        TreeMap<String, String> listed = checkDone(stepDir);
        Manifest.verify(stepDir, listed);
        return listed;
    }
}
