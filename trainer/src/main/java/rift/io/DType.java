package rift.io;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types a safetensors header may name (the byte-sized ones of the format; the sub-byte
 * F4/F6 types are not supported). {@link #size()} is the bytes per element on disk, little-endian.
 */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), F8_E8M0(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    I64(8), U64(8), F64(8), C64(8);

    private final int size;

    DType(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** True for the types {@code readFloat} converts exactly to float32. */
    public boolean isFloat32Readable() {
        return this == F32 || this == BF16 || this == F16;
    }

    /** The dtype spelled {@code name} in a header, or null when the name is not one of {@link #values()}. */
    public static DType parse(String name) {
        for (DType t : values()) if (t.name().equals(name)) return t;
        return null;
    }

    /** "BOOL, U8, ..." for error messages. */
    static String known() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
