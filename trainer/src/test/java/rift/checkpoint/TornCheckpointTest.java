package rift.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.checkpoint.CheckpointFixtures.CONFIG;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.cpu.CpuBackend;

/** A checkpoint without DONE, with a changed byte or with a missing file is torn: skipped when resuming, refused when read. */
class TornCheckpointTest {
    private static final Backend BE = new CpuBackend();

    @TempDir
    Path tmp;

    private Path run;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void writeTwo() {
        run = tmp.resolve("run");
        CheckpointWriter w = new CheckpointWriter(BE, Retention.keepAll());
        w.write(run, 1, CheckpointFixtures.contents(CONFIG, BE, 1, null));
        w.write(run, 2, CheckpointFixtures.contents(CONFIG, BE, 2, null));
        savedErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(savedErr);
    }

    private String warnings() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    /** latestComplete falls back to step-1, warns naming step-2 and {@code why}, and read(step-2) fails saying it. */
    private void assertStep2Torn(String why) {
        assertEquals(Optional.of(run.resolve("step-1")), CheckpointReader.latestComplete(run));
        assertTrue(warnings().contains("skipping torn checkpoint " + run.resolve("step-2")), warnings());
        assertTrue(warnings().contains(why), warnings());
        RiftException e = assertThrows(RiftException.class, () -> CheckpointReader.read(run.resolve("step-2"), CONFIG, BE));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains("treat " + run.resolve("step-2") + " as torn"), e.getMessage());
    }

    @Test
    void intactRunHasNoWarnings() {
        assertEquals(Optional.of(run.resolve("step-2")), CheckpointReader.latestComplete(run));
        assertEquals("", warnings());
    }

    @Test
    void missingDoneIsTorn() throws IOException {
        Files.delete(run.resolve("step-2/DONE"));
        assertStep2Torn("no DONE marker");
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.safetensors", "optimizer.safetensors", "trainer_state.json", "recipe.yaml", "config.json"})
    void oneChangedByteIsTorn(String file) throws IOException {
        Path f = run.resolve("step-2").resolve(file);
        CheckpointFixtures.flipByte(f, Files.size(f) / 2);
        assertStep2Torn(f + ": content does not match its sha256 in MANIFEST.sha256");
    }

    @Test
    void truncatedTensorFileIsTorn() throws IOException {
        Path f = run.resolve("step-2/model.safetensors");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 4));
        assertStep2Torn(f + ": content does not match its sha256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"optimizer.safetensors", "generation_config.json"})
    void missingFileIsTorn(String file) throws IOException {
        Files.delete(run.resolve("step-2").resolve(file));
        assertStep2Torn(run.resolve("step-2").resolve(file) + ": missing (listed in MANIFEST.sha256)");
    }

    @Test
    void changedManifestIsTorn() throws IOException {
        CheckpointFixtures.flipByte(run.resolve("step-2/MANIFEST.sha256"), 3);
        assertStep2Torn("MANIFEST.sha256: content does not match the sha256 recorded in DONE");
    }

    @Test
    void missingManifestIsTorn() throws IOException {
        Files.delete(run.resolve("step-2/MANIFEST.sha256"));
        assertStep2Torn("MANIFEST.sha256: missing");
    }

    @Test
    void halfWrittenDoneIsTorn() throws IOException {
        Path done = run.resolve("step-2/DONE");
        String text = Files.readString(done);
        Files.writeString(done, text.substring(0, text.length() / 2));
        assertStep2Torn("malformed marker");
    }

    @Test
    void doneOfAnotherStepIsRefused() throws IOException {
        Files.copy(run.resolve("step-1/DONE"), run.resolve("step-2/DONE"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(Optional.of(run.resolve("step-1")), CheckpointReader.latestComplete(run));
        String why = run.resolve("step-2/DONE") + ": says step 1 but the directory is step-2; rename it back to step-1";
        assertTrue(warnings().contains(why), warnings());
        RiftException e = assertThrows(RiftException.class, () -> CheckpointReader.read(run.resolve("step-2"), CONFIG, BE));
        assertEquals(why, e.getMessage());
    }

    @Test
    void everyCheckpointTornMeansNone() throws IOException {
        Files.delete(run.resolve("step-2/DONE"));
        Files.delete(run.resolve("step-1/model.safetensors"));
        assertEquals(Optional.empty(), CheckpointReader.latestComplete(run));
        assertTrue(warnings().contains("step-1") && warnings().contains("step-2"), warnings());
    }

    @Test
    void otherDirectoriesAreNotCheckpoints() throws IOException {
        Files.createDirectories(run.resolve(".tmp-step-3-0123456789abcdef"));
        Files.createDirectories(run.resolve("step-007"));
        Files.createDirectories(run.resolve("logs"));
        Files.writeString(run.resolve("step-4"), "a file, not a directory");
        assertEquals(Optional.of(run.resolve("step-2")), CheckpointReader.latestComplete(run));
        assertEquals("", warnings());
    }

    @Test
    void olderTornCheckpointsAreNotEvenOpened() throws IOException {
        // Only checkpoints newer than the one returned are verified (and warned about).
        Files.delete(run.resolve("step-1/DONE"));
        assertEquals(Optional.of(run.resolve("step-2")), CheckpointReader.latestComplete(run));
        assertEquals("", warnings());
    }
}
