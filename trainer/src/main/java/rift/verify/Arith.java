package rift.verify;

import java.math.BigInteger;
import java.util.function.DoubleUnaryOperator;
import rift.verify.Value.Approx;
import rift.verify.Value.Exact;

/**
 * Arithmetic on {@link Value}s: exact Gaussian-rational arithmetic while it stays within the size cap,
 * complex double arithmetic otherwise. Every operation is total: an undefined result (x/0, 0^-1,
 * log 0) is {@link Value#UNDEFINED}, never an exception, so one bad sample point cannot abort a check.
 */
final class Arith {
    private Arith() {}

    static final Exact I = new Exact(Rational.ZERO, Rational.ONE);
    static final Approx PI = new Approx(Math.PI, 0);
    static final Approx E = new Approx(Math.E, 0);
    static final Approx INFINITY = new Approx(Double.POSITIVE_INFINITY, 0);

    static Exact exact(long n) {
        return Exact.real(Rational.of(n));
    }

    static Value add(Value a, Value b) {
        if (a instanceof Exact x && b instanceof Exact y) {
            Rational re = x.re().add(y.re());
            Rational im = x.im().add(y.im());
            if (re != null && im != null) return new Exact(re, im);
        }
        Approx x = a.approx(), y = b.approx();
        return new Approx(x.re() + y.re(), x.im() + y.im());
    }

    static Value negate(Value a) {
        return switch (a) {
            case Exact x -> new Exact(x.re().negate(), x.im().negate());
            case Approx x -> new Approx(-x.re(), -x.im());
        };
    }

    static Value subtract(Value a, Value b) {
        return add(a, negate(b));
    }

    static Value multiply(Value a, Value b) {
        if (a instanceof Exact x && b instanceof Exact y) {
            Value r = multiplyExact(x, y);
            if (r != null) return r;
        }
        Approx x = a.approx(), y = b.approx();
        // the real case on its own: a complex product would turn inf*0 imaginary parts into NaN
        if (x.im() == 0 && y.im() == 0) return new Approx(x.re() * y.re(), 0);
        return new Approx(x.re() * y.re() - x.im() * y.im(), x.re() * y.im() + x.im() * y.re());
    }

    private static Exact multiplyExact(Exact x, Exact y) {
        if (x.isReal() && y.isReal()) {
            Rational re = x.re().multiply(y.re());
            return re == null ? null : Exact.real(re);
        }
        Rational ac = x.re().multiply(y.re()), bd = x.im().multiply(y.im());
        Rational ad = x.re().multiply(y.im()), bc = x.im().multiply(y.re());
        if (ac == null || bd == null || ad == null || bc == null) return null;
        Rational re = ac.subtract(bd), im = ad.add(bc);
        return re == null || im == null ? null : new Exact(re, im);
    }

    static Value divide(Value a, Value b) {
        if (b instanceof Exact y) {
            if (y.re().isZero() && y.im().isZero()) return Value.UNDEFINED;
            Value inv = reciprocalExact(y);
            if (inv != null && a instanceof Exact) return multiply(a, inv);
        }
        Approx x = a.approx(), y = b.approx();
        if (y.re() == 0 && y.im() == 0) return Value.UNDEFINED;
        if (x.im() == 0 && y.im() == 0) return new Approx(x.re() / y.re(), 0);
        double d = y.re() * y.re() + y.im() * y.im();
        return new Approx((x.re() * y.re() + x.im() * y.im()) / d, (x.im() * y.re() - x.re() * y.im()) / d);
    }

    private static Exact reciprocalExact(Exact y) {
        if (y.isReal()) {
            Rational r = Rational.ONE.divide(y.re());
            return r == null ? null : Exact.real(r);
        }
        Rational c2 = y.re().multiply(y.re()), d2 = y.im().multiply(y.im());
        if (c2 == null || d2 == null) return null;
        Rational n = c2.add(d2);
        if (n == null) return null;
        Rational re = y.re().divide(n), im = y.im().negate().divide(n);
        return re == null || im == null ? null : new Exact(re, im);
    }

