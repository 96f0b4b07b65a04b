package rift.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rift.kernels.RiftException;

/** Malformed and hostile files: each must give a RiftException naming the file and the problem. */
class SafeTensorsHeaderTest {
    @TempDir
    Path dir;

    private static String t(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    /** (case, header JSON, data bytes, text the message must contain) */
    static Stream<Arguments> badHeaders() {
        String ok = t("a", "F32", "[2]", "[0,8]");
        return Stream.of(
                Arguments.of("empty header", "", 0, "the header is empty"),
                Arguments.of("not JSON", "{\"a\":", 0, "not valid JSON"),
                Arguments.of("garbage", "\u00ff\u00fe\u0000", 0, "not valid JSON"),
                Arguments.of("array", "[1,2]", 0, "not a JSON object"),
                Arguments.of("string", "\"hello\"", 0, "not a JSON object"),
                Arguments.of("trailing content", "{" + ok + "} {}", 8, "content after"),
                Arguments.of("NUL padding", "{" + ok + "}\u0000\u0000", 8, "not valid JSON"),
                Arguments.of("unknown dtype", "{" + t("a", "F99", "[2]", "[0,8]") + "}", 8, "unknown dtype \"F99\""),
                Arguments.of("sub-byte dtype", "{" + t("a", "F4", "[2]", "[0,1]") + "}", 1, "unknown dtype \"F4\""),
                Arguments.of("dtype not a string", "{\"a\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "\"dtype\" must be a string"),
                Arguments.of("dtype missing", "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "\"dtype\" must be a string"),
                Arguments.of("tensor not an object", "{\"a\":[1,2]}", 0, "tensor \"a\" must be a JSON object"),
                Arguments.of("shape missing", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8, "\"shape\" must be an array"),
                Arguments.of("negative dim", "{" + t("a", "F32", "[-2]", "[0,8]") + "}", 8, "\"shape\" entry 0 is -2"),
                Arguments.of("fractional dim", "{" + t("a", "F32", "[2.5]", "[0,10]") + "}", 10, "\"shape\" entry 0 is 2.5"),
                Arguments.of("dim beyond long", "{" + t("a", "F32", "[99999999999999999999]", "[0,8]") + "}", 8, "fits a long"),
                Arguments.of("element count overflow", "{" + t("a", "U8", "[4294967296,4294967296]", "[0,8]") + "}", 8, "more elements than a long"),
                Arguments.of("byte count overflow", "{" + t("a", "F32", "[4611686018427387904]", "[0,8]") + "}", 8, "more bytes than a long"),
                Arguments.of("offsets missing", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "\"data_offsets\" must be an array"),
                Arguments.of("offsets wrong arity", "{" + t("a", "F32", "[2]", "[0,8,16]") + "}", 8, "must have 2 entries"),
                Arguments.of("offsets negative", "{" + t("a", "F32", "[2]", "[-8,0]") + "}", 8, "entry 0 is -8"),
                Arguments.of("offsets reversed", "{" + t("a", "F32", "[0]", "[8,0]") + "}", 8, "reversed"),
                Arguments.of("offsets past data", "{" + t("a", "F32", "[2]", "[0,8]") + "}", 4, "past the data section"),
                Arguments.of("size mismatch", "{" + t("a", "F32", "[3]", "[0,8]") + "}", 8, "needs 12"),
                Arguments.of("overlap", "{" + ok + "," + t("b", "F32", "[2]", "[4,12]") + "}", 12, "overlaps tensor \"a\""),
                Arguments.of("duplicate range", "{" + ok + "," + t("b", "F32", "[2]", "[0,8]") + "}", 8, "overlaps"),
                Arguments.of("gap", "{" + ok + "," + t("b", "F32", "[2]", "[12,20]") + "}", 20, "data bytes [8, 12)"),
                Arguments.of("gap at start", "{" + t("a", "F32", "[2]", "[4,12]") + "}", 12, "data bytes [0, 4)"),
                Arguments.of("trailing bytes", "{" + ok + "}", 12, "data bytes [8, 12) after the last tensor"),
                Arguments.of("duplicate name", "{" + ok + "," + t("a", "F32", "[2]", "[8,16]") + "}", 16, "\"a\" twice"),
                Arguments.of("duplicate field", "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "not valid JSON"),
                Arguments.of("metadata number", "{\"__metadata__\":{\"step\":12}," + ok + "}", 8, "\"step\" must be a string"),
                Arguments.of("metadata null", "{\"__metadata__\":{\"step\":null}," + ok + "}", 8, "\"step\" must be a string"),
                Arguments.of("metadata nested", "{\"__metadata__\":{\"x\":{\"y\":\"z\"}}," + ok + "}", 8, "\"x\" must be a string"),
                Arguments.of("metadata not an object", "{\"__metadata__\":[\"a\"]," + ok + "}", 8, "\"__metadata__\" must be a JSON object"),
                Arguments.of("deep nesting", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 0, "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHeaders")
    void badHeaderIsARiftExceptionNamingTheFile(String name, String json, int dataBytes, String expected) throws IOException {
        Path file = dir.resolve(name.replace(' ', '_') + ".safetensors");
        byte[] header = json.getBytes(StandardCharsets.ISO_8859_1); // the headers are ASCII but for raw "garbage" bytes
        write(file, header.length, header, dataBytes);
        assertRejected(file, expected);
    }

    @Test
    void fileShorterThanThePrefix() throws IOException {
        for (int size : new int[] {0, 1, 7}) {
            Path file = dir.resolve("short" + size + ".safetensors");
            Files.write(file, new byte[size]);
            assertRejected(file, "shorter than the 8-byte header length prefix");
        }
    }

    @Test
    void headerLengthNegativeTooLargeOrPastTheEnd() throws IOException {
        Path negative = dir.resolve("negative.safetensors");
        write(negative, -1L, new byte[0], 16);
        assertRejected(negative, "18446744073709551615");
        Path huge = dir.resolve("huge.safetensors");
        write(huge, 200_000_000L, new byte[0], 16);
        assertRejected(huge, "over the 100000000-byte limit");
        Path past = dir.resolve("past.safetensors");
        write(past, 100L, "{}".getBytes(StandardCharsets.UTF_8), 10);
        assertRejected(past, "says 100 bytes but the file has only 12");
    }

    @Test
    void missingFileAndDirectory() {
        assertRejected(dir.resolve("absent.safetensors"), "no such file");
        assertRejected(dir, "is a directory");
    }

    @Test
    void wellFormedEdgeCasesAreAccepted() throws IOException {
        // No tensors at all; zero-size tensors anywhere; whitespace padding; metadata only.
        String json = "{\"__metadata__\":{},\"z\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
                + t("a", "BF16", "[]", "[0,2]") + "," + t("e", "I64", "[4,0]", "[2,2]") + "}    \n\t ";
        Path file = dir.resolve("edge.safetensors");
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        write(file, h.length, h, 2);
        try (SafeTensorsReader r = SafeTensors.open(file)) {
            assertEquals(3, r.tensors().size());
            assertEquals(0, r.readFloat("z").length);
            assertEquals(1, r.readFloat("a").length);
            assertEquals(0, r.readLong("e").length);
        }
        Path empty = dir.resolve("empty.safetensors");
        write(empty, 2, "{}".getBytes(StandardCharsets.UTF_8), 0);
        try (SafeTensorsReader r = SafeTensors.open(empty)) {
            assertTrue(r.tensors().isEmpty());
        }
    }

    /** Offsets, sizes and element counts are longs end to end: a header describing more than 4 GiB. */
    @Test
    void longOffsetArithmetic() {
        long big = 65_536L * 32_769; // 2^31 + 2^16 elements: more than a Java array holds
        long bytesA = big * 2; // BF16: just over 4 GiB
        long bytesB = 3L * 8;
        String json = "{" + t("a", "BF16", "[65536,32769]", "[0," + bytesA + "]") + ","
                + t("b", "I64", "[3]", "[" + bytesA + "," + (bytesA + bytesB) + "]") + "}";
        SafeTensorsHeader h = SafeTensorsHeader.parse("huge.safetensors", json.getBytes(StandardCharsets.UTF_8), bytesA + bytesB);
        TensorInfo a = h.tensors().get("a"), b = h.tensors().get("b");
        assertEquals(big, a.numel());
        assertEquals(4_295_098_368L, a.byteSize()); // past 2^32
        assertEquals(4_295_098_368L, b.begin());
        assertEquals(4_295_098_392L, b.end());
        RiftException e = assertThrows(RiftException.class, () -> SafeTensorsReader.arrayLength("huge.safetensors", a));
        assertTrue(e.getMessage().contains("huge.safetensors") && e.getMessage().contains("\"a\"")
                && e.getMessage().contains("2147549184") && e.getMessage().contains("segment()"), e.getMessage());
        assertEquals(3, SafeTensorsReader.arrayLength("huge.safetensors", b));
        // One byte short of the declared data, the same header is rejected rather than trusted.
        e = assertThrows(RiftException.class, () -> SafeTensorsHeader.parse("huge.safetensors",
                json.getBytes(StandardCharsets.UTF_8), bytesA + bytesB - 1));
        assertTrue(e.getMessage().contains("past the data section"), e.getMessage());
    }

    private static void write(Path file, long declaredLength, byte[] header, int dataBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(header);
        Files.write(file, b.array());
    }

    private static void assertRejected(Path file, String expected) {
        RiftException e = assertThrows(RiftException.class, () -> {
            try (SafeTensorsReader r = SafeTensors.open(file)) {
                r.tensors();
            }
        });
        assertTrue(e.getMessage().contains(file.toString()), () -> "message must name the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
    }
}
