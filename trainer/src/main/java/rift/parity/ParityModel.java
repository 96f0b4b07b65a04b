package rift.parity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import rift.data.DataFiles;
import rift.kernels.RiftException;

/**
 * A model the parity run trains: the recipe's {@code model:} block (a checkpoint path, or an
 * architecture built from the seed) and the tokenizer folder it uses. All read data/testbed: the
 * testbed tokenizer (384 tokens) and its math SFT records.
 *
 * @param fields the entries of the recipe's {@code model:} mapping, as YAML flow text without the braces
 */
public record ParityModel(String name, String fields) {
    /** The names {@link #of} knows. */
    public static final List<String> NAMES = List.of("testbed", "qwen3-hd64", "qwen3-hd128");

    public static ParityModel of(String name) {
        return switch (name) {
            // the shipped pretrained base: realistic, peaked distributions; completions end by EOS at varied lengths
            case "testbed" -> new ParityModel(name, "path: " + quoted(checkpoint("testbed-base")));
            // random Qwen3 shapes with GQA (4 query / 2 kv heads) at the head sizes real models use; hd 128 with
            // d 256 also makes q_proj wider than the residual stream (Qwen3-0.6B: 16 x 128 = 2048 > 1024)
            case "qwen3-hd64" -> random(name, 256, 2, 4, 2, 64, 512);
            case "qwen3-hd128" -> random(name, 256, 2, 4, 2, 128, 512);
            default -> throw new RiftException("--model must be one of " + String.join(", ", NAMES) + " (or all), got '" + name + "'");
        };
    }

    /** A randomly initialised Qwen3 (seeded by the recipe) with the testbed tokenizer's vocabulary. */
    public static ParityModel random(String name, int hidden, int layers, int heads, int kvHeads, int headDim, int ffn) {
        return new ParityModel(name, String.format(java.util.Locale.ROOT,
                "config: {arch: qwen3, vocab_size: 384, hidden_size: %d, num_hidden_layers: %d, num_attention_heads: %d,"
                        + " num_key_value_heads: %d, head_dim: %d, intermediate_size: %d, max_position_embeddings: 320},"
                        + " tokenizer: %s", hidden, layers, heads, kvHeads, headDim, ffn, quoted(DataFiles.dataDir().resolve("testbed").toString())));
    }

    static String checkpoint(String name) {
        Path p = DataFiles.dataDir().getParent().resolve("checkpoints").resolve(name);
        if (!Files.isRegularFile(p.resolve("config.json")))
            throw new RiftException("checkpoints/" + name + " not found at " + p + ": run rift parity from a full checkout (or set rift.home)");
        return p.toString();
    }

    static String quoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
