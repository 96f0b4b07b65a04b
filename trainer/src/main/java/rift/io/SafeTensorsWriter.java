package rift.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Encodes tensors in the safetensors layout and writes the file crash-safely (see {@link AtomicFiles}). */
final class SafeTensorsWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int BUFFER_BYTES = 1 << 20;

    private SafeTensorsWriter() {}

    static void write(Path file, List<TensorEntry> entries, Map<String, String> metadata) {
        byte[] header = header(entries, metadata);
        AtomicFiles.write(file, ch -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length).flip();
            AtomicFiles.writeFully(ch, buf);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            buf.clear();
            for (TensorEntry e : entries) writeValues(ch, e, buf);
            flush(ch, buf);
        });
    }

    /**
     * The header JSON, padded with spaces to a multiple of 8 bytes so the data section starts 8-aligned.
     * {@code __metadata__} comes first with its keys sorted (same bytes whatever Map type the caller used),
     * then the tensors in the given order, laid out back to back from offset 0.
     */
    static byte[] header(List<TensorEntry> entries, Map<String, String> metadata) {
        ObjectNode root = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject(SafeTensorsHeader.METADATA_KEY);
            for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
                if (e.getValue() == null) throw new IllegalArgumentException("metadata \"" + e.getKey() + "\" is null");
                m.put(e.getKey(), e.getValue());
            }
        }
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (TensorEntry e : entries) {
            if (!names.add(e.name())) throw new IllegalArgumentException("tensor \"" + e.name() + "\" is given twice");
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", e.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) shape.add(d);
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offset = Math.addExact(offset, e.byteSize());
            offsets.add(offset);
        }
        byte[] json;
        try {
            json = MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a safetensors header", e);
        }
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeValues(FileChannel ch, TensorEntry e, ByteBuffer buf) throws IOException {
        switch (e.values()) {
            case float[] v -> {
                for (float x : v) {
                    if (buf.remaining() < 4) flush(ch, buf);
                    switch (e.dtype()) {
                        case F32 -> buf.putFloat(x);
                        case BF16 -> buf.putShort(FloatFormats.floatToBf16(x));
                        case F16 -> buf.putShort(FloatFormats.floatToF16(x));
                        default -> throw new IllegalStateException("floats stored as " + e.dtype());
                    }
                }
            }
            case int[] v -> {
                for (int x : v) {
                    if (buf.remaining() < 4) flush(ch, buf);
                    buf.putInt(x);
                }
            }
            case long[] v -> {
                for (long x : v) {
                    if (buf.remaining() < 8) flush(ch, buf);
                    buf.putLong(x);
                }
            }
            case MemorySegment bytes -> {
                flush(ch, buf);
                MemorySegment staging = MemorySegment.ofBuffer(buf);
                for (long pos = 0; pos < bytes.byteSize(); pos += BUFFER_BYTES) {
                    int m = (int) Math.min(BUFFER_BYTES, bytes.byteSize() - pos);
                    MemorySegment.copy(bytes, pos, staging, 0, m);
                    buf.position(m);
                    flush(ch, buf);
                }
            }
            default -> throw new IllegalStateException("unexpected values " + e.values().getClass());
        }
    }

    private static void flush(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        AtomicFiles.writeFully(ch, buf);
        buf.clear();
    }
}
