package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Host bf16 rounding: round to nearest even on the upper 16 bits, as __float2bfloat16_rn. */
class Bf16Test {
    @Test
    void roundsToNearestEven() {
        assertEquals(1.0f, Bf16.round(1.0f));
        float ulp = Math.ulp(1.0f) * 65536; // bf16 spacing at 1: 2^-7
        assertEquals(1.0f, Bf16.round(1.0f + ulp / 2));            // tie -> even (1.0)
        assertEquals(1.0f + 2 * ulp, Bf16.round(1.0f + 1.5f * ulp)); // tie -> even (1 + 2 ulp)
        assertEquals(1.0f + ulp, Bf16.round(1.0f + ulp * 0.51f));
        assertEquals(-3.140625f, Bf16.round(-3.14159f));
        assertEquals(Float.POSITIVE_INFINITY, Bf16.round(Float.MAX_VALUE));
        assertTrue(Float.isNaN(Bf16.round(Float.NaN)));
    }

    @Test
    void roundTripIsExactForBf16Values() {
        for (int h = 0; h < 65536; h += 7) {
            float f = Bf16.toFloat((short) h);
            if (!Float.isNaN(f)) assertEquals(Float.floatToIntBits(f), Float.floatToIntBits(Bf16.round(f)));
        }
    }
}
