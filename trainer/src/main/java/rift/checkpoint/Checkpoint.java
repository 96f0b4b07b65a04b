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
        requireRecipe(runRecipeHash, null);
    }

    /** As {@link #requireRecipeHash}, and the message lists the keys where {@code runRecipeYaml} differs from the saved recipe. */
    public void requireRecipe(String runRecipeHash, String runRecipeYaml) {
        if (!recipeChanged(runRecipeHash)) return;
        if (runRecipeYaml != null && contents.recipeYaml() != null && RecipeDiff.sameTraining(contents.recipeYaml(), runRecipeYaml)) {
            // written when the hash still covered run_dir: the same recipe key by key, so the run may go on
            System.err.println("rift: " + dir + " records an older recipe hash, but its recipe equals this one key by key (run_dir aside): resuming");
            return;
        }
        String changed = runRecipeYaml == null ? "" : RecipeDiff.describe(contents.recipeYaml(), runRecipeYaml);
        Path runDir = dir.toAbsolutePath().normalize().getParent();
        throw new RiftException(dir.resolve(CheckpointFormat.TRAINER_STATE) + ": recipe_hash is " + contents.recipeHash()
                + " but this run's resolved recipe hashes to " + runRecipeHash + ": the recipe changed since the checkpoint"
                + " was written" + (changed.isEmpty() ? "" : " (" + changed + ")") + ". Resume with the recipe saved beside it ("
                + dir.resolve(CheckpointFormat.RECIPE) + "), as `rift resume " + runDir + "` does; or, to train on from these weights"
                + " under the changed recipe, start a new run with model.path: " + dir + " (its optimizer state starts fresh)");
    }
}