    /** base^exponent: exact for integer exponents and for rational exponents of perfect powers. */
    static Value pow(Value base, Value exponent, Budget budget) {
        if (base instanceof Exact b && exponent instanceof Exact e && e.isReal()) {
            Rational q = e.re();
            if (q.isInteger() && q.num().bitLength() < 31) {
                Value r = powExactInteger(b, q.num().intValue(), budget);
                if (r != null) return r;
            } else if (b.isReal() && q.den().bitLength() < 31 && q.num().bitLength() < 31) {
                Rational root = b.re().exactRoot(q.den().intValue());
                // negative base with an odd root is left to the principal complex value below
                if (root != null && b.re().signum() >= 0) {
                    Value r = powExactInteger(Exact.real(root), q.num().intValue(), budget);
                    if (r != null) return r;
                }
            }
        }
        return powApprox(base.approx(), exponent.approx());
    }

    private static Value powExactInteger(Exact b, int n, Budget budget) {
        if (b.isReal()) {
            Rational r = b.re().pow(n);
            if (r == null) return b.re().isZero() && n < 0 ? Value.UNDEFINED : null;
            return Exact.real(r);
        }
        // Gaussian base: square-and-multiply, giving up (null) as soon as a step outgrows the cap
        Exact result = exact(1), sq = b;
        int m = Math.abs(n);
        while (m > 0) {
            budget.tick();
            if ((m & 1) == 1) {
                result = multiplyExact(result, sq);
                if (result == null) return null;
            }
            m >>= 1;
            if (m > 0) {
                sq = multiplyExact(sq, sq);
                if (sq == null) return null;
            }
        }
        if (n >= 0) return result;
        return reciprocalExact(result);
    }

    private static Value powApprox(Approx z, Approx w) {
        if (z.im() == 0 && w.im() == 0) {
            double x = z.re(), y = w.re();
            if (x == 0 && y < 0) return Value.UNDEFINED;
            if (x >= 0 || y == Math.rint(y)) return new Approx(Math.pow(x, y), 0);
        }
        if (z.re() == 0 && z.im() == 0) return w.re() > 0 ? new Approx(0, 0) : Value.UNDEFINED;
        // principal value: exp(w * log z)
        double lr = Math.log(Math.hypot(z.re(), z.im())), th = Math.atan2(z.im(), z.re());
        double er = w.re() * lr - w.im() * th, ei = w.re() * th + w.im() * lr;
        double m = Math.exp(er);
        return new Approx(m * Math.cos(ei), m * Math.sin(ei));
    }

    /** The k-th root as written with \sqrt[k]: real odd roots of negative reals stay real (cube root of -8 is -2). */
    static Value root(Value x, Value index, Budget budget) {
        if (!(index instanceof Exact k && k.isReal() && k.re().isInteger() && k.re().signum() > 0
                && k.re().num().bitLength() < 31)) {
            return pow(x, divide(exact(1), index), budget);
        }
        int n = k.re().num().intValue();
        if (x instanceof Exact e && e.isReal()) {
            Rational r = e.re().exactRoot(n);
            if (r != null) return Exact.real(r);
        }
        Approx a = x.approx();
        if (a.im() == 0 && a.re() < 0 && n % 2 == 1) return new Approx(-Math.pow(-a.re(), 1.0 / n), 0);
        return pow(x, Exact.real(Rational.of(BigInteger.ONE, BigInteger.valueOf(n))), budget);
    }

    static Value abs(Value x) {
        if (x instanceof Exact e) {
            if (e.isReal()) return Exact.real(e.re().signum() < 0 ? e.re().negate() : e.re());
            Rational a2 = e.re().multiply(e.re()), b2 = e.im().multiply(e.im());
            Rational n = a2 == null || b2 == null ? null : a2.add(b2);
            Rational r = n == null ? null : n.exactRoot(2);
            if (r != null) return Exact.real(r);
        }
        Approx a = x.approx();
        return new Approx(Math.hypot(a.re(), a.im()), 0);
    }

    static Value floor(Value x) {
        if (x instanceof Exact e && e.isReal()) {
            Rational r = e.re();
            BigInteger[] qr = r.num().divideAndRemainder(r.den());
            BigInteger f = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
            return Exact.real(Rational.of(f));
        }
        return realFunction(x, Math::floor);
    }

    static Value ceil(Value x) {
        return negate(floor(negate(x)));
    }

