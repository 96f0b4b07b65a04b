package rift.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import rift.kernels.RiftException;

/**
 * Where a run is in its training data: the next example is {@code position} in the order of epoch
 * {@code epoch}, and the order of epoch e is {@code Rng.derive(permutationSeed, e).permutation(n)}
 * (see {@link DataOrder}). Small and exact, so checkpoints store it and a resumed run continues with
 * exactly the indices it would have drawn had it never stopped.
 *
 * <p>{@link DataOrder} keeps {@code position < n}: a cursor at the end of an epoch is stored as the
 * start of the next one, so resuming there neither repeats the finished epoch nor trains 0 steps.
 *
 * <p>JSON: {@code {"epoch": 2, "permutation_seed": 1234, "position": 17}} (all three required).
 */
public record DataCursor(
        @JsonProperty("epoch") long epoch,
        @JsonProperty("permutation_seed") long permutationSeed,
        @JsonProperty("position") long position) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public DataCursor {
        if (epoch < 0) throw new RiftException("data cursor epoch is " + epoch + ": it must be >= 0 (a corrupt checkpoint?)");
        if (position < 0) throw new RiftException("data cursor position is " + position + ": it must be >= 0 (a corrupt checkpoint?)");
    }

    /** The start of training: epoch 0, position 0. */
    public static DataCursor start(long permutationSeed) {
        return new DataCursor(0, permutationSeed, 0);
    }

    public ObjectNode toJsonNode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", epoch);
        o.put("permutation_seed", permutationSeed);
        o.put("position", position);
        return o;
    }

    public String toJson() {
        return toJsonNode().toString();
    }

    public static DataCursor fromJson(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new RiftException("data cursor is not valid JSON (" + e.getOriginalMessage() + "): a corrupt checkpoint?");
        }
    }

    /** Reads a cursor, requiring each field to be an integer (a missing one is an error, not a 0). */
    public static DataCursor fromJson(JsonNode node) {
        if (node == null || !node.isObject())
            throw new RiftException("data cursor must be a JSON object {epoch, permutation_seed, position}, got " + node);
        return new DataCursor(field(node, "epoch"), field(node, "permutation_seed"), field(node, "position"));
    }

    private static long field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong())
            throw new RiftException("data cursor field '" + name + "' is " + (v == null ? "missing" : v.toString())
                    + ": it must be an integer (a corrupt checkpoint?)");
        return v.asLong();
    }
}
