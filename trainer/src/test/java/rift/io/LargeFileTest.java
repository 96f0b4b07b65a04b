package rift.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.RiftException;

/**
 * A real file over 4 GiB, made sparse so it costs no disk where the file system supports holes. Opt-in
 * ({@code -Drift.test.largeFiles=true}): on a file system without holes it would write 4 GiB.
 */
class LargeFileTest {
    @TempDir
    Path dir;

    @Test
    void tensorsBeyondFourGiBAreMappedAndAddressed() throws IOException {
        assumeTrue(Boolean.getBoolean("rift.test.largeFiles"), "set -Drift.test.largeFiles=true to run");
        long n = 65_536L * 32_769; // BF16 elements: 4 GiB + 128 KiB, more than a Java array holds
        long bytesA = 2 * n;
        String json = "{\"a\":{\"dtype\":\"BF16\",\"shape\":[65536,32769],\"data_offsets\":[0," + bytesA + "]},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[" + bytesA + "," + (bytesA + 16) + "]}}";
        byte[] header = (json + " ".repeat((8 - json.length() % 8) % 8)).getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("big.safetensors");
        long dataStart = 8 + header.length;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(header.length).put(header).flip();
            ch.write(head);
            ByteBuffer lastOfA = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x4049).flip();
            ch.write(lastOfA, dataStart + bytesA - 2); // 3.140625 in bf16
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-7).putLong(1L << 40).flip();
            ch.write(b, dataStart + bytesA);
        }
        try (SafeTensorsReader r = SafeTensors.open(file)) {
            MemorySegment a = r.segment("a");
            assertEquals(bytesA, a.byteSize());
            assertEquals((short) 0x4049, a.get(SafeTensorsReader.I16, bytesA - 2));
            assertEquals(0, a.get(SafeTensorsReader.I16, 0));
            assertArrayEquals(new long[] {-7, 1L << 40}, r.readLong("b"));
            RiftException e = assertThrows(RiftException.class, () -> r.readFloat("a"));
            assertTrue(e.getMessage().contains("\"a\"") && e.getMessage().contains("segment()"), e.getMessage());
        }
    }
}
