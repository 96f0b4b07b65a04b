package rift.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.checkpoint.CheckpointFixtures.CONFIG;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.Backend;
import rift.kernels.cpu.CpuBackend;
import rift.recipe.CheckpointConfig;

class RetentionTest {
    private static final Backend BE = new CpuBackend();

    @TempDir
    Path tmp;

    private static List<Long> steps(long... s) {
        return java.util.Arrays.stream(s).boxed().toList();
    }

    @Test
    void keepLastDeletesTheOldest() {
        assertEquals(steps(1, 2, 3, 4), new Retention(2, null).toDelete(steps(6, 1, 5, 2, 4, 3), -1));
        assertEquals(steps(), new Retention(2, null).toDelete(steps(3, 4), -1));
        assertEquals(steps(), new Retention(1, null).toDelete(steps(), -1));
    }

    @Test
    void keepEveryKeepsMultiplesForGood() {
        // keep 8, 9 (newest two) and 3, 6, 9 (multiples of 3)
        assertEquals(steps(1, 2, 4, 5, 7), new Retention(2, 3).toDelete(steps(1, 2, 3, 4, 5, 6, 7, 8, 9), -1));
        // keep 8 (newest) and 3, 6
        assertEquals(steps(1, 2, 4, 5, 7), new Retention(1, 3).toDelete(steps(1, 2, 3, 4, 5, 6, 7, 8), -1));
        assertTrue(new Retention(1, 3).isPermanent(0) && new Retention(1, 3).isPermanent(9) && !new Retention(1, 3).isPermanent(10));
        assertFalse(new Retention(1, null).isPermanent(0));
    }

    @Test
    void nullKeepLastKeepsEverything() {
        assertEquals(steps(), new Retention(null, 5).toDelete(steps(1, 2, 3, 4, 5, 6), -1));
        assertEquals(steps(), Retention.keepAll().toDelete(steps(1, 2, 3), -1));
    }

    @Test
    void theNewestAndTheProtectedStepSurvive() {
        assertEquals(steps(1, 2), new Retention(1, null).toDelete(steps(1, 2, 3), -1));
        assertEquals(steps(1, 3), new Retention(1, null).toDelete(steps(1, 2, 3, 4), 2));
    }

    @Test
    void policyComesFromTheRecipe() {
        Retention r = Retention.of(new CheckpointConfig(100, 3, 1000, true));
        assertEquals(3, r.keepLast());
        assertEquals(1000, r.keepEvery());
        assertThrows(IllegalArgumentException.class, () -> new Retention(0, null));
        assertThrows(IllegalArgumentException.class, () -> new Retention(null, 0));
    }

    private Set<String> entries(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(CheckpointFormat.WRITER_LOCK))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void writerAppliesThePolicyAfterEachWrite() throws IOException {
        Path run = tmp.resolve("run");
        CheckpointWriter w = new CheckpointWriter(BE, new Retention(2, 3));
        for (long step = 1; step <= 4; step++) w.write(run, step, CheckpointFixtures.contents(CONFIG, BE, step, null));
        assertEquals(Set.of("step-3", "step-4"), entries(run));
        for (long step = 5; step <= 8; step++) w.write(run, step, CheckpointFixtures.contents(CONFIG, BE, step, null));
        assertEquals(Set.of("step-3", "step-6", "step-7", "step-8"), entries(run));
        for (String s : entries(run)) CheckpointReader.verify(run.resolve(s));
    }

    @Test
    void tornCheckpointsAreNeverDeleted() throws IOException {
        Path run = tmp.resolve("run");
        CheckpointWriter w = new CheckpointWriter(BE, new Retention(1, null));
        w.write(run, 1, CheckpointFixtures.contents(CONFIG, BE, 1, null));
        Files.delete(run.resolve("step-1/DONE"));
        w.write(run, 2, CheckpointFixtures.contents(CONFIG, BE, 2, null));
        w.write(run, 3, CheckpointFixtures.contents(CONFIG, BE, 3, null));
        assertEquals(Set.of("step-1", "step-3"), entries(run));
    }

    @Test
    void aResumeFromAnEarlierStepKeepsTheNewestAndTheNewOne() throws IOException {
        Path run = tmp.resolve("run");
        CheckpointWriter keepAll = new CheckpointWriter(BE, Retention.keepAll());
        for (long step : new long[] {2, 4, 6}) keepAll.write(run, step, CheckpointFixtures.contents(CONFIG, BE, step, null));
        new CheckpointWriter(BE, new Retention(1, null)).write(run, 3, CheckpointFixtures.contents(CONFIG, BE, 3, null));
        assertEquals(Set.of("step-3", "step-6"), entries(run));
    }

    @Test
    void staleTemporariesAreRemovedAtTheNextWrite() throws IOException {
        Path run = tmp.resolve("run");
        Path stale = Files.createDirectories(run.resolve(".tmp-step-9-00000000deadbeef"));
        Files.writeString(stale.resolve("model.safetensors"), "half a file");
        Files.createDirectories(run.resolve(".tmp-delete-step-3-0000000000000001/nested"));
        Files.createDirectories(run.resolve("logs"));
        Files.writeString(run.resolve("metrics.jsonl"), "{}\n");
        new CheckpointWriter(BE, Retention.keepAll()).write(run, 10, CheckpointFixtures.contents(CONFIG, BE, 10, null));
        assertEquals(Set.of("logs", "metrics.jsonl", "step-10"), entries(run));
    }

    @Test
    void rewritingAStepReplacesIt() throws IOException {
        Path run = tmp.resolve("run");
        CheckpointWriter w = new CheckpointWriter(BE, Retention.keepAll());
        // A torn step-5 (crash between rename and DONE) is replaced by the next write of step 5...
        w.write(run, 5, CheckpointFixtures.contents(CONFIG, BE, 99, null));
        Files.delete(run.resolve("step-5/DONE"));
        w.write(run, 5, CheckpointFixtures.contents(CONFIG, BE, 5, null));
        CheckpointFixtures.assertSameContents(CheckpointFixtures.contents(CONFIG, BE, 5, null),
                CheckpointReader.read(run.resolve("step-5"), CONFIG, BE).contents(), BE);
        // ...and so is a complete one (a run resumed from an earlier step writes its own history).
        w.write(run, 5, CheckpointFixtures.contents(CONFIG, BE, 77, null));
        CheckpointFixtures.assertSameContents(CheckpointFixtures.contents(CONFIG, BE, 77, null),
                CheckpointReader.read(run.resolve("step-5"), CONFIG, BE).contents(), BE);
        assertEquals(Set.of("step-5"), entries(run));
    }
}
