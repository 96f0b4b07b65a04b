package rift.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import rift.kernels.Tensor;
import rift.model.Weights;

/**
 * Everything a run needs to continue exactly where it stopped (trainers.md 5.6), as the trainer hands it
 * to {@link CheckpointWriter} and gets it back from {@link CheckpointReader}.
 *
 * @param weights      the parameters (fp32 master copy); {@code weights.config} is the model config saved
 * @param optimizer    AdamW moments and step, or null for a weights-only checkpoint (cannot resume exactly)
 * @param schedule     learning-rate schedule state, opaque to the store (e.g. {@code {"step": 120}})
 * @param dataCursor   data order and position, opaque to the store (seed, epoch, index, permutation...)
 * @param rngStates    every generator's state by name (host sampling, rollout, dropout...), 4 longs each
 *                     as {@link rift.util.Rng#state()} gives them
 * @param recipeHash   {@link rift.recipe.Recipe#hash()} of the resolved recipe
 * @param recipeYaml   {@link rift.recipe.Recipe#toYaml()}: the resolved recipe text, saved as recipe.yaml
 * @param metrics      the metrics logged so far, an opaque JSON array
 * @param loopState    anything else the training loop must carry over, opaque (GRPO: adaptive KL
 *                     coefficient, carried-over rollouts...); an empty object when there is none
 * @param tokenizerDir on write: the directory to copy tokenizer files from, or null to copy none; on read:
 *                     the checkpoint directory when it holds a tokenizer.json, else null
 */
public record CheckpointContents(Weights weights, OptimizerState optimizer, JsonNode schedule, JsonNode dataCursor,
                                 Map<String, long[]> rngStates, String recipeHash, String recipeYaml, ArrayNode metrics,
                                 JsonNode loopState, Path tokenizerDir) {
    public CheckpointContents {
        if (weights == null) throw new IllegalArgumentException("weights are required");
        if (optimizer != null) checkSameParameters(weights, optimizer);
        if (schedule == null) throw new IllegalArgumentException("schedule state is required (use an empty object)");
        if (dataCursor == null) throw new IllegalArgumentException("data cursor is required (use an empty object)");
        if (recipeHash == null || recipeHash.isBlank()) throw new IllegalArgumentException("recipe hash is required");
        if (recipeYaml == null) throw new IllegalArgumentException("recipe YAML is required");
        if (metrics == null) throw new IllegalArgumentException("metrics are required (use an empty array)");
        if (rngStates == null) throw new IllegalArgumentException("RNG states are required (use an empty map)");
        TreeMap<String, long[]> rngs = new TreeMap<>();
        for (Map.Entry<String, long[]> e : rngStates.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.chars().anyMatch(Character::isISOControl))
                throw new IllegalArgumentException("RNG name must be a non-empty printable string, got " + name);
            if (e.getValue() == null || e.getValue().length != 4)
                throw new IllegalArgumentException("RNG '" + name + "' state must be 4 longs (Rng.state()), got "
                        + (e.getValue() == null ? "null" : e.getValue().length));
            rngs.put(name, e.getValue().clone());
        }
        rngStates = Collections.unmodifiableMap(rngs);
        schedule = schedule.deepCopy();
        dataCursor = dataCursor.deepCopy();
        metrics = metrics.deepCopy();
        loopState = loopState == null ? JsonNodeFactory.instance.objectNode() : loopState.deepCopy();
    }

    /** Every RNG state by name, sorted; the arrays are copies. */
    @Override
    public Map<String, long[]> rngStates() {
        TreeMap<String, long[]> copy = new TreeMap<>();
        rngStates.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** One generator's state (a copy), or null when there is none of that name. */
    public long[] rngState(String name) {
        long[] s = rngStates.get(name);
        return s == null ? null : s.clone();
    }

    @Override
    public JsonNode schedule() {
        return schedule.deepCopy();
    }

    @Override
    public JsonNode dataCursor() {
        return dataCursor.deepCopy();
    }

    @Override
    public ArrayNode metrics() {
        return metrics.deepCopy();
    }

    @Override
    public JsonNode loopState() {
        return loopState.deepCopy();
    }

    private static void checkSameParameters(Weights weights, OptimizerState opt) {
        Map<String, Tensor> p = weights.named();
        if (!p.keySet().equals(opt.m().named().keySet()))
            throw new IllegalArgumentException("optimizer moments are for parameters " + opt.m().named().keySet()
                    + ", the weights have " + p.keySet());
        for (Map.Entry<String, Tensor> e : p.entrySet()) {
            int[] want = e.getValue().shape();
            if (!Arrays.equals(want, opt.m().named().get(e.getKey()).shape()) || !Arrays.equals(want, opt.v().named().get(e.getKey()).shape()))
                throw new IllegalArgumentException("optimizer moments of " + e.getKey() + " do not have its shape " + Arrays.toString(want));
        }
    }
}
