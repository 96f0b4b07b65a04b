package rift.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A refused resume lists what changed in the recipe, key by key. */
class RecipeDiffTest {
    @Test
    void listsChangedAddedAndRemovedKeys() {
        String saved = "method: sft\nrun_dir: runs/a\nschedule:\n  max_steps: 2\n  epochs: 1\ndata:\n  train: [x.jsonl]\n";
        String now = "method: sft\nrun_dir: runs/b\nschedule:\n  max_steps: 3\ndata:\n  train: [x.jsonl, y.jsonl]\nseed: 4\n";
        assertEquals("data.train: [\"x.jsonl\"] -> [\"x.jsonl\",\"y.jsonl\"], run_dir: runs/a -> runs/b, schedule.epochs: 1 -> (absent),"
                + " schedule.max_steps: 2 -> 3, seed: (absent) -> 4", RecipeDiff.describe(saved, now));
    }

    @Test
    void sameRecipeNoDifferenceAndManyAreCounted() {
        assertEquals("", RecipeDiff.describe("a: 1\n", "a: 1\n"));
        StringBuilder a = new StringBuilder(), b = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            a.append("k").append(i).append(": 0\n");
            b.append("k").append(i).append(": 1\n");
        }
        String d = RecipeDiff.describe(a.toString(), b.toString());
        assertEquals(true, d.endsWith(", and 3 more"), d);
    }

    @Test
    void theSameTrainingIsEveryKeyButRunDir() {
        String saved = "method: sft\nrun_dir: runs/a\nschedule:\n  max_steps: 2\n";
        assertEquals(true, RecipeDiff.sameTraining(saved, saved));
        assertEquals(true, RecipeDiff.sameTraining(saved, saved.replace("runs/a", "runs/b")));
        assertEquals(false, RecipeDiff.sameTraining(saved, saved.replace("max_steps: 2", "max_steps: 3")));
        assertEquals(false, RecipeDiff.sameTraining(saved, "method: sft\nrun_dir: runs/a\n"));
        assertEquals(false, RecipeDiff.sameTraining("{ not yaml", saved));
    }
}
