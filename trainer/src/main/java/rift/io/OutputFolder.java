package rift.io;

import java.nio.file.Files;
import java.nio.file.Path;
import rift.kernels.RiftException;

/**
 * Checks an output folder a command will write into (eval's and probe's --out) before the command does
 * minutes of work, so a path that can never be written fails at once, naming the option and the fix,
 * instead of after the work is done and lost.
 */
public final class OutputFolder {
    private OutputFolder() {}

    /**
     * Refuses {@code out} when it is a file, when a file stands where one of its parent folders would be
     * created, or when the folder it would be created in (or it itself) is not writable.
     *
     * @param option the flag or key that named it, e.g. "--out"
     */
    public static void requireWritable(Path out, String option) {
        Path abs = out.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs))
            throw new RiftException(option + " " + out + ": is a file, not a folder; give a folder path (it is created when absent)");
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return; // nothing on the path exists: createDirectories will say why if it cannot
        if (!Files.isDirectory(existing))
            throw new RiftException(option + " " + out + ": " + existing + " is a file, so the folder cannot be created there;"
                    + " give a folder path under an existing folder");
        if (!Files.isWritable(existing))
            throw new RiftException(option + " " + out + ": cannot write in " + existing + " (no write permission); give a folder you can write");
    }
}
