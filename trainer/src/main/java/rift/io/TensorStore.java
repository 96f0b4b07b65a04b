package rift.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * A model's tensors as Hugging Face stores them: one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} ({@code {"metadata": {"total_size": bytes}, "weight_map": {tensor:
 * shard file}}}). Reads any tensor by name from whichever file holds it. Opening validates every shard's
 * header and checks that the index and the shards agree exactly. Close to unmap all files.
 */
public final class TensorStore implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final long MAX_INDEX_BYTES = SafeTensorsHeader.MAX_HEADER_BYTES;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

    private final Path source;
    private final List<SafeTensorsReader> readers;
    private final Map<String, SafeTensorsReader> readerOf;
    private final Map<String, TensorInfo> tensors;

    private TensorStore(Path source, List<SafeTensorsReader> readers, Map<String, SafeTensorsReader> readerOf) {
        this.source = source;
        this.readers = readers;
        this.readerOf = readerOf;
        Map<String, TensorInfo> all = new LinkedHashMap<>();
        readerOf.forEach((name, r) -> all.put(name, r.info(name)));
        this.tensors = Collections.unmodifiableMap(all);
    }

    /**
     * Opens a model directory (its index if present, else its {@code model.safetensors}), an index file, or
     * a single safetensors file.
     */
    public static TensorStore open(Path path) {
        if (Files.isDirectory(path)) {
            Path index = path.resolve(INDEX_FILE);
            if (Files.isRegularFile(index)) return openIndex(index);
            Path single = path.resolve(SINGLE_FILE);
            if (Files.isRegularFile(single)) return openSingle(single);
            throw new RiftException(path + ": no " + SINGLE_FILE + " or " + INDEX_FILE
                    + " here (is this a Hugging Face model directory?)");
        }
        if (path.getFileName() != null && path.getFileName().toString().endsWith(".json")) return openIndex(path);
        return openSingle(path);
    }

    private static TensorStore openSingle(Path file) {
        SafeTensorsReader r = SafeTensors.open(file);
        Map<String, SafeTensorsReader> readerOf = new LinkedHashMap<>();
        for (String name : r.tensors().keySet()) readerOf.put(name, r);
        return new TensorStore(file, List.of(r), readerOf);
    }

    private static TensorStore openIndex(Path index) {
        Map<String, String> weightMap = readWeightMap(index);
        Path dir = index.toAbsolutePath().getParent();
        Map<String, SafeTensorsReader> shards = new LinkedHashMap<>();
        try {
            for (String shard : weightMap.values()) {
                if (!shards.containsKey(shard)) shards.put(shard, SafeTensors.open(dir.resolve(shard)));
            }
            Map<String, SafeTensorsReader> readerOf = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafeTensorsReader r = shards.get(e.getValue());
                if (!r.has(e.getKey())) {
                    throw new RiftException(index + ": weight_map puts tensor \"" + e.getKey() + "\" in " + e.getValue()
                            + ", which does not hold it (index and shards are from different saves?)");
                }
                readerOf.put(e.getKey(), r);
            }
            for (Map.Entry<String, SafeTensorsReader> s : shards.entrySet()) {
                for (String name : s.getValue().tensors().keySet()) {
                    if (!s.getKey().equals(weightMap.get(name))) {
                        throw new RiftException(index + ": shard " + s.getKey() + " holds tensor \"" + name
                                + "\" but the weight_map " + (weightMap.containsKey(name)
                                ? "puts it in " + weightMap.get(name) : "does not list it")
                                + " (index and shards are from different saves?)");
                    }
                }
            }
            return new TensorStore(index, List.copyOf(shards.values()), readerOf);
        } catch (RuntimeException e) {
            shards.values().forEach(SafeTensorsReader::close);
            throw e;
        }
    }

    /** The index's weight_map, with every shard name checked to be a plain file name beside the index. */
    private static Map<String, String> readWeightMap(Path index) {
        JsonNode root;
        try {
            long size = Files.size(index);
            if (size > MAX_INDEX_BYTES) throw new RiftException(index + ": " + size + " bytes is too large for a shard index");
            root = MAPPER.readTree(Files.readAllBytes(index));
        } catch (NoSuchFileException e) {
            throw new RiftException(index + ": no such file");
        } catch (JacksonException e) {
            throw new RiftException(index + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RiftException(index + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new RiftException(index + ": needs a \"weight_map\" object of tensor name -> shard file");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode v = e.getValue();
            String shard = v.isTextual() ? v.textValue() : null;
            if (shard == null || shard.isEmpty() || shard.equals(".") || shard.equals("..")
                    || shard.contains("/") || shard.contains("\\") || shard.indexOf('\0') >= 0) {
                throw new RiftException(index + ": weight_map entry \"" + e.getKey() + "\" must name a shard file"
                        + " in the index's directory, found " + v);
            }
            out.put(e.getKey(), shard);
        }
        if (out.isEmpty()) throw new RiftException(index + ": the weight_map is empty");
        return out;
    }

    /** The file or index this store was opened from. */
    public Path source() {
        return source;
    }

    /** Every tensor by name (unmodifiable; index order for shards, header order for a single file). */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public boolean has(String name) {
        return readerOf.containsKey(name);
    }

    /** The header entry of {@code name}; offsets are relative to its own file's data section. */
    public TensorInfo info(String name) {
        return reader(name).info(name);
    }

    /** The file holding {@code name}. */
    public Path fileOf(String name) {
        return reader(name).file();
    }

    /** See {@link SafeTensorsReader#readFloat(String)}. */
    public float[] readFloat(String name) {
        return reader(name).readFloat(name);
    }

    /** See {@link SafeTensorsReader#readFloat(String, float[], int)}. */
    public void readFloat(String name, float[] dst, int off) {
        reader(name).readFloat(name, dst, off);
    }

    /** See {@link SafeTensorsReader#readLong(String)}. */
    public long[] readLong(String name) {
        return reader(name).readLong(name);
    }

    /** See {@link SafeTensorsReader#readInt(String)}. */
    public int[] readInt(String name) {
        return reader(name).readInt(name);
    }

    /** See {@link SafeTensorsReader#segment(String)}. */
    public MemorySegment segment(String name) {
        return reader(name).segment(name);
    }

    @Override
    public void close() {
        readers.forEach(SafeTensorsReader::close);
    }

    private SafeTensorsReader reader(String name) {
        SafeTensorsReader r = readerOf.get(name);
        if (r == null) {
            throw new RiftException(source + ": no tensor named \"" + name + "\" (" + tensors.size() + " tensors"
                    + (tensors.isEmpty() ? "" : ", e.g. " + String.join(", ", new ArrayList<>(tensors.keySet()).subList(0, Math.min(3, tensors.size()))))
                    + ")");
        }
        return r;
    }
}
