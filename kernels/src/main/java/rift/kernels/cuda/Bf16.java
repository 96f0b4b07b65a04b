package rift.kernels.cuda;

/**
 * bfloat16 on the host: the upper 16 bits of an fp32, rounded to nearest even as the device's
 * __float2bfloat16_rn does (NaN stays a quiet NaN, overflow rounds to infinity).
 */
public final class Bf16 {
    private Bf16() {}

    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 0x0040); // quiet NaN, sign kept
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }

    public static float toFloat(short h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }

    /** f rounded to the nearest bf16 value, as a float. */
    public static float round(float f) {
        return toFloat(fromFloat(f));
    }

    public static short[] fromFloats(float[] src, int n) {
        short[] out = new short[n];
        for (int i = 0; i < n; i++) out[i] = fromFloat(src[i]);
        return out;
    }

    public static float[] toFloats(short[] src, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = toFloat(src[i]);
        return out;
    }

    /** A copy of src with every value rounded to bf16. */
    public static float[] roundAll(float[] src) {
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) out[i] = round(src[i]);
        return out;
    }
}
