package rift.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import rift.kernels.RiftException;

/**
 * {@code MANIFEST.sha256}: one line {@code <sha256 hex>  <relative path>} per file of a checkpoint, sorted by
 * path, exactly what {@code sha256sum} prints (so {@code cd step-N && sha256sum -c MANIFEST.sha256} checks a
 * checkpoint by hand). The manifest and the DONE marker are not listed: DONE carries the manifest's hash.
 */
final class Manifest {
    private Manifest() {}

    // sha256sum's text mode uses two spaces, binary mode " *"; both are read.
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");
    private static final int BUFFER_BYTES = 1 << 20;

    /** Relative path -> sha256 hex of every regular file under {@code dir} except the manifest and DONE, sorted. */
    static TreeMap<String, String> compute(Path dir) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                String rel = relativeName(dir, f);
                if (rel.equals(CheckpointFormat.MANIFEST) || rel.equals(CheckpointFormat.DONE)) continue;
                out.put(rel, sha256(f));
            }
        }
        return out;
    }

    /** The manifest text for {@code hashes}. */
    static String format(Map<String, String> hashes) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(hashes).forEach((name, hex) -> sb.append(hex).append("  ").append(name).append('\n'));
        return sb.toString();
    }

    /** Parses {@code manifestFile}; a malformed line is a RiftException naming the file and the line. */
    static TreeMap<String, String> parse(Path manifestFile, byte[] bytes) {
        TreeMap<String, String> out = new TreeMap<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.isEmpty() && !text.endsWith("\n"))
            throw new RiftException(manifestFile + ": the last line is cut off (torn write); " + Checkpoints.tornFix(manifestFile.getParent()));
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) continue;
            Matcher m = LINE.matcher(line);
            if (!m.matches())
                throw new RiftException(manifestFile + ": line " + lineNo + " is not '<sha256>  <file>': \"" + abbreviate(line)
                        + "\"; " + Checkpoints.tornFix(manifestFile.getParent()));
            String name = m.group(2);
            if (name.startsWith("/") || name.contains("\\") || List.of(name.split("/")).contains(".."))
                throw new RiftException(manifestFile + ": line " + lineNo + " names '" + name
                        + "', outside the checkpoint directory; " + Checkpoints.tornFix(manifestFile.getParent()));
            if (out.put(name, m.group(1)) != null)
                throw new RiftException(manifestFile + ": line " + lineNo + " lists '" + name + "' a second time; "
                        + Checkpoints.tornFix(manifestFile.getParent()));
        }
        if (out.isEmpty()) throw new RiftException(manifestFile + ": lists no files; " + Checkpoints.tornFix(manifestFile.getParent()));
        return out;
    }

    /**
     * Checks every listed file against its hash. The first missing or changed file is a RiftException
     * naming it; files not listed are ignored.
     */
    static void verify(Path dir, Map<String, String> listed) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : listed.entrySet()) {
            Path f = dir.resolve(e.getKey());
            String actual;
            try {
                actual = sha256(f);
            } catch (NoSuchFileException ex) {
                throw new RiftException(f + ": missing (listed in " + CheckpointFormat.MANIFEST + "); "
                        + Checkpoints.tornFix(dir));
            } catch (IOException ex) {
                throw new RiftException(f + ": cannot read (" + ex.getMessage() + "); check the file's permissions, or "
                        + Checkpoints.tornFix(dir), ex);
            }
            if (!actual.equals(e.getValue())) problems.add(e.getKey());
        }
        if (!problems.isEmpty())
            throw new RiftException(dir.resolve(problems.getFirst()) + ": content does not match its sha256 in "
                    + CheckpointFormat.MANIFEST + (problems.size() > 1 ? " (nor do " + String.join(", ", problems.subList(1, problems.size())) + ")" : "")
                    + "; the file was changed or damaged after the checkpoint was written; " + Checkpoints.tornFix(dir));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = newDigest();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES);
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static String relativeName(Path dir, Path file) {
        String rel = dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        if (rel.indexOf('\n') >= 0 || rel.indexOf('\\') >= 0)
            throw new IllegalStateException("checkpoint file name cannot go in a manifest: " + rel);
        return rel;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
