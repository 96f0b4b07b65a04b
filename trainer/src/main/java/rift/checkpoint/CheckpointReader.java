package rift.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import rift.io.DType;
import rift.io.SafeTensors;
import rift.io.SafeTensorsReader;
import rift.io.TensorInfo;
import rift.io.TensorStore;
import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.Tensor;
import rift.model.ModelConfig;
import rift.model.Weights;

/**
 * Finds and reads checkpoints written by {@link CheckpointWriter}. Every read first checks the DONE marker
 * and the sha256 of every file against the manifest, so a torn or damaged checkpoint is never loaded.
 */
public final class CheckpointReader {
    private CheckpointReader() {}

    /**
     * The newest complete checkpoint of {@code runDir}: the highest step whose DONE marker and manifest
     * verify. Newer torn ones are skipped with a warning on stderr naming them and why. Empty when there is
     * none (or no runDir).
     */
    public static Optional<Path> latestComplete(Path runDir) {
        for (Path dir : Checkpoints.stepDirs(runDir).descendingMap().values()) {
            try {
                Checkpoints.verify(dir);
                return Optional.of(dir);
            } catch (RiftException torn) {
                System.err.println("rift: warning: skipping torn checkpoint " + dir + ": " + torn.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Checks DONE, the manifest and every file's sha256; a RiftException naming the first problem and the fix. */
    public static void verify(Path stepDir) {
        Checkpoints.verify(stepDir);
    }

    /** {@link #latestComplete} then {@link #read(Path, ModelConfig, Backend)}, hashing the files once. */
    public static Optional<Checkpoint> readLatest(Path runDir, ModelConfig config, Backend be) {
        return latestComplete(runDir).map(dir -> read(dir, config, be, readManifestAfterVerify(dir)));
    }

    /** Reads a checkpoint whose model must be {@code config} (the run's model); tensors are uploaded through {@code be}. */
    public static Checkpoint read(Path stepDir, ModelConfig config, Backend be) {
        return read(stepDir, config, be, Checkpoints.verify(stepDir));
    }

    /** Reads a checkpoint with the model config saved in it. */
    public static Checkpoint read(Path stepDir, Backend be) {
        TreeMap<String, String> listed = Checkpoints.verify(stepDir);
        return read(stepDir, loadConfig(stepDir, listed), be, listed);
    }

    // latestComplete has just hashed every file; re-reading DONE and the manifest is enough here.
    private static TreeMap<String, String> readManifestAfterVerify(Path dir) {
        return Checkpoints.checkDone(dir);
    }

    private static Checkpoint read(Path dir, ModelConfig config, Backend be, TreeMap<String, String> listed) {
        for (String f : List.of(CheckpointFormat.TRAINER_STATE, CheckpointFormat.RECIPE, CheckpointFormat.CONFIG,
                CheckpointFormat.GENERATION_CONFIG))
            requireListed(dir, listed, f);
        if (!listed.containsKey(TensorStore.SINGLE_FILE) && !listed.containsKey(TensorStore.INDEX_FILE))
            throw new RiftException(dir + ": the manifest lists no " + TensorStore.SINGLE_FILE + " or " + TensorStore.INDEX_FILE
                    + ", so the checkpoint has no model weights; " + Checkpoints.tornFix(dir));
        Path statePath = dir.resolve(CheckpointFormat.TRAINER_STATE);
        TrainerState state = TrainerState.parse(statePath, readBytes(dir, CheckpointFormat.TRAINER_STATE));
        long doneStep = Checkpoints.doneStep(dir);
        if (state.step() != doneStep)
            throw new RiftException(statePath + ": field 'step' is " + state.step() + " but " + CheckpointFormat.DONE
                    + " says " + doneStep + "; " + Checkpoints.tornFix(dir));
        String recipeYaml = new String(readBytes(dir, CheckpointFormat.RECIPE), StandardCharsets.UTF_8);
        if (!recipeYaml.equals(state.recipeYaml()))
            throw new RiftException(dir.resolve(CheckpointFormat.RECIPE) + ": differs from field 'recipe_yaml' of "
                    + CheckpointFormat.TRAINER_STATE + " (one was edited after the checkpoint was written); restore the edited"
                    + " file, or " + Checkpoints.tornFix(dir));

        ModelConfig saved = loadConfig(dir, listed);
        List<String> configDiff = configDifferences(saved, config);
        Weights weights = loadModel(dir, config, be, configDiff);
        OptimizerState optimizer = null;
        if (state.hasOptimizer()) {
            requireListed(dir, listed, CheckpointFormat.OPTIMIZER);
            optimizer = loadOptimizer(dir.resolve(CheckpointFormat.OPTIMIZER), weights, be, state.optimizerStep());
        }
        Path tokenizer = listed.containsKey(CheckpointFormat.TOKENIZER_JSON) ? dir : null;
        CheckpointContents contents = new CheckpointContents(weights, optimizer, state.schedule(), state.dataCursor(),
                state.rngStates(), state.recipeHash(), state.recipeYaml(), state.metrics(), state.loopState(), tokenizer);
        return new Checkpoint(state.step(), dir, state.riftVersion(), contents);
    }

    private static void requireListed(Path dir, Map<String, String> listed, String file) {
        if (!listed.containsKey(file))
            throw new RiftException(dir.resolve(file) + ": missing from the checkpoint (the manifest does not list it); "
                    + Checkpoints.tornFix(dir));
    }

    private static byte[] readBytes(Path dir, String file) {
        try {
            return Files.readAllBytes(dir.resolve(file));
        } catch (NoSuchFileException e) {
            throw new RiftException(dir.resolve(file) + ": missing; " + Checkpoints.tornFix(dir));
        } catch (IOException e) {
            throw new RiftException(dir.resolve(file) + ": cannot read (" + e.getMessage() + "); check its permissions", e);
        }
    }

    private static ModelConfig loadConfig(Path dir, Map<String, String> listed) {
        requireListed(dir, listed, CheckpointFormat.CONFIG);
        return ModelConfig.load(dir);
    }

    // Keys that do not change what the weights compute: token ids (the run's own config decides generation)
    // and the initialisation scale.
    private static final java.util.Set<String> NOT_COMPARED = java.util.Set.of("bos_token_id", "eos_token_id", "pad_token_id",
            "initializer_range");

    /** "key: checkpoint X, run Y" for every config.json key, of those that change the model's function, on which they disagree. */
    static List<String> configDifferences(ModelConfig saved, ModelConfig run) {
        ObjectNode a = saved.toJson(), b = run.toJson();
        a.remove(NOT_COMPARED);
        b.remove(NOT_COMPARED);
        List<String> out = new ArrayList<>();
        TreeMap<String, Boolean> keys = new TreeMap<>();
        a.fieldNames().forEachRemaining(k -> keys.put(k, true));
        b.fieldNames().forEachRemaining(k -> keys.put(k, true));
        for (String k : keys.keySet()) {
            var x = a.get(k);
            var y = b.get(k);
            if (x == null ? y != null : !x.equals(y))
                out.add(k + ": checkpoint " + (x == null ? "absent" : x) + ", run " + (y == null ? "absent" : y));
        }
        return out;
    }

    /**
     * The model tensors, after checking names and shapes (the most specific error when the run's model is
     * another one) and then the rest of config.json (same shapes, different RoPE or norm epsilon...).
     */
    private static Weights loadModel(Path dir, ModelConfig config, Backend be, List<String> configDiff) {
        Weights w = Weights.zeros(config, be);
        try (TensorStore store = TensorStore.open(dir)) {
            for (Map.Entry<String, Tensor> e : w.named().entrySet()) {
                String name = e.getKey();
                if (!store.has(name))
                    throw new RiftException(dir.resolve(TensorStore.SINGLE_FILE) + ": no tensor '" + name + "', which this run's model has"
                            + mismatchHint(configDiff));
                checkShape(store.fileOf(name), store.info(name), e.getValue(), configDiff);
            }
            for (String name : store.tensors().keySet())
                if (!w.named().containsKey(name))
                    throw new RiftException(store.fileOf(name) + ": holds tensor '" + name + "', which this run's model does not have"
                            + mismatchHint(configDiff));
            if (!configDiff.isEmpty())
                throw new RiftException(dir.resolve(CheckpointFormat.CONFIG) + ": the checkpoint's model differs from this run's ("
                        + String.join("; ", configDiff) + "); resume with the model config the checkpoint was written with");
            for (Map.Entry<String, Tensor> e : w.named().entrySet()) be.upload(e.getValue(), store.readFloat(e.getKey()));
        }
        return w;
    }

    private static OptimizerState loadOptimizer(Path file, Weights params, Backend be, int step) {
        Weights m = Weights.zeros(params.config, be), v = Weights.zeros(params.config, be);
        try (SafeTensorsReader r = SafeTensors.open(file)) {
            for (Map.Entry<String, Tensor> e : params.named().entrySet()) {
                for (String which : new String[] {"m", "v"}) {
                    String name = which + "." + e.getKey();
                    if (!r.has(name))
                        throw new RiftException(file + ": no tensor '" + name + "' (AdamW moment of parameter " + e.getKey()
                                + "); the optimizer state is for a different model. Resume with the model config the checkpoint"
                                + " was written with, or start the optimizer fresh from the weights alone");
                    TensorInfo info = r.info(name);
                    if (info.dtype() != DType.F32)
                        throw new RiftException(file + ": tensor '" + name + "' is " + info.dtype() + "; rift stores optimizer"
                                + " moments as F32 so a resume is exact. " + Checkpoints.tornFix(file.getParent()));
                    Tensor dst = (which.equals("m") ? m : v).named().get(e.getKey());
                    checkShape(file, info, dst, List.of());
                    be.upload(dst, r.readFloat(name));
                }
            }
            for (String name : r.tensors().keySet()) {
                int dot = name.indexOf('.');
                String param = dot < 0 ? "" : name.substring(dot + 1);
                boolean known = dot > 0 && (name.startsWith("m.") || name.startsWith("v.")) && params.named().containsKey(param);
                if (!known)
                    throw new RiftException(file + ": holds tensor '" + name + "', which is no AdamW moment of this run's model;"
                            + " resume with the model config the checkpoint was written with");
            }
        }
        return new OptimizerState(m, v, step);
    }

    private static void checkShape(Path file, TensorInfo info, Tensor want, List<String> configDiff) {
        long[] wanted = Arrays.stream(want.shape()).asLongStream().toArray();
        if (!Arrays.equals(info.shape(), wanted))
            throw new RiftException(file + ": tensor '" + info.name() + "' has shape " + Arrays.toString(info.shape())
                    + " but this run's model needs " + Arrays.toString(wanted) + mismatchHint(configDiff));
    }

    private static String mismatchHint(List<String> configDiff) {
        return (configDiff.isEmpty() ? "" : " (config.json differs: " + String.join("; ", configDiff) + ")")
                + "; resume with the model config the checkpoint was written with, or start a fresh run_dir";
    }
}