    /** n! for a non-negative integer; beyond the exact size cap it is +infinity, for other inputs undefined. */
    static Value factorial(Value x, Budget budget) {
        if (!(x instanceof Exact e && e.isReal() && e.re().isInteger() && e.re().signum() >= 0)) {
            return Value.UNDEFINED;
        }
        if (e.re().num().bitLength() > 20) return INFINITY;
        int n = e.re().num().intValue();
        BigInteger f = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            budget.tick();
            f = f.multiply(BigInteger.valueOf(i));
            if (f.bitLength() > Rational.MAX_BITS) return INFINITY;
        }
        return Exact.real(Rational.of(f));
    }

    /** C(n, k) for integer n and k (0 when k < 0 or 0 <= n < k); undefined otherwise. */
    static Value binomial(Value nv, Value kv, Budget budget) {
        if (!(nv instanceof Exact n && n.isReal() && n.re().isInteger()
                && kv instanceof Exact k && k.isReal() && k.re().isInteger())) {
            return Value.UNDEFINED;
        }
        BigInteger nn = n.re().num(), kk = k.re().num();
        if (kk.signum() < 0 || (nn.signum() >= 0 && nn.compareTo(kk) < 0)) return exact(0);
        if (nn.signum() >= 0 && nn.subtract(kk).compareTo(kk) < 0) kk = nn.subtract(kk);
        if (kk.bitLength() > 16) return INFINITY;
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < kk.intValue(); i++) {
            budget.tick();
            r = r.multiply(nn.subtract(BigInteger.valueOf(i))).divide(BigInteger.valueOf(i + 1));
            if (r.bitLength() > Rational.MAX_BITS) return INFINITY;
        }
        return Exact.real(Rational.of(r));
    }

    // Elementary functions on complex values (principal branches). Arguments off the real line occur
    // at sample points, e.g. cos(sqrt(1 - x^2) t) for x > 1; both sides of a comparison see the same.

    static Value sin(Value x) {
        Approx z = x.approx();
        return new Approx(Math.sin(z.re()) * Math.cosh(z.im()), Math.cos(z.re()) * Math.sinh(z.im()));
    }

    static Value cos(Value x) {
        Approx z = x.approx();
        return new Approx(Math.cos(z.re()) * Math.cosh(z.im()), -Math.sin(z.re()) * Math.sinh(z.im()));
    }

    static Value exp(Value x) {
        Approx z = x.approx();
        double m = Math.exp(z.re());
        return z.im() == 0 ? new Approx(m, 0) : new Approx(m * Math.cos(z.im()), m * Math.sin(z.im()));
    }

    /** Natural log; undefined at 0, the principal value (imaginary part in (-pi, pi]) elsewhere. */
    static Value log(Value x) {
        Approx z = x.approx();
        if (z.re() == 0 && z.im() == 0) return Value.UNDEFINED;
        if (z.im() == 0 && z.re() > 0) return new Approx(Math.log(z.re()), 0);
        return new Approx(Math.log(Math.hypot(z.re(), z.im())), Math.atan2(z.im(), z.re()));
    }

    /** Applies a real function; a value with a non-negligible imaginary part is undefined for it. */
    static Value realFunction(Value x, DoubleUnaryOperator f) {
        Approx a = x.approx();
        if (Math.abs(a.im()) > 1e-12 * Math.max(1, Math.abs(a.re()))) return Value.UNDEFINED;
        double r = f.applyAsDouble(a.re());
        return Double.isNaN(r) ? Value.UNDEFINED : new Approx(r, 0);
    }

    /**
     * Whether two values agree within the relative tolerance {@code rel}: |a-b| <= rel * max(|a|,|b|).
     * Purely relative, so 1e-13 and 2e-13 differ (physical constants are tiny); exact zeros agree.
     * Undefined and infinite values agree with nothing (an overflow is not evidence of equality; the
     * answer {@code \infty} is compared structurally instead).
     */
    static boolean close(Value a, Value b, double rel) {
        if (a.isUndefined() || b.isUndefined() || !a.isFinite() || !b.isFinite()) return false;
        Approx x = a.approx(), y = b.approx();
        double diff = Math.hypot(x.re() - y.re(), x.im() - y.im());
        return diff <= rel * Math.max(magnitude(x), magnitude(y));
    }

    static double magnitude(Value v) {
        Approx a = v.approx();
        return Math.hypot(a.re(), a.im());
    }
}
