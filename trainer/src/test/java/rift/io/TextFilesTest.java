package rift.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.RiftException;

/** User text files and output folders that cannot work fail with a RiftException naming the file and the fix. */
class TextFilesTest {
    @TempDir
    Path tmp;

    @Test
    void readsUtf8Text() throws Exception {
        Path f = tmp.resolve("r.yaml");
        Files.writeString(f, "name: caf\u00e9\n");
        assertEquals("name: caf\u00e9\n", TextFiles.readUtf8(f, "recipe"));
    }

    @Test
    void aFolderIsNamedAsAFolder() {
        var e = assertThrows(RiftException.class, () -> TextFiles.readUtf8(tmp, "recipe"));
        assertEquals(tmp + ": is a folder, not a recipe; give the path of the recipe itself", e.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreFoundByLine() throws Exception {
        Path f = tmp.resolve("latin1.yaml");
        Files.write(f, new byte[] {'a', ':', ' ', '1', '\n', '#', ' ', 'c', 'a', 'f', (byte) 0xe9, '\n'});
        var e = assertThrows(RiftException.class, () -> TextFiles.readUtf8(f, "suite file"));
        assertEquals(f + ":2: the suite file is not valid UTF-8 (byte 0xe9 at offset 10); save it as UTF-8 text", e.getMessage());
    }

    @Test
    void aMissingFileIsLeftToTheCaller() {
        assertThrows(NoSuchFileException.class, () -> TextFiles.readUtf8(tmp.resolve("nope.yaml"), "recipe"));
    }

    @Test
    void anOutputFolderThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        var e = assertThrows(RiftException.class, () -> OutputFolder.requireWritable(file, "--out"));
        assertTrue(e.getMessage().startsWith("--out " + file + ": is a file, not a folder"), e.getMessage());
        var under = assertThrows(RiftException.class, () -> OutputFolder.requireWritable(file.resolve("sub/dir"), "--out"));
        assertTrue(under.getMessage().contains(file + " is a file, so the folder cannot be created there"), under.getMessage());
        OutputFolder.requireWritable(tmp.resolve("new/folder"), "--out"); // absent under a writable folder: fine
        OutputFolder.requireWritable(tmp, "--out");
    }
}
