package rift.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import rift.kernels.RiftException;

/** Content addresses: a finished arm or evaluation is reused exactly when its inputs hash the same. */
final class ContentKey {
    private ContentKey() {}

    static String of(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Identity of a model directory: its checkpoint manifest when it has one (sha256 of every file),
     * else the config and the weights' file sizes and modification-free contents hash.
     */
    static String ofModel(Path dir) {
        try {
            Path manifest = dir.resolve("MANIFEST.sha256");
            if (Files.isRegularFile(manifest)) return of(Files.readString(manifest));
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (!(n.endsWith(".json") || n.endsWith(".safetensors"))) continue;
                    md.update(n.getBytes(StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(f));
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new RiftException(dir + ": cannot read the model to identify it (" + e.getMessage() + ")");
        }
    }

    static String ofFile(Path f) {
        try {
            return of(Files.readString(f));
        } catch (IOException e) {
            throw new RiftException(f + ": cannot read (" + e.getMessage() + ")");
        }
    }

    static String join(List<String> parts) {
        return of(parts.toArray(String[]::new));
    }
}
