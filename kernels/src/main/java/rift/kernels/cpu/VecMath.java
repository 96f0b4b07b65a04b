package rift.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded Vector API building blocks shared by the CPU ops: a dot product, a double-accumulated
 * sum of squares, and an exp.
 *
 * <p>Every routine here is built only from IEEE-exact lane operations (add, mul, fma, div, sqrt,
 * compare, bit moves) and reduces lanes in a fixed scalar order, never with {@code reduceLanes} or the
 * Vector API's transcendental EXP: those may round differently in the interpreter, C1 and C2 (the EXP
 * intrinsic is SVML, its Java fallback is {@code Math.exp}), so a result could change when the JIT
 * kicks in. The scalar tails use the same operations in the same order, so an element gives the same
 * bits whether it lands in a vector or in a tail.
 */
final class VecMath {
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final int FL = FS.length();
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** The float species with as many lanes as DS, so a load converts one-to-one into a DoubleVector. */
    static final VectorSpecies<Float> FS_FOR_DS = VectorSpecies.of(float.class, VectorShape.forBitSize(DS.vectorBitSize() / 2));
    static final int DL = DS.length();

    private VecMath() {}

    /** Sum of the lanes of v in lane order 0, 1, ... (fixed, unlike reduceLanes). */
    static float sumLanes(FloatVector v) {
        float[] a = v.toArray();
        float s = 0f;
        for (float x : a) s += x;
        return s;
    }

    static double sumLanes(DoubleVector v) {
        double[] a = v.toArray();
        double s = 0;
        for (double x : a) s += x;
        return s;
    }

    /** sum_i a[ao+i] * b[bo+i] in float (lane-wise fma, then lanes in order, then the tail). */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc0 = FloatVector.zero(FS), acc1 = FloatVector.zero(FS);
        int i = 0;
        int bound2 = n - 2 * FL + 1;
        for (; i < bound2; i += 2 * FL) {
            acc0 = FloatVector.fromArray(FS, a, ao + i).fma(FloatVector.fromArray(FS, b, bo + i), acc0);
            acc1 = FloatVector.fromArray(FS, a, ao + i + FL).fma(FloatVector.fromArray(FS, b, bo + i + FL), acc1);
        }
        for (; i < FS.loopBound(n); i += FL) {
            acc0 = FloatVector.fromArray(FS, a, ao + i).fma(FloatVector.fromArray(FS, b, bo + i), acc0);
        }
        float s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) s = Math.fma(a[ao + i], b[bo + i], s);
        return s;
    }

    /**
     * sum_i x[off+i]^2 with every square and sum in double. A float times a float is exact in double
     * (48 significant bits), so only the additions round, at double precision.
     */
    static double sumSquares(float[] x, int off, int n) {
        DoubleVector acc = DoubleVector.zero(DS);
        int i = 0;
        int bound = n - DL + 1;
        for (; i < bound; i += DL) {
            DoubleVector d = (DoubleVector) FloatVector.fromArray(FS_FOR_DS, x, off + i).convertShape(VectorOperators.F2D, DS, 0);
            acc = d.fma(d, acc);
        }
        double s = sumLanes(acc);
        for (; i < n; i++) {
            double d = x[off + i];
            s = Math.fma(d, d, s);
        }
        return s;
    }

    // ---- exp ------------------------------------------------------------------------------------
    // exp(x) = 2^k * e^r with k = round(x / ln 2), r = x - k ln 2 in about [-ln2/2, ln2/2] (ln 2 split
    // in a high part with few bits and a low correction, the products taken with fma), e^r by a
    // degree-7 Taylor polynomial in Horner form with fma (truncation error < 1e-8 relative there). 2^k
    // is applied as two powers of two, 2^(k>>1) then 2^(k - (k>>1)), each a normal float built from
    // its exponent bits, so results that overflow become +inf and tiny ones underflow gradually just
    // like a correctly rounded exp. k is rounded with the 1.5 * 2^23 trick: adding it leaves
    // round(x / ln 2) in the low mantissa bits. x is clamped to [-104, 89] first: exp(-104) is below
    // half the smallest subnormal (rounds to 0) and exp(89) overflows, so the clamp changes no result.

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND_MAGIC = 12582912f; // 1.5 * 2^23
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    private static final float EXP_LO = -104f;
    private static final float EXP_HI = 89f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    /** Scalar exp, bit-identical to {@link #exp(FloatVector)} on every lane. */
    static float exp(float x) {
        float xc = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float t = Math.fma(xc, LOG2E, ROUND_MAGIC);
        float k = t - ROUND_MAGIC;
        float r = Math.fma(k, -LN2_HI, xc);
        r = Math.fma(k, -LN2_LO, r);
        float p = Math.fma(C7, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int ki = Float.floatToRawIntBits(t) - ROUND_MAGIC_BITS;
        int k1 = ki >> 1;
        float scale1 = Float.intBitsToFloat((k1 + 127) << 23);
        float scale2 = Float.intBitsToFloat((ki - k1 + 127) << 23);
        return p * scale1 * scale2;
    }

    /** Lane-wise exp (see the notes above); NaN lanes give NaN. */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector k = t.sub(ROUND_MAGIC);
        FloatVector r = k.fma(FloatVector.broadcast(FS, -LN2_HI), xc);
        r = k.fma(FloatVector.broadcast(FS, -LN2_LO), r);
        FloatVector p = r.fma(C7, C6); // C7 * r + C6, same product and rounding as Math.fma(C7, r, C6)
        p = p.fma(r, FloatVector.broadcast(FS, C5));
        p = p.fma(r, FloatVector.broadcast(FS, C4));
        p = p.fma(r, FloatVector.broadcast(FS, C3));
        p = p.fma(r, FloatVector.broadcast(FS, C2));
        p = p.fma(r, FloatVector.broadcast(FS, 1f));
        p = p.fma(r, FloatVector.broadcast(FS, 1f));
        var ki = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        var k1 = ki.lanewise(VectorOperators.ASHR, 1);
        FloatVector scale1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scale2 = ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale1).mul(scale2);
    }
}
