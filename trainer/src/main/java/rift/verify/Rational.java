package rift.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * An exact rational number {@code num/den} in lowest terms with {@code den > 0}.
 *
 * <p>Sizes are capped: an operation whose result would need more than {@link #MAX_BITS} bits in its
 * numerator or denominator returns {@code null}, and the caller falls back to floating point. That
 * keeps every exact step cheap (a {@code 2^(10^9)} in an answer must not allocate gigabytes).
 */
record Rational(BigInteger num, BigInteger den) {
    /** Largest numerator or denominator kept exact; 4096 bits is far beyond any contest answer. */
    static final int MAX_BITS = 4096;

    static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    Rational {
        if (den.signum() <= 0) throw new IllegalArgumentException("denominator must be positive: " + den);
    }

    static Rational of(long n) {
        return new Rational(BigInteger.valueOf(n), BigInteger.ONE);
    }

    static Rational of(BigInteger n) {
        return n.bitLength() > MAX_BITS ? null : new Rational(n, BigInteger.ONE);
    }

    /** n/d in lowest terms, or null when d is zero or the reduced value exceeds the size cap. */
    static Rational of(BigInteger n, BigInteger d) {
        if (d.signum() == 0) return null;
        if (d.signum() < 0) {
            n = n.negate();
            d = d.negate();
        }
        BigInteger g = n.gcd(d);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            n = n.divide(g);
            d = d.divide(g);
        }
        if (n.signum() == 0) return ZERO;
        if (n.bitLength() > MAX_BITS || d.bitLength() > MAX_BITS) return null;
        return new Rational(n, d);
    }

    /**
     * Parses a plain decimal literal such as {@code 12}, {@code 0.125}, {@code .5} or {@code 1.5e-3}
     * exactly; null when the exponent is too large to keep exact.
     */
    static Rational parseDecimal(String text) {
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
        // scale is bounded by the exponent we accept; beyond ~1000 decimal digits we stay approximate
        if (Math.abs((long) d.scale()) > 1000 || d.precision() - (long) d.scale() > 1000) return null;
        if (d.scale() <= 0) return of(d.toBigIntegerExact());
        return of(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
    }

    boolean isZero() {
        return num.signum() == 0;
    }

    boolean isInteger() {
        return den.equals(BigInteger.ONE);
    }

    int signum() {
        return num.signum();
    }

    Rational negate() {
        return new Rational(num.negate(), den);
    }

    Rational add(Rational o) {
        if (den.equals(o.den)) return of(num.add(o.num), den);
        return of(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    Rational subtract(Rational o) {
        return add(o.negate());
    }

    Rational multiply(Rational o) {
        return of(num.multiply(o.num), den.multiply(o.den));
    }

    /** this / o, or null when o is zero (the caller treats that as undefined) or too large. */
    Rational divide(Rational o) {
        if (o.isZero()) return null;
        return of(num.multiply(o.den), den.multiply(o.num));
    }

    /** this^n for an integer n, or null when the result would exceed the size cap or 0^negative. */
    Rational pow(long n) {
        if (n == 0) return ONE;
        if (isZero()) return n > 0 ? ZERO : null;
        long bits = Math.max(num.bitLength(), den.bitLength());
        if (bits == 1) {
            // +-1 stays small for any n
            boolean odd = (n & 1) == 1;
            return num.signum() < 0 && odd ? of(-1) : ONE;
        }
        // (bits-1)*|n| bounds the result's size from below: refuse before multiplying when it is over
        // the cap; the result is then at most twice the cap, and of() rejects it if it is over
        if (n == Long.MIN_VALUE || Math.abs(n) > MAX_BITS || (bits - 1) * Math.abs(n) > MAX_BITS) return null;
        int e = (int) Math.abs(n);
        BigInteger p = num.pow(e), q = den.pow(e);
        return n > 0 ? of(p, q) : of(q, p);
    }

    /** The exact k-th root when num and den are both perfect k-th powers (sign allowed for odd k), else null. */
    Rational exactRoot(int k) {
        if (k <= 0) return null;
        if (k == 1) return this;
        if (num.signum() < 0 && k % 2 == 0) return null;
        // x^(1/k) < 2 once k >= bitLength(x): only 0 and 1 are perfect powers there (and the Newton
        // step below would build 2^(k-1)-sized numbers for a huge k)
        if (k >= Math.max(num.abs().bitLength(), den.bitLength())) {
            boolean unitNum = num.abs().compareTo(BigInteger.ONE) <= 0, unitDen = den.equals(BigInteger.ONE);
            return unitNum && unitDen ? this : null;
        }
        BigInteger rn = integerRoot(num.abs(), k), rd = integerRoot(den, k);
        if (rn == null || rd == null) return null;
        return of(num.signum() < 0 ? rn.negate() : rn, rd);
    }

    /** floor(x^(1/k)) when it is an exact root, else null; Newton's method on integers. */
    private static BigInteger integerRoot(BigInteger x, int k) {
        if (x.signum() == 0 || x.equals(BigInteger.ONE)) return x;
        int bits = x.bitLength();
        // start above the root: 2^(ceil(bits/k))
        BigInteger r = BigInteger.ONE.shiftLeft(bits / k + 1);
        BigInteger km1 = BigInteger.valueOf(k - 1), kk = BigInteger.valueOf(k);
        while (true) {
            BigInteger next = km1.multiply(r).add(x.divide(r.pow(k - 1))).divide(kk);
            if (next.compareTo(r) >= 0) break;
            r = next;
        }
        return r.pow(k).equals(x) ? r : null;
    }

    double toDouble() {
        if (isInteger()) return num.doubleValue();
        // BigDecimal keeps huge numerators and denominators from overflowing to Inf/Inf = NaN
        return new BigDecimal(num).divide(new BigDecimal(den), MathContext.DECIMAL64).doubleValue();
    }

    @Override
    public String toString() {
        return isInteger() ? num.toString() : num + "/" + den;
    }
}
