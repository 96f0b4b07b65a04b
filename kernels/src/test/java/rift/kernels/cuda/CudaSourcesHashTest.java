package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed fatbin was built from the current CUDA sources: the sha256 recorded next to it by
 * scripts/build-cuda.sh equals the hash of src/main/cuda computed the same way (sha256sum of each
 * .cu/.cuh/nvcc.flags file, sorted by "./name", then sha256 of that listing). Runs without a GPU.
 */
class CudaSourcesHashTest {
    static String sourcesHash(Path dir) throws IOException, NoSuchAlgorithmException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".cu") || n.endsWith(".cuh") || n.equals("nvcc.flags");
            }).sorted((a, b) -> ("./" + a.getFileName()).compareTo("./" + b.getFileName())).toList();
        }
        StringBuilder listing = new StringBuilder();
        for (Path f : files) {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
            listing.append(HexFormat.of().formatHex(h)).append("  ./").append(f.getFileName()).append('\n');
        }
        byte[] h = MessageDigest.getInstance("SHA-256").digest(listing.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(h);
    }

    @Test
    void fatbinMatchesSources() throws Exception {
        String actual = sourcesHash(Path.of("src/main/cuda"));
        String recorded;
        try (InputStream in = getClass().getResourceAsStream("/rift/cuda/rift_kernels.sha256")) {
            assertTrue(in != null, "rift_kernels.sha256 is missing: run scripts/build-cuda.sh");
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
        }
        assertEquals(recorded, actual, "the CUDA sources changed since rift_kernels.fatbin was built: run scripts/build-cuda.sh "
                + "(needs nvcc) and commit kernels/src/main/resources/rift/cuda/");
        try (InputStream in = getClass().getResourceAsStream(CudaDevice.FATBIN_RESOURCE)) {
            assertTrue(in != null, "rift_kernels.fatbin is missing: run scripts/build-cuda.sh");
            byte[] head = in.readNBytes(4);
            // fatbin magic 0xBA55ED50, little-endian
            assertEquals(List.of((byte) 0x50, (byte) 0xED, (byte) 0x55, (byte) 0xBA), List.of(head[0], head[1], head[2], head[3]));
            assertTrue(in.available() < 8 << 20, "fatbin over 8 MB");
        }
    }
}
