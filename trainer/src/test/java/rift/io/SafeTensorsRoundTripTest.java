package rift.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.RiftException;

class SafeTensorsRoundTripTest {
    @TempDir
    Path dir;

    /** Awkward float32 values: signed zeros, subnormals, extremes, infinities, NaNs with payloads, rounding ties. */
    private static float[] awkwardFloats() {
        return new float[] {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
                -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFFC12345), Float.intBitsToFloat(0x3F808000),
                Float.intBitsToFloat(0x3F818000), 1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 65520f, 0x1p-25f, 3 * 0x1p-25f,
                (float) Math.PI, -1e-30f, 1e30f};
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(-20, 20)));
        return a;
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }

    @Test
    void f32IsBitExactIncludingNanPayloads() {
        float[] awkward = awkwardFloats();
        float[] big = random(7 * 3 * 14_286, 1); // spans several writer buffers
        Path file = dir.resolve("f32.safetensors");
        SafeTensors.write(file, List.of(
                TensorEntry.f32("awkward", new long[] {awkward.length}, awkward),
                TensorEntry.f32("big", new long[] {7, 3, 14_286}, big)));
        try (SafeTensorsReader r = SafeTensors.open(file)) {
            assertArrayEquals(bits(awkward), bits(r.readFloat("awkward")));
            assertArrayEquals(bits(big), bits(r.readFloat("big")));
            assertArrayEquals(new long[] {7, 3, 14_286}, r.info("big").shape());
            assertEquals(DType.F32, r.info("big").dtype());
        }
    }

    @Test
    void bf16AndF16StoreTheRoundedPatterns() {
        float[] awkward = awkwardFloats();
        float[] big = random(70_001, 2);
        Path file = dir.resolve("half.safetensors");
        SafeTensors.write(file, List.of(
                TensorEntry.floats("b", new long[] {awkward.length}, awkward, DType.BF16),
                TensorEntry.floats("h", new long[] {awkward.length}, awkward, DType.F16),
                TensorEntry.floats("bigb", new long[] {big.length}, big, DType.BF16),
                TensorEntry.floats("bigh", new long[] {big.length}, big, DType.F16)));
        try (SafeTensorsReader r = SafeTensors.open(file)) {
            MemorySegment b = r.segment("b"), h = r.segment("h");
            for (int i = 0; i < awkward.length; i++) {
                assertEquals(FloatFormats.floatToBf16(awkward[i]), b.getAtIndex(SafeTensorsReader.I16, i), "bf16 element " + i);
                assertEquals(FloatFormats.floatToF16(awkward[i]), h.getAtIndex(SafeTensorsReader.I16, i), "f16 element " + i);
            }
            // A few written patterns spelled out: tie to even, overflow, canonical NaN.
            assertEquals((short) 0x3F80, b.getAtIndex(SafeTensorsReader.I16, 14));
            assertEquals((short) 0x3F82, b.getAtIndex(SafeTensorsReader.I16, 15));
            assertEquals((short) 0x7FC0, b.getAtIndex(SafeTensorsReader.I16, 12));
            assertEquals((short) 0x7C00, h.getAtIndex(SafeTensorsReader.I16, 18));
            assertEquals((short) 0x3C02, h.getAtIndex(SafeTensorsReader.I16, 17));
            assertEquals((short) 0x0002, h.getAtIndex(SafeTensorsReader.I16, 20));
            float[] rb = r.readFloat("bigb"), rh = r.readFloat("bigh");
            for (int i = 0; i < big.length; i++) {
                assertEquals(FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(big[i])), rb[i]);
                assertEquals(FloatFormats.f16ToFloat(FloatFormats.floatToF16(big[i])), rh[i]);
                assertTrue(Math.abs(rb[i] - big[i]) <= Math.ulp(big[i]) * 0x1p15f, "bf16 keeps 8 significant bits");
            }
        }
    }

    @Test
    void integersScalarsEmptyTensorsAndRawBytes() {
        long[] ids = {0, 1, 151_642, -5, Long.MAX_VALUE, Long.MIN_VALUE};
        int[] small = {3, -4, Integer.MAX_VALUE, Integer.MIN_VALUE};
        byte[] rawBytes = {1, 2, 3, 4, 5, 6};
        Path file = dir.resolve("mixed.safetensors");
        SafeTensors.write(file, List.of(
                TensorEntry.longs("ids", new long[] {2, 3}, ids),
                TensorEntry.ints("small", new long[] {4}, small),
                TensorEntry.f32("loss", new long[] {}, new float[] {6.25f}),
                TensorEntry.f32("empty", new long[] {0, 5}, new float[0]),
                TensorEntry.raw("u8", DType.U8, new long[] {2, 3}, MemorySegment.ofArray(rawBytes))));
        try (SafeTensorsReader r = SafeTensors.open(file)) {
            assertEquals(List.of("ids", "small", "loss", "empty", "u8"), new ArrayList<>(r.tensors().keySet()));
            assertArrayEquals(ids, r.readLong("ids"));
            assertArrayEquals(small, r.readInt("small"));
            assertArrayEquals(new long[] {3, -4, Integer.MAX_VALUE, Integer.MIN_VALUE}, r.readLong("small"));
            assertArrayEquals(new float[] {6.25f}, r.readFloat("loss"));
            assertEquals(0, r.info("loss").rank());
            assertEquals(0, r.readFloat("empty").length);
            assertArrayEquals(rawBytes, r.segment("u8").toArray(ValueLayout.JAVA_BYTE));
            RiftException e = assertThrows(RiftException.class, () -> r.readInt("ids"));
            assertTrue(e.getMessage().contains("\"ids\" element 4") && e.getMessage().contains("outside the int range"),
                    e.getMessage());
            e = assertThrows(RiftException.class, () -> r.readFloat("ids"));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("I64"), e.getMessage());
            e = assertThrows(RiftException.class, () -> r.readLong("loss"));
            assertTrue(e.getMessage().contains("F32"), e.getMessage());
            e = assertThrows(RiftException.class, () -> r.readFloat("nope"));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("\"nope\""), e.getMessage());
        }
    }

    @Test
    void readIntNarrowsInRangeInt64TokenIds() {
        Path file = dir.resolve("ids.safetensors");
        long[] ids = {0, 1, 151_642, -100, Integer.MAX_VALUE, Integer.MIN_VALUE};
        SafeTensors.write(file, List.of(TensorEntry.longs("input_ids", new long[] {ids.length}, ids)));
        try (SafeTensorsReader r = SafeTensors.open(file)) {
            assertArrayEquals(new int[] {0, 1, 151_642, -100, Integer.MAX_VALUE, Integer.MIN_VALUE}, r.readInt("input_ids"));
        }
    }

    @Test
    void readFloatIntoAnOffsetOfALargerArray() {
        Path file = dir.resolve("off.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.floats("w", new long[] {2, 2}, new float[] {1, 2, 3, 4}, DType.BF16)));
        try (SafeTensorsReader r = SafeTensors.open(file)) {
            float[] dst = {-1, -1, -1, -1, -1, -1, -1};
            r.readFloat("w", dst, 2);
            assertArrayEquals(new float[] {-1, -1, 1, 2, 3, 4, -1}, dst);
            assertThrows(IllegalArgumentException.class, () -> r.readFloat("w", dst, 4));
            assertThrows(IllegalArgumentException.class, () -> r.readFloat("w", dst, -1));
        }
    }

    @Test
    void metadataRoundTripsAndIsOmittedWhenEmpty() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("step", "1200");
        meta.put("note", "ünïcödé \"quoted\" \n newline");
        Path with = dir.resolve("meta.safetensors"), without = dir.resolve("plain.safetensors");
        List<TensorEntry> one = List.of(TensorEntry.f32("x", new long[] {1}, new float[] {1}));
        SafeTensors.write(with, one, meta);
        SafeTensors.write(without, one);
        try (SafeTensorsReader r = SafeTensors.open(with); SafeTensorsReader p = SafeTensors.open(without)) {
            assertEquals(meta, r.metadata());
            assertEquals(Map.of(), p.metadata());
        }
        assertFalse(headerText(without).contains("__metadata__"));
    }

    /** The exact bytes, as the reference Python implementation lays them out for the same input. */
    @Test
    void exactFileLayout() throws IOException {
        Path file = dir.resolve("exact.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32("a", new long[] {2}, new float[] {1f, -2f}),
                TensorEntry.longs("b", new long[] {1}, new long[] {258})), Map.of("format", "pt"));
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        ByteBuffer expected = ByteBuffer.allocate(8 + padded.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded.length()).put(padded.getBytes(StandardCharsets.UTF_8)).putFloat(1f).putFloat(-2f).putLong(258);
        assertArrayEquals(expected.array(), Files.readAllBytes(file));
        assertEquals(0, padded.length() % 8);
    }

    @Test
    void overwriteReplacesTheFileAndLeavesNoTemporaries() throws IOException {
        Path file = dir.resolve("over.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32("old", new long[] {1}, new float[] {1})));
        SafeTensors.write(file, List.of(TensorEntry.f32("new", new long[] {2}, new float[] {2, 3})));
        try (SafeTensorsReader r = SafeTensors.open(file)) {
            assertEquals(List.of("new"), new ArrayList<>(r.tensors().keySet()));
        }
        assertEquals(List.of(file.getFileName()), listNames());
    }

    /** A write that dies part-way through the data leaves the previous file untouched and no temporary. */
    @Test
    void failedWriteKeepsTheOldFile() throws IOException {
        Path file = dir.resolve("keep.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32("old", new long[] {1}, new float[] {1})));
        byte[] before = Files.readAllBytes(file);
        MemorySegment dead;
        try (Arena a = Arena.ofConfined()) {
            dead = a.allocate(16);
        }
        MemorySegment closed = dead; // reading it now throws, like a source that fails mid-write
        assertThrows(IllegalStateException.class, () -> SafeTensors.write(file, List.of(
                TensorEntry.f32("first", new long[] {1}, new float[] {5}),
                TensorEntry.raw("broken", DType.F32, new long[] {4}, closed))));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file.getFileName()), listNames());
    }

    @Test
    void writerRejectsInconsistentEntries() {
        assertThrows(IllegalArgumentException.class, () -> TensorEntry.f32("x", new long[] {3}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> TensorEntry.f32("x", new long[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> TensorEntry.floats("x", new long[] {1}, new float[1], DType.I32));
        assertThrows(IllegalArgumentException.class, () -> TensorEntry.f32("__metadata__", new long[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> TensorEntry.raw("x", DType.F32, new long[] {2}, MemorySegment.ofArray(new byte[7])));
        TensorEntry x = TensorEntry.f32("x", new long[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(dir.resolve("dup.safetensors"), List.of(x, x)));
    }

    @Test
    void segmentsDieWithTheReader() {
        Path file = dir.resolve("close.safetensors");
        SafeTensors.write(file, List.of(TensorEntry.f32("x", new long[] {1}, new float[] {1})));
        MemorySegment s;
        try (SafeTensorsReader r = SafeTensors.open(file)) {
            s = r.segment("x");
            assertEquals(1f, s.get(SafeTensorsReader.F32, 0));
        }
        assertThrows(IllegalStateException.class, () -> s.get(SafeTensorsReader.F32, 0));
    }

    private String headerText(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return new String(all, 8, (int) n, StandardCharsets.UTF_8);
    }

    private List<Path> listNames() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(Path::getFileName).toList();
        }
    }
}
