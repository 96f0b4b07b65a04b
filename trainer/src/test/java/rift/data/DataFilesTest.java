package rift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.TestPaths;
import rift.kernels.RiftException;

class DataFilesTest {
    @TempDir
    Path tmp;

    @Test
    void dataNamesResolveInTheRepositorysDataFolder() {
        Path want = TestPaths.repoRoot().resolve("data/gsm8k/train.jsonl.gz");
        // tests run in trainer/: the walk up finds the checkout
        assertEquals(want, DataFiles.resolve("data:gsm8k/train.jsonl.gz"));
        assertEquals(want, DataFiles.resolve("data:gsm8k/../gsm8k/train.jsonl.gz"));
        assertEquals(TestPaths.repoRoot().resolve("data"), DataFiles.findDataDir(null, Path.of("").toAbsolutePath()));
        assertEquals(TestPaths.repoRoot().resolve("data"), DataFiles.findDataDir(TestPaths.repoRoot().toString(), tmp));
    }

    @Test
    void pathsResolveAgainstTheWorkingDirectory() throws IOException {
        Files.createDirectories(tmp.resolve("sub"));
        Path f = Files.writeString(tmp.resolve("sub/x.jsonl"), "{}\n");
        assertEquals(f, DataFiles.resolve("sub/x.jsonl", () -> { throw new AssertionError("not a data: name"); }, tmp));
        assertEquals(f, DataFiles.resolve(f.toString(), () -> null, Path.of("/nonexistent")));
    }

    @Test
    void aMissingFileNamesThePathTriedAndListsTheFolder() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data/gsm8k"));
        Files.writeString(data.resolve("train.jsonl.gz"), "");
        Files.writeString(data.resolve("test.jsonl.gz"), "");
        RiftException e = assertThrows(RiftException.class,
                () -> DataFiles.resolve("data:gsm8k/train.jsonl", () -> tmp.resolve("data"), tmp));
        assertEquals("data file 'data:gsm8k/train.jsonl' not found: tried " + data.resolve("train.jsonl") + ". "
                + data + " holds: test.jsonl.gz, train.jsonl.gz.", e.getMessage());
        RiftException deeper = assertThrows(RiftException.class,
                () -> DataFiles.resolve("data:gsm9k/train.jsonl.gz", () -> tmp.resolve("data"), tmp));
        assertTrue(deeper.getMessage().contains("tried " + tmp.resolve("data/gsm9k/train.jsonl.gz")), deeper.getMessage());
        assertTrue(deeper.getMessage().endsWith(tmp.resolve("data/gsm9k") + " does not exist; " + tmp.resolve("data")
                + " holds: gsm8k/."), deeper.getMessage());
        RiftException folder = assertThrows(RiftException.class, () -> DataFiles.resolve("data:gsm8k", () -> tmp.resolve("data"), tmp));
        assertTrue(folder.getMessage().contains("(a folder, not a file)"), folder.getMessage());
        for (String bad : new String[] {"data:../secrets", "data:/etc/passwd", "data:", " "})
            assertThrows(RiftException.class, () -> DataFiles.resolve(bad, () -> tmp.resolve("data"), tmp), bad);
    }

    @Test
    void noRepositoryFoundIsAnError() {
        RiftException e = assertThrows(RiftException.class, () -> DataFiles.findDataDir(null, tmp));
        assertTrue(e.getMessage().contains("cannot find the repository's data/ folder"), e.getMessage());
        RiftException home = assertThrows(RiftException.class, () -> DataFiles.findDataDir(tmp.toString(), tmp));
        assertTrue(home.getMessage().startsWith("rift.home is " + tmp), home.getMessage());
    }
}
