package rift.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import rift.kernels.RiftException;

/**
 * Writes a model's tensors as Hugging Face does: {@code model.safetensors} when everything fits one shard,
 * else {@code model-00001-of-0000N.safetensors} shards plus {@code model.safetensors.index.json}, written
 * last. Each file is replaced atomically (see {@link AtomicFiles}), then files of an earlier save that the
 * new one does not use (other shards, a stale index or single file) are deleted. Write into a fresh
 * directory when a crash must leave the previous checkpoint intact: overwriting in place replaces shards
 * one at a time.
 */
public final class ShardedWriter {
    private static final Pattern HF_WEIGHT_FILE =
            Pattern.compile("model(-\\d{5}-of-\\d{5})?\\.safetensors|model\\.safetensors\\.index\\.json");

    private ShardedWriter() {}

    /**
     * Writes {@code tensors} (in order) into {@code dir}, starting a new shard whenever the next tensor
     * would take the current shard's tensor bytes past {@code maxShardBytes}; a tensor bigger than that gets
     * a shard of its own. Every shard carries {@code metadata} (HF writes {"format": "pt"}). Returns the
     * files written, index last.
     */
    public static List<Path> write(Path dir, List<TensorEntry> tensors, Map<String, String> metadata, long maxShardBytes) {
        if (maxShardBytes <= 0) throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        Set<String> names = new HashSet<>();
        for (TensorEntry e : tensors) {
            if (!names.add(e.name())) throw new IllegalArgumentException("tensor \"" + e.name() + "\" is given twice");
        }
        List<List<TensorEntry>> shards = split(tensors, maxShardBytes);
        List<Path> written = new ArrayList<>();
        if (shards.size() == 1) {
            Path single = dir.resolve(TensorStore.SINGLE_FILE);
            SafeTensors.write(single, shards.getFirst(), metadata);
            written.add(single);
        } else {
            Map<String, String> weightMap = new TreeMap<>();
            long totalSize = 0;
            for (int i = 0; i < shards.size(); i++) {
                Path shard = dir.resolve(shardName(i + 1, shards.size()));
                SafeTensors.write(shard, shards.get(i), metadata);
                written.add(shard);
                for (TensorEntry e : shards.get(i)) {
                    weightMap.put(e.name(), shard.getFileName().toString());
                    totalSize += e.byteSize();
                }
            }
            Path index = dir.resolve(TensorStore.INDEX_FILE);
            byte[] json = indexJson(totalSize, weightMap);
            AtomicFiles.write(index, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(json)));
            written.add(index);
        }
        deleteStale(dir, written);
        return written;
    }

    /** HF's shard file name: {@code model-00002-of-00005.safetensors} for shard 2 of 5 (1-based). */
    public static String shardName(int oneBased, int count) {
        return String.format("model-%05d-of-%05d.safetensors", oneBased, count);
    }

    /** The shard split of {@code tensors} (order kept): greedy by tensor bytes, oversized tensors alone. */
    static List<List<TensorEntry>> split(List<TensorEntry> tensors, long maxShardBytes) {
        List<List<TensorEntry>> shards = new ArrayList<>();
        List<TensorEntry> current = new ArrayList<>();
        long currentBytes = 0;
        for (TensorEntry e : tensors) {
            if (!current.isEmpty() && currentBytes + e.byteSize() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(e);
            currentBytes += e.byteSize();
        }
        if (!current.isEmpty() || shards.isEmpty()) shards.add(current);
        return shards;
    }

    /** The index as HF writes it: sorted keys, two-space indent, trailing newline. */
    static byte[] indexJson(long totalSize, Map<String, String> weightMap) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = root.putObject("weight_map");
        new TreeMap<>(weightMap).forEach(map::put);
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        try {
            return (mapper.writer(pretty).writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a shard index", e);
        }
    }

    // A stale index would point readers at the old shards, and stale shards waste disk; HF deletes them too.
    // The stale index goes first, so a crash part-way never leaves an index naming deleted shards.
    private static void deleteStale(Path dir, List<Path> written) {
        Set<Path> keep = new HashSet<>();
        for (Path p : written) keep.add(p.getFileName());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> stale = files
                    .filter(p -> HF_WEIGHT_FILE.matcher(p.getFileName().toString()).matches() && !keep.contains(p.getFileName()))
                    .sorted(Comparator.comparing((Path p) -> !p.getFileName().toString().equals(TensorStore.INDEX_FILE))
                            .thenComparing(Path::getFileName))
                    .toList();
            for (Path p : stale) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new RiftException(dir + ": wrote the new checkpoint but cannot delete an older one's files: " + e, e);
        }
    }
}
