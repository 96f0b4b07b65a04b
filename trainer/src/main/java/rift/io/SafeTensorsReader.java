package rift.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * An open safetensors file, memory-mapped through FFM so files and tensors larger than 2 GiB work and
 * nothing is read until asked for. Obtain one with {@link SafeTensors#open(Path)}; close it to unmap.
 * Reads are thread-safe (the mapping lives in a shared arena); segments and reads fail after close.
 */
public final class SafeTensorsReader implements AutoCloseable {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Largest Java array the VM reliably allocates (the JDK's own soft limit). */
    static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final int CHUNK = 1 << 14;

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final SafeTensorsHeader header;

    private SafeTensorsReader(Path file, Arena arena, MemorySegment data, SafeTensorsHeader header) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.header = header;
    }

    static SafeTensorsReader open(Path file) {
        String label = file.toString();
        if (Files.isDirectory(file)) {
            throw new RiftException(label + ": is a directory, not a safetensors file (open a model directory with TensorStore)");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw SafeTensorsHeader.fail(label, "the file is " + size
                        + " bytes, shorter than the 8-byte header length prefix (truncated or not a safetensors file)");
            }
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long n = whole.get(I64, 0);
            SafeTensorsHeader.checkHeaderLength(label, n, size);
            byte[] json = whole.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = whole.asSlice(8 + n);
            SafeTensorsHeader header = SafeTensorsHeader.parse(label, json, data.byteSize());
            return new SafeTensorsReader(file, arena, data, header);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new RiftException(label + ": no such file");
        } catch (AccessDeniedException e) {
            arena.close();
            throw new RiftException(label + ": permission denied (check the file's read permission)");
        } catch (IOException e) {
            arena.close();
            throw new RiftException(label + ": cannot read safetensors file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The file this reader maps. */
    public Path file() {
        return file;
    }

    /** Every tensor's header entry by name, in header order (unmodifiable). */
    public Map<String, TensorInfo> tensors() {
        return header.tensors();
    }

    /** The header's {@code __metadata__} map (empty when absent; unmodifiable). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** True when the file holds a tensor named {@code name}. */
    public boolean has(String name) {
        return header.tensors().containsKey(name);
    }

    /** The header entry of {@code name}; RiftException naming the file when there is none. */
    public TensorInfo info(String name) {
        TensorInfo t = header.tensors().get(name);
        if (t == null) {
            throw new RiftException(file + ": no tensor named \"" + name + "\" (the file has " + header.tensors().size()
                    + " tensors" + sample() + ")");
        }
        return t;
    }

    /** The raw little-endian bytes of {@code name}: a read-only slice of the mapping, valid until close. */
    public MemorySegment segment(String name) {
        TensorInfo t = info(name);
        return data.asSlice(t.begin(), t.byteSize());
    }

    /** Tensor {@code name} (F32, BF16 or F16) as float32, converted exactly, in row-major order. */
    public float[] readFloat(String name) {
        TensorInfo t = requireFloat(name);
        float[] out = new float[arrayLength(t)];
        copyFloats(t, out, 0);
        return out;
    }

    /** Tensor {@code name} (F32, BF16 or F16) as float32 into {@code dst[off .. off + numel)}. */
    public void readFloat(String name, float[] dst, int off) {
        TensorInfo t = requireFloat(name);
        int n = arrayLength(t);
        if (off < 0 || off > dst.length - n) {
            throw new IllegalArgumentException("tensor \"" + name + "\" has " + n + " elements; dst has "
                    + dst.length + ", offset " + off);
        }
        copyFloats(t, dst, off);
    }

    /** Tensor {@code name} (I64, or I32 widened) as longs. */
    public long[] readLong(String name) {
        TensorInfo t = info(name);
        long[] out = new long[arrayLength(t)];
        MemorySegment src = segment(name);
        switch (t.dtype()) {
            case I64 -> MemorySegment.copy(src, I64, 0, out, 0, out.length);
            case I32 -> {
                for (int i = 0; i < out.length; i++) out[i] = src.getAtIndex(I32, i);
            }
            default -> throw wrongDtype(t, "readLong", "I64 or I32");
        }
        return out;
    }

    /** Tensor {@code name} (I32, or I64 whose every value fits an int, such as token ids) as ints. */
    public int[] readInt(String name) {
        TensorInfo t = info(name);
        int[] out = new int[arrayLength(t)];
        MemorySegment src = segment(name);
        switch (t.dtype()) {
            case I32 -> MemorySegment.copy(src, I32, 0, out, 0, out.length);
            case I64 -> {
                for (int i = 0; i < out.length; i++) {
                    long v = src.getAtIndex(I64, i);
                    if (v != (int) v) {
                        throw new RiftException(file + ": tensor \"" + name + "\" element " + i + " is " + v
                                + ", outside the int range; read it with readLong");
                    }
                    out[i] = (int) v;
                }
            }
            default -> throw wrongDtype(t, "readInt", "I32 or I64");
        }
        return out;
    }

    /** Unmaps the file. Segments obtained from this reader become inaccessible. */
    @Override
    public void close() {
        arena.close();
    }

    private TensorInfo requireFloat(String name) {
        TensorInfo t = info(name);
        if (!t.dtype().isFloat32Readable()) throw wrongDtype(t, "readFloat", "F32, BF16 or F16");
        return t;
    }

    private void copyFloats(TensorInfo t, float[] dst, int off) {
        MemorySegment src = data.asSlice(t.begin(), t.byteSize());
        int n = (int) t.numel();
        if (t.dtype() == DType.F32) {
            MemorySegment.copy(src, F32, 0, dst, off, n);
            return;
        }
        boolean bf16 = t.dtype() == DType.BF16;
        short[] buf = new short[Math.min(CHUNK, n)];
        for (int start = 0; start < n; start += CHUNK) {
            int m = Math.min(CHUNK, n - start);
            MemorySegment.copy(src, I16, 2L * start, buf, 0, m);
            for (int j = 0; j < m; j++) {
                dst[off + start + j] = bf16 ? FloatFormats.bf16ToFloat(buf[j]) : FloatFormats.f16ToFloat(buf[j]);
            }
        }
    }

    /** numel as an array length, or a RiftException naming the tensor when it cannot be one. */
    int arrayLength(TensorInfo t) {
        return arrayLength(file.toString(), t);
    }

    static int arrayLength(String file, TensorInfo t) {
        long n = t.numel();
        if (n > MAX_ARRAY_LENGTH) {
            throw new RiftException(file + ": tensor \"" + t.name() + "\" has " + n
                    + " elements, more than a Java array holds (" + MAX_ARRAY_LENGTH + "); read it through segment()");
        }
        return (int) n;
    }

    private RiftException wrongDtype(TensorInfo t, String method, String accepted) {
        return new RiftException(file + ": tensor \"" + t.name() + "\" is " + t.dtype() + "; " + method
                + " reads " + accepted + " (use segment() for raw bytes)");
    }

    private String sample() {
        var names = header.tensors().keySet().stream().limit(3).toList();
        return names.isEmpty() ? "" : ", e.g. " + String.join(", ", names);
    }
}
