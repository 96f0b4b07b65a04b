package rift.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** fsync and delete helpers. They throw IOException; callers turn it into a RiftException naming the checkpoint. */
final class DurableFiles {
    private DurableFiles() {}

    /**
     * Flushes a file's data and metadata to the device. Opened for reading: fsync works on any descriptor,
     * and a copied read-only file (an HF cache keeps tokenizer files 0444) cannot be opened for writing.
     */
    static void syncFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Flushes a directory, which makes the creation, rename or deletion of its entries durable. Linux
     * allows opening a directory for this; where a platform does not, the entries are as durable as it makes them.
     */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException ignored) {
        } catch (IOException e) {
            if (Files.isDirectory(dir) && System.getProperty("os.name", "").startsWith("Windows")) return;
            throw e;
        }
    }

    /** fsyncs every regular file under {@code dir}, then every directory bottom-up (the root last). */
    static void syncTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) syncFile(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) throw exc;
                syncDirectory(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Creates {@code file} (which must not exist), writes {@code bytes} and fsyncs it. */
    static void writeNew(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
    }

    /** Deletes {@code path} and everything under it; a missing path is not an error. Symbolic links are removed, not followed. */
    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null && !(exc instanceof NoSuchFileException)) throw exc;
                    try {
                        Files.deleteIfExists(d);
                    } catch (DirectoryNotEmptyException e) {
                        throw new IOException(d + " is not empty after deleting its contents (is another process writing into it?)", e);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                    throw exc;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
