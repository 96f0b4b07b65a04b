package rift.io;

/**
 * Conversions between float32 and the 16-bit float formats, bit-compatible with PyTorch.
 *
 * <p>Widening (bf16/f16 to float32) is exact: every 16-bit value is a float32. Narrowing rounds to nearest,
 * ties to even, with overflow to infinity and gradual underflow to subnormals, as {@code tensor.to(dtype)}
 * does. NaN becomes PyTorch's canonical NaN: bf16 {@code 0x7FC0} (sign dropped, as c10::BFloat16 does) and
 * f16 {@code 0x7E00} with the sign kept (as c10::Half does), so a signalling NaN never rounds to infinity.
 */
public final class FloatFormats {
    private FloatFormats() {}

    /** bfloat16 is the top half of a float32, so widening is a shift. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** float32 to bfloat16, round to nearest even (c10::round_to_nearest_even). */
    public static short floatToBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) return (short) 0x7FC0;
        // Adding 0x7FFF plus the kept part's lowest bit carries into the kept half exactly when the dropped
        // half is above one half ulp, or exactly one half and the kept part is odd: ties go to even.
        int keptLsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + keptLsb) >>> 16);
    }

    /** IEEE binary16 to float32, exact (the JDK's conversion; NaN payloads are kept). */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** float32 to IEEE binary16, round to nearest even; NaN becomes 0x7E00 with the input's sign. */
    public static short floatToF16(float x) {
        if (Float.isNaN(x)) {
            int sign = (Float.floatToRawIntBits(x) >>> 16) & 0x8000;
            return (short) (sign | 0x7E00);
        }
        return Float.floatToFloat16(x);
    }
}
