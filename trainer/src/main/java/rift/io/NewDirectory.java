package rift.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import rift.kernels.RiftException;

/**
 * Writes a new output directory (an export, an import) all or nothing: the contents go into a hidden
 * sibling, which is renamed to the target only when complete, so a failure or a kill never leaves a
 * half-written model where a user expects one. The target must not exist or be an empty directory.
 */
public final class NewDirectory {
    private NewDirectory() {}

    /** Fills the directory it is given; may throw. */
    @FunctionalInterface
    public interface Body {
        void fill(Path dir) throws IOException;
    }

    public static void write(Path target, String option, Body body) {
        Path out = target.toAbsolutePath().normalize();
        Path tmp = null;
        try {
            if (Files.exists(out) && (!Files.isDirectory(out) || !isEmpty(out)))
                throw new RiftException(target + ": exists and is not an empty directory; choose a new " + option);
            Files.createDirectories(out.getParent());
            tmp = freshSibling(out);
            Files.createDirectory(tmp); // default permissions (Files.createTempDirectory's owner-only mode would stick)
            body.fill(tmp);
            if (Files.exists(out)) Files.delete(out);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new RiftException(target + ": cannot write (" + e.getMessage() + ")", e);
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static Path freshSibling(Path target) {
        String base = "." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-";
        for (long n = System.nanoTime(); ; n++) {
            Path p = target.resolveSibling(base + Long.toHexString(n));
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return p;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover hidden temp directory is harmless
        }
    }
}
