package rift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;

/** A config.json whose sizes cannot describe a model names the file and the field (never a dump of the record or a division by zero). */
class ModelConfigErrorsTest {
    private static final String FIX = "; the config.json does not describe a valid model: use the one saved with the weights";

    private static ObjectNode good() {
        return ModelConfig.of(ModelConfig.Arch.QWEN3, 64, 32, 2, 4, 2, 8, 48, 128, false).toJson();
    }

    private static String error(ObjectNode c) {
        return assertThrows(RiftException.class, () -> ModelConfig.fromJson(c, "m/config.json")).getMessage();
    }

    @Test
    void theGoodConfigLoads() {
        assertEquals(2, ModelConfig.fromJson(good(), "m/config.json").numLayers());
    }

    @Test
    void aNegativeSizeIsNamed() {
        assertEquals("m/config.json: num_hidden_layers must be at least 1, got -1" + FIX, error(good().put("num_hidden_layers", -1)));
        assertEquals("m/config.json: intermediate_size must be at least 1, got 0" + FIX, error(good().put("intermediate_size", 0)));
    }

    @Test
    void zeroHeadsIsNamedNotADivisionByZero() {
        ObjectNode c = good().put("num_attention_heads", 0);
        c.remove("head_dim");
        assertEquals("m/config.json: num_attention_heads must be at least 1, got 0" + FIX, error(c));
        assertEquals("m/config.json: num_key_value_heads must be at least 1, got 0" + FIX, error(good().put("num_key_value_heads", 0)));
    }

    @Test
    void headsThatDoNotGroupAreNamedWithTheFile() {
        assertEquals("m/config.json: num_attention_heads (4) must be a multiple of num_key_value_heads (3)" + FIX,
                error(good().put("num_key_value_heads", 3)));
    }

    @Test
    void aMissingFieldSaysTheFix() {
        ObjectNode c = good();
        c.remove("vocab_size");
        assertEquals("m/config.json: missing or non-integer 'vocab_size'" + FIX, error(c));
        assertEquals("m/config.json: missing or non-integer 'vocab_size'" + FIX, error(good().put("vocab_size", "384")));
    }

}
