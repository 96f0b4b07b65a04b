package rift.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.RiftException;

class TensorStoreTest {
    @TempDir
    Path dir;

    private static float[] ramp(int n, float start) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = start + i * 0.5f;
        return a;
    }

    /** 40 + 400 + 80 + 24 + 40 bytes of tensors. */
    private static List<TensorEntry> model() {
        return List.of(
                TensorEntry.f32("embed", new long[] {2, 5}, ramp(10, 0)),
                TensorEntry.f32("huge", new long[] {100}, ramp(100, 1)),
                TensorEntry.floats("w1", new long[] {40}, ramp(40, 2), DType.BF16),
                TensorEntry.longs("ids", new long[] {3}, new long[] {7, 8, 9}),
                TensorEntry.floats("w2", new long[] {4, 5}, ramp(20, 3), DType.F16));
    }

    @Test
    void splitKeepsOrderAndGivesOversizedTensorsTheirOwnShard() {
        List<List<String>> names = new ArrayList<>();
        for (List<TensorEntry> shard : ShardedWriter.split(model(), 128)) names.add(shard.stream().map(TensorEntry::name).toList());
        // embed (40) alone before huge (400 > 128, alone); w1+ids (80+24=104); w2 (40) would tip past 128.
        assertEquals(List.of(List.of("embed"), List.of("huge"), List.of("w1", "ids"), List.of("w2")), names);
        assertEquals(1, ShardedWriter.split(model(), 584).size()); // exactly the total fits one shard
        assertEquals(2, ShardedWriter.split(model(), 583).size());
        assertEquals(1, ShardedWriter.split(List.of(), 10).size());
    }

    @Test
    void shardNamesAreHuggingFaces() {
        assertEquals("model-00001-of-00003.safetensors", ShardedWriter.shardName(1, 3));
        assertEquals("model-00012-of-00120.safetensors", ShardedWriter.shardName(12, 120));
    }

    @Test
    void shardedRoundTripWithIndex() throws IOException {
        List<Path> written = ShardedWriter.write(dir, model(), Map.of("format", "pt"), 128);
        assertEquals(List.of("model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
                        "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors", TensorStore.INDEX_FILE),
                written.stream().map(p -> p.getFileName().toString()).toList());
        JsonNode index = new ObjectMapper().readTree(dir.resolve(TensorStore.INDEX_FILE).toFile());
        assertEquals(584, index.get("metadata").get("total_size").asLong());
        assertEquals(List.of("embed", "huge", "ids", "w1", "w2"), names(index.get("weight_map")));
        assertEquals("model-00003-of-00004.safetensors", index.get("weight_map").get("ids").asText());
        try (TensorStore store = TensorStore.open(dir)) {
            assertEquals(5, store.tensors().size());
            assertArrayEquals(ramp(100, 1), store.readFloat("huge"));
            assertArrayEquals(ramp(10, 0), store.readFloat("embed"));
            assertArrayEquals(ramp(40, 2), store.readFloat("w1")); // multiples of 0.5 below 256 are exact in bf16
            assertArrayEquals(ramp(20, 3), store.readFloat("w2"));
            assertArrayEquals(new long[] {7, 8, 9}, store.readLong("ids"));
            assertArrayEquals(new int[] {7, 8, 9}, store.readInt("ids"));
            assertEquals(dir.resolve("model-00004-of-00004.safetensors").toAbsolutePath(), store.fileOf("w2").toAbsolutePath());
            assertEquals(DType.F16, store.info("w2").dtype());
            assertEquals(0, store.info("w2").begin()); // offsets are within its own shard
            float[] dst = new float[12];
            store.readFloat("embed", dst, 2);
            assertEquals(4.5f, dst[11]);
            RiftException e = assertThrows(RiftException.class, () -> store.readFloat("missing"));
            assertTrue(e.getMessage().contains("\"missing\"") && e.getMessage().contains(TensorStore.INDEX_FILE), e.getMessage());
        }
        try (SafeTensorsReader shard = SafeTensors.open(dir.resolve("model-00001-of-00004.safetensors"))) {
            assertEquals(Map.of("format", "pt"), shard.metadata());
        }
    }

    @Test
    void singleShardIsModelSafetensorsAndReplacesAnOlderShardedSave() throws IOException {
        ShardedWriter.write(dir, model(), Map.of(), 128);
        Files.writeString(dir.resolve("config.json"), "{}"); // not ours: must survive
        List<Path> written = ShardedWriter.write(dir, model(), Map.of(), 10_000);
        assertEquals(List.of(dir.resolve(TensorStore.SINGLE_FILE)), written);
        assertEquals(List.of("config.json", TensorStore.SINGLE_FILE), listNames());
        try (TensorStore store = TensorStore.open(dir)) {
            assertArrayEquals(ramp(100, 1), store.readFloat("huge"));
            assertEquals(TensorStore.SINGLE_FILE, store.source().getFileName().toString());
        }
        // And back to shards: the single file goes.
        ShardedWriter.write(dir, model(), Map.of(), 500);
        assertEquals(List.of("config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                TensorStore.INDEX_FILE), listNames());
        try (TensorStore store = TensorStore.open(dir.resolve(TensorStore.INDEX_FILE))) {
            assertEquals(5, store.tensors().size());
        }
        try (TensorStore store = TensorStore.open(dir.resolve("model-00002-of-00002.safetensors"))) {
            assertEquals(List.of("w1", "ids", "w2"), new ArrayList<>(store.tensors().keySet()));
        }
    }

    @Test
    void indexAndShardsMustAgree() throws IOException {
        ShardedWriter.write(dir, model(), Map.of(), 128);
        Path index = dir.resolve(TensorStore.INDEX_FILE);
        String good = Files.readString(index);

        Files.writeString(index, good.replace("\"ids\": \"model-00003-of-00004", "\"ids\": \"model-00004-of-00004"));
        assertRejected("does not hold it");
        Files.writeString(index, good.replace("    \"ids\": \"model-00003-of-00004.safetensors\",\n", ""));
        assertRejected("does not list it");
        Files.writeString(index, good.replace("model-00002-of-00004", "../model-00002-of-00004"));
        assertRejected("must name a shard file");
        Files.writeString(index, good.replace("model-00002-of-00004", "model-00002-of-00009"));
        assertRejected("model-00002-of-00009.safetensors: no such file");
        Files.writeString(index, "{\"metadata\": {}}");
        assertRejected("needs a \"weight_map\"");
        Files.writeString(index, "{\"weight_map\": {\"a\": 3}}");
        assertRejected("must name a shard file");
        Files.writeString(index, "{\"weight_map\": ");
        assertRejected("not valid JSON");
        Files.writeString(index, good);
        Files.write(dir.resolve("model-00003-of-00004.safetensors"), new byte[] {1, 2, 3});
        assertRejected("shorter than the 8-byte");
    }

    @Test
    void directoryWithoutWeights() {
        RiftException e = assertThrows(RiftException.class, () -> TensorStore.open(dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains(TensorStore.SINGLE_FILE), e.getMessage());
    }

    private void assertRejected(String expected) {
        RiftException e = assertThrows(RiftException.class, () -> TensorStore.open(dir).close());
        assertTrue(e.getMessage().contains(dir.toString()), () -> "message must name the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private List<String> listNames() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
