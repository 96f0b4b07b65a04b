package rift.io;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One tensor to write: a name, a shape, the values, and the dtype to store them as. Build one with the
 * factories; they check that the shape matches the values and that the dtype can hold them. The values
 * are not copied, so do not change them before the write finishes.
 */
public final class TensorEntry {
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final Object values; // float[], int[], long[] or MemorySegment (raw little-endian bytes)

    private TensorEntry(String name, DType dtype, long[] shape, Object values, long length) {
        if (name == null) throw new IllegalArgumentException("tensor name is null");
        if (name.equals(SafeTensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("\"__metadata__\" is reserved by the format and cannot name a tensor");
        }
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.values = values;
        long numel = TensorInfo.elementCount(this.shape);
        if (numel != length) {
            throw new IllegalArgumentException("tensor \"" + name + "\": shape " + Arrays.toString(shape) + " has "
                    + numel + " elements but " + length + " values were given");
        }
    }

    /** Float values stored as {@code storeAs}: F32 (exact), BF16 or F16 (round to nearest even). */
    public static TensorEntry floats(String name, long[] shape, float[] values, DType storeAs) {
        if (!storeAs.isFloat32Readable()) {
            throw new IllegalArgumentException("tensor \"" + name + "\": floats are stored as F32, BF16 or F16, not " + storeAs);
        }
        return new TensorEntry(name, storeAs, shape, values, values.length);
    }

    /** Float values stored exactly as F32. */
    public static TensorEntry f32(String name, long[] shape, float[] values) {
        return floats(name, shape, values, DType.F32);
    }

    /** Int values stored as I32. */
    public static TensorEntry ints(String name, long[] shape, int[] values) {
        return new TensorEntry(name, DType.I32, shape, values, values.length);
    }

    /** Long values stored as I64 (the dtype PyTorch uses for token ids and masks). */
    public static TensorEntry longs(String name, long[] shape, long[] values) {
        return new TensorEntry(name, DType.I64, shape, values, values.length);
    }

    /**
     * Bytes already in the on-disk layout (little-endian {@code dtype}), such as a {@link SafeTensorsReader#segment}
     * being copied to another file. No size limit beyond a long.
     */
    public static TensorEntry raw(String name, DType dtype, long[] shape, MemorySegment bytes) {
        long numel = TensorInfo.elementCount(shape);
        if (bytes.byteSize() != Math.multiplyExact(numel, (long) dtype.size())) {
            throw new IllegalArgumentException("tensor \"" + name + "\": " + bytes.byteSize() + " bytes given but shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + numel * dtype.size());
        }
        return new TensorEntry(name, dtype, shape, bytes, numel);
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long numel() {
        return TensorInfo.elementCount(shape);
    }

    /** Bytes this tensor takes on disk. */
    public long byteSize() {
        return numel() * dtype.size();
    }

    /** The values: float[], int[], long[] or a MemorySegment of raw bytes. */
    Object values() {
        return values;
    }
}
