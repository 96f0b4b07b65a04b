package rift.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatFormatsTest {
    private static float f(int bits) {
        return Float.intBitsToFloat(bits);
    }

    private static void bf16(int expected, float x) {
        assertEquals(expected, FloatFormats.floatToBf16(x) & 0xFFFF,
                () -> "bf16 of " + x + " (0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ")");
    }

    private static void f16(int expected, float x) {
        assertEquals(expected, FloatFormats.floatToF16(x) & 0xFFFF,
                () -> "f16 of " + x + " (0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ")");
    }

    @Test
    void bf16HandComputedPatterns() {
        bf16(0x3F80, 1.0f);
        bf16(0xBF80, -1.0f);
        bf16(0x3F80, f(0x3F808000)); // exact tie, 0x3F80 is even: down
        bf16(0x3F82, f(0x3F818000)); // exact tie, 0x3F81 is odd: up to even
        bf16(0x3F81, f(0x3F808001)); // just above the tie
        bf16(0x3F80, f(0x3F807FFF)); // just below the tie
        bf16(0xBF82, f(0xBF818000)); // ties to even on the negative side too
        bf16(0x7F80, Float.MAX_VALUE); // above max bf16 + half ulp: overflows to inf
        bf16(0x7F7F, f(0x7F7F7FFF));
        bf16(0x7F80, f(0x7F7F8000)); // tie at the top: 0x7F7F is odd, so to "0x7F80" = inf
        bf16(0x7F80, Float.POSITIVE_INFINITY);
        bf16(0xFF80, Float.NEGATIVE_INFINITY);
        bf16(0x0000, 0.0f);
        bf16(0x8000, -0.0f);
        bf16(0x0000, f(0x00000001)); // smallest float subnormal rounds to zero
        bf16(0x0000, f(0x00008000)); // subnormal tie, even: down
        bf16(0x0002, f(0x00018000)); // subnormal tie, odd: up
        bf16(0x0080, f(0x007FFFFF)); // largest subnormal rounds up to the smallest normal
        bf16(0x7FC0, Float.NaN);
        bf16(0x7FC0, f(0xFFC00000)); // negative NaN: torch drops the sign
        bf16(0x7FC0, f(0x7F800001)); // signalling NaN must not round to inf
        bf16(0x7FC0, f(0x7FFFFFFF));
    }

    @Test
    void f16HandComputedPatterns() {
        f16(0x3C00, 1.0f);
        f16(0xC000, -2.0f);
        f16(0x7BFF, 65504f); // max half
        f16(0x7BFF, 65519f); // below the overflow tie
        f16(0x7C00, 65520f); // tie between 65504 (odd) and 65536: to inf
        f16(0x3C00, 1f + 0x1p-11f); // tie, even: down
        f16(0x3C02, 1f + 3 * 0x1p-11f); // tie, odd: up
        f16(0x3C01, Math.nextUp(1f + 0x1p-11f));
        f16(0x0400, 0x1p-14f); // smallest normal
        f16(0x0001, 0x1p-24f); // smallest subnormal
        f16(0x0000, 0x1p-25f); // tie between 0 and 2^-24: to zero
        f16(0x0001, Math.nextUp(0x1p-25f));
        f16(0x0002, 3 * 0x1p-25f); // tie between subnormals 1 and 2: to 2
        f16(0x03FF, 1023 * 0x1p-24f); // largest subnormal
        f16(0x8001, -0x1p-24f);
        f16(0x0000, 0x1p-30f); // underflow
        f16(0x8000, -0.0f);
        f16(0x7C00, Float.POSITIVE_INFINITY);
        f16(0xFC00, Float.NEGATIVE_INFINITY);
        f16(0x7E00, Float.NaN);
        f16(0xFE00, f(0xFFC00000));
        f16(0x7E00, f(0x7F800001));
    }

    @Test
    void wideningHandComputedValues() {
        assertEquals(1.0f, FloatFormats.bf16ToFloat((short) 0x3F80));
        assertEquals(0x1p-133f, FloatFormats.bf16ToFloat((short) 0x0001)); // bf16 subnormal is a float subnormal
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(FloatFormats.bf16ToFloat((short) 0x8000)));
        assertEquals(Float.NEGATIVE_INFINITY, FloatFormats.bf16ToFloat((short) 0xFF80));
        assertTrue(Float.isNaN(FloatFormats.bf16ToFloat((short) 0x7FC0)));
        assertEquals(1.0f, FloatFormats.f16ToFloat((short) 0x3C00));
        assertEquals(65504f, FloatFormats.f16ToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, FloatFormats.f16ToFloat((short) 0x0001));
        assertEquals(1023 * 0x1p-24f, FloatFormats.f16ToFloat((short) 0x03FF));
        assertEquals(0x1p-14f, FloatFormats.f16ToFloat((short) 0x0400));
        assertEquals(Float.POSITIVE_INFINITY, FloatFormats.f16ToFloat((short) 0x7C00));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(FloatFormats.f16ToFloat((short) 0x8000)));
        assertTrue(Float.isNaN(FloatFormats.f16ToFloat((short) 0x7E00)));
    }

    /** Every non-NaN 16-bit pattern survives widen-then-narrow unchanged (so widening is exact). */
    @Test
    void everyPatternRoundTrips() {
        for (int p = 0; p < 0x10000; p++) {
            short s = (short) p;
            float b = FloatFormats.bf16ToFloat(s);
            if (!Float.isNaN(b)) assertEquals(p, FloatFormats.floatToBf16(b) & 0xFFFF, "bf16 0x" + Integer.toHexString(p));
            float h = FloatFormats.f16ToFloat(s);
            if (!Float.isNaN(h)) assertEquals(p, FloatFormats.floatToF16(h) & 0xFFFF, "f16 0x" + Integer.toHexString(p));
        }
    }

    /**
     * Narrowing agrees with a plain reference: the value of every non-negative 16-bit pattern from its
     * fields, a binary search for the two neighbours of |x| in double, nearest wins, ties go to the even
     * pattern. The pattern after the largest finite one is infinity, valued as the next power of two, which
     * makes overflow fall out of the same rule. Checked at every tie point, its float neighbours, a stride
     * through all floats and random bit patterns.
     */
    @Test
    void narrowingMatchesNearestEvenReference() {
        Format bf16 = new Format(8, 7), half = new Format(5, 10);
        SplittableRandom rnd = new SplittableRandom(42);
        for (Format fmt : new Format[] {bf16, half}) {
            for (int p = 0; p < fmt.values.length - 1; p++) {
                float mid = (float) ((fmt.values[p] + fmt.values[p + 1]) / 2); // exact: needs one more bit only
                for (float x : new float[] {mid, Math.nextUp(mid), Math.nextDown(mid), -mid}) check(fmt, fmt == bf16, x);
            }
            for (long bits = 0; bits < (1L << 32); bits += 65_537) check(fmt, fmt == bf16, f((int) bits));
            for (int i = 0; i < 100_000; i++) check(fmt, fmt == bf16, f(rnd.nextInt()));
        }
    }

    private static void check(Format fmt, boolean isBf16, float x) {
        if (Float.isNaN(x)) return;
        int expected = fmt.round(x);
        int got = (isBf16 ? FloatFormats.floatToBf16(x) : FloatFormats.floatToF16(x)) & 0xFFFF;
        assertEquals(expected, got, () -> (isBf16 ? "bf16" : "f16") + " of 0x" + Integer.toHexString(Float.floatToRawIntBits(x)));
    }

    /** A binary float format with the given field widths, rounding done the slow, obvious way. */
    private static final class Format {
        final double[] values; // value of pattern p for p = 0 .. +infinity's pattern

        Format(int expBits, int mantBits) {
            int bias = (1 << (expBits - 1)) - 1;
            int infPattern = ((1 << expBits) - 1) << mantBits;
            values = new double[infPattern + 1];
            for (int p = 0; p <= infPattern; p++) {
                int exp = p >>> mantBits, mant = p & ((1 << mantBits) - 1);
                values[p] = exp == 0 ? Math.scalb((double) mant, 1 - bias - mantBits)
                        : Math.scalb((double) ((1 << mantBits) + mant), exp - bias - mantBits);
            }
        }

        int round(float x) {
            int sign = Float.floatToRawIntBits(x) < 0 ? 0x8000 : 0; // both formats keep the sign in bit 15
            double a = Math.abs((double) x);
            int last = values.length - 1;
            if (a >= values[last]) return sign | last;
            int i = Arrays.binarySearch(values, a);
            if (i >= 0) return sign | i;
            int hi = -i - 1, lo = hi - 1;
            double dLo = a - values[lo], dHi = values[hi] - a;
            int p = dLo < dHi ? lo : dHi < dLo ? hi : (lo % 2 == 0 ? lo : hi);
            return sign | p;
        }
    }
}
