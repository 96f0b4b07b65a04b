package rift.checkpoint;

import java.nio.file.Path;
import rift.kernels.RiftException;

/**
 * A checkpoint read back: where it is, its step, the rift version that wrote it, and its contents.
 */
public record Checkpoint(long step, Path dir, String riftVersion, CheckpointContents contents) {
    /** True when the checkpoint was written under a recipe whose resolved hash differs from {@code runRecipeHash}. */
    public boolean recipeChanged(String runRecipeHash) {
        return !contents.recipeHash().equals(runRecipeHash);
    }

    /**
     * Refuses a resume under a different recipe. Callers that let a person resume with a changed recipe on
     * purpose skip this call (or compare with {@link #recipeChanged} and warn).
     */
    public void requireRecipeHash(String runRecipeHash) {
        if (recipeChanged(runRecipeHash))
            throw new RiftException(dir.resolve(CheckpointFormat.TRAINER_STATE) + ": recipe_hash is " + contents.recipeHash()
                    + " but this run's resolved recipe hashes to " + runRecipeHash + ": the recipe changed since the checkpoint"
                    + " was written. Resume with the recipe saved beside it (" + dir.resolve(CheckpointFormat.RECIPE)
                    + "), or allow the changed recipe explicitly if the difference is intended");
    }
}
