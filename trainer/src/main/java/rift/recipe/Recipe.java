package rift.recipe;

import java.nio.file.Path;
import java.util.List;

/**
 * One experiment arm: everything a training run needs, read from one YAML file (plus the files it
 * {@code extends} and command-line {@code key.path=value} overrides), with every default filled in
 * and every value checked. Immutable. Every key is documented on its record component; the table of
 * all keys is {@code docs/recipes.md}.
 */
@Doc("The top level of a recipe file.")
public record Recipe(
        @Doc(value = "Training method; its section (`sft` or `grpo`) is used and the other ignored.",
                required = true)
        Method method,

        @Doc(value = "The model and tokenizer.", dflt = "{}")
        ModelConfig model,

        @Doc(value = "Training data.", dflt = "{}")
        DataConfig data,

        @Doc(value = "SFT settings (method: sft).", dflt = "{}")
        SftConfig sft,

        @Doc(value = "GRPO settings (method: grpo).", dflt = "{}")
        GrpoConfig grpo,

        @Doc(value = "Optimizer.", dflt = "{}")
        OptimConfig optim,

        @Doc(value = "Training length, batch sizes, learning-rate schedule.", dflt = "{}")
        ScheduleConfig schedule,

        @Doc(value = "Checkpointing.", dflt = "{}")
        CheckpointConfig checkpoint,

        @Doc(value = "Evaluation.", dflt = "{}")
        EvalConfig eval,

        @Doc(value = "Seed of every random choice (initialisation, shuffling, sampling). Same recipe,"
                + " seed and thread count: same bits.", dflt = "0", aka = {"seed (TRL, torchtune)"})
        long seed,

        @Doc(value = "Directory for checkpoints, logs and the resolved recipe, relative to the working"
                + " directory. null: runs/<recipe file name without .yaml>.", dflt = "null",
                aka = {"output_dir (TRL, torchtune)", "default_local_dir (verl)"})
        String runDir,

        @Doc(value = "Where to compute.", dflt = "auto")
        Device device,

        @Doc(value = "CPU threads for the kernels; results are bitwise reproducible for a given"
                + " count. 0: -Drift.threads / RIFT_THREADS, else every core (set it explicitly to"
                + " reproduce a run on another machine).", dflt = "0", range = "[0, inf)")
        int threads) {

    public enum Method {
        @Doc("Supervised fine-tuning on data.fields.solution (section `sft`).")
        SFT,
        @Doc("GRPO reinforcement learning with verifiable rewards, and the paper's ablations (section `grpo`).")
        GRPO
    }

    public enum Device {
        @Doc("CPU kernels only.")
        CPU,
        @Doc("An NVIDIA GPU; an error if none is usable.")
        CUDA,
        @Doc("A GPU when one is usable, else the CPU.")
        AUTO
    }

    /**
     * Reads, merges ({@code extends}), overrides, fills defaults and checks a recipe.
     *
     * @param file the recipe YAML
     * @param overrides {@code key.path=value} arguments, applied in order after the files
     * @throws rift.kernels.RiftException naming file, line, key and fix for every problem found
     */
    public static Recipe load(Path file, List<String> overrides) {
        return RecipeLoader.load(file, overrides).recipe();
    }

    public static Recipe load(Path file) {
        return load(file, List.of());
    }

    /** The fully resolved recipe as YAML (every key, defaults filled, no extends); loads back to the same hash. */
    public String toYaml() {
        return RecipeYaml.toYaml(this);
    }

    /**
     * SHA-256 (hex) of the canonical resolved form without run_dir; recipes that train the same way have equal
     * hashes, whatever the file layout or output folder.
     */
    public String hash() {
        return RecipeYaml.hash(this);
    }

    /** The section of the chosen method is the one in use; the other is ignored (and left out of toYaml and hash). */
    public boolean isGrpo() {
        return method == Method.GRPO;
    }
}
