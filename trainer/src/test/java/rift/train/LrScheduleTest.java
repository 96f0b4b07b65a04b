package rift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.RiftException;
import rift.recipe.Recipe;

/** The learning-rate schedule over the updates a run really makes. */
class LrScheduleTest {
    @TempDir
    Path dir;

    private Recipe recipe(String... overrides) throws Exception {
        Path f = Files.writeString(dir.resolve("r.yaml"), """
                method: sft
                model: {path: models/tiny}
                data: {train: [d.jsonl]}
                optim: {lr: 1.0}
                """);
        return Recipe.load(f, List.of(overrides));
    }

    @Test
    void warmupRisesToTheFullRateAtItsLastUpdate() throws Exception {
        LrSchedule s = LrSchedule.of(recipe("schedule.warmup_steps=4"), 10);
        assertEquals(0.25, s.at(0), 1e-12);
        assertEquals(1.0, s.at(3), 1e-12);
        assertEquals(1.0, s.at(9), 1e-12);
        assertEquals(3, LrSchedule.of(recipe("schedule.warmup_ratio=0.25"), 10).warmup()); // ceil(2.5)
    }

    @Test
    void aWarmupLongerThanTheRunIsRefused() throws Exception {
        // max_steps 100 passes the recipe check, but the data (epochs) ends the run after 2 updates
        Recipe r = recipe("schedule.max_steps=100", "schedule.warmup_steps=50");
        RiftException e = assertThrows(RiftException.class, () -> LrSchedule.of(r, 2));
        assertTrue(e.getMessage().startsWith("recipe schedule.warmup_steps: 50 warmup updates are more than the 2 optimizer updates"),
                e.getMessage());
        assertEquals(2, LrSchedule.of(recipe("schedule.warmup_steps=2"), 2).warmup()); // equal is fine
    }
}
