package rift.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import rift.io.DType;
import rift.io.ShardedWriter;
import rift.io.TensorEntry;
import rift.io.TensorInfo;
import rift.io.TensorStore;
import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.Tensor;

/** Model directories in the Hugging Face layout: config.json + safetensors (single or sharded) in, and out. */
public final class ModelIO {
    private ModelIO() {}

    /** Shard size above which a model is written as several files (HF's default is 5 GB; 2 GB keeps files mmap-friendly). */
    public static final long DEFAULT_SHARD_BYTES = 2L << 30;

    public static Transformer load(Path dir, Backend be) {
        ModelConfig c = ModelConfig.load(dir);
        return new Transformer(c, loadWeights(dir, c, be), be);
    }

    public static Weights loadWeights(Path dir, ModelConfig c, Backend be) {
        return loadWeightsInto(dir, Weights.zeros(c, be), be);
    }

    /** The directory's weights uploaded into w (of w.config's shapes; fp32 master weights get them unrounded). Returns w. */
    public static Weights loadWeightsInto(Path dir, Weights w, Backend be) {
        ModelConfig c = w.config;
        try (TensorStore store = TensorStore.open(dir)) {
            for (Map.Entry<String, Tensor> e : w.named().entrySet()) {
                String name = e.getKey();
                Tensor t = e.getValue();
                if (!store.has(name)) throw new RiftException(dir + ": tensor '" + name + "' is missing; the config.json says "
                        + c.arch().modelType + " with " + c.numLayers() + " layers" + (c.tieWordEmbeddings() ? ", tied embeddings" : "")
                        + "; the weights and config.json do not belong together: use the config.json saved with these weights");
                TensorInfo info = store.info(name);
                long[] want = Arrays.stream(t.shape()).asLongStream().toArray();
                if (!Arrays.equals(info.shape(), want))
                    throw new RiftException(dir + ": tensor '" + name + "' has shape " + Arrays.toString(info.shape()) + ", config.json implies "
                            + Arrays.toString(want) + "; the weights and config.json do not belong together: use the config.json saved with"
                            + " these weights");
                be.upload(t, store.readFloat(name));
            }
            for (String name : store.tensors().keySet())
                if (!w.named().containsKey(name) && !(c.tieWordEmbeddings() && name.equals("lm_head.weight")) && !name.endsWith("rotary_emb.inv_freq"))
                    System.err.println("rift: warning: " + dir + " has tensor '" + name + "' that " + c.arch().modelType + " does not use; ignored");
        }
        return w;
    }

    /** Writes config.json, generation_config.json and the weights (dtype F32 or BF16) into dir. */
    public static void save(Path dir, ModelConfig c, Weights w, Backend be, DType dtype) {
        try {
            Files.createDirectories(dir);
            List<TensorEntry> entries = new ArrayList<>();
            for (Map.Entry<String, Tensor> e : w.named().entrySet()) {
                long[] shape = Arrays.stream(e.getValue().shape()).asLongStream().toArray();
                entries.add(TensorEntry.floats(e.getKey(), shape, be.download(e.getValue()), dtype));
            }
            ShardedWriter.write(dir, entries, Map.of("format", "pt"), DEFAULT_SHARD_BYTES);
            ObjectNode cfg = c.toJson();
            cfg.put("torch_dtype", dtype == DType.BF16 ? "bfloat16" : "float32");
            ObjectMapper json = new ObjectMapper();
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), cfg);
            ObjectNode gen = json.createObjectNode();
            if (c.bosTokenId() >= 0) gen.put("bos_token_id", c.bosTokenId());
            if (c.eosTokenIds().length == 1) gen.put("eos_token_id", c.eosTokenIds()[0]);
            else if (c.eosTokenIds().length > 1) { var a = gen.putArray("eos_token_id"); for (int id : c.eosTokenIds()) a.add(id); }
            if (c.padTokenId() >= 0) gen.put("pad_token_id", c.padTokenId());
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("generation_config.json").toFile(), gen);
        } catch (IOException e) {
            throw new RiftException(dir + ": cannot write the model (" + e.getMessage() + ")");
        }
    }
}
