package rift.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import rift.verify.Value.Approx;
import rift.verify.Value.Exact;

/** {@link Rational} and {@link Arith} against plain references (BigDecimal, doubles, loops). */
class ExactArithmeticTest {
    private static Rational r(long n, long d) {
        return Rational.of(BigInteger.valueOf(n), BigInteger.valueOf(d));
    }

    private static BigDecimal dec(Rational q) {
        return new BigDecimal(q.num()).divide(new BigDecimal(q.den()), MathContext.DECIMAL128);
    }

    @Test
    void rationalFieldOperationsMatchBigDecimal() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int t = 0; t < 2000; t++) {
            Rational a = r(rng.nextLong(-1000, 1000), rng.nextLong(1, 1000));
            Rational b = r(rng.nextLong(-1000, 1000), rng.nextLong(1, 1000));
            MathContext mc = MathContext.DECIMAL64;
            assertEquals(0, dec(a.add(b)).round(mc).compareTo(dec(a).add(dec(b)).round(mc)), a + " + " + b);
            assertEquals(0, dec(a.multiply(b)).round(mc).compareTo(dec(a).multiply(dec(b)).round(mc)), a + " * " + b);
            assertEquals(1, a.num().gcd(a.den()).intValue(), "lowest terms " + a);
            assertTrue(a.den().signum() > 0);
            if (!b.isZero()) assertEquals(a, a.divide(b).multiply(b), a + " / " + b + " * " + b);
            else assertNull(a.divide(b));
        }
    }

    @Test
    void powersAndRootsAreExactAndCapped() {
        assertEquals(r(1, 8), r(2, 1).pow(-3));
        assertEquals(r(-27, 8), r(-3, 2).pow(3));
        assertEquals(Rational.ONE, r(5, 7).pow(0));
        assertEquals(r(-1, 1), r(-1, 1).pow(1_000_000_001L));
        assertNull(r(2, 1).pow(5000), "2^5000 exceeds the exact size cap");
        assertNull(r(0, 1).pow(-1), "0^-1 is undefined");
        assertEquals(r(2, 3), r(8, 27).exactRoot(3));
        assertEquals(r(-2, 1), r(-8, 1).exactRoot(3));
        assertNull(r(-8, 1).exactRoot(2));
        assertNull(r(2, 1).exactRoot(2));
        assertNull(r(4, 1).exactRoot(1 << 30), "a huge index must not build huge numbers");
        BigInteger big = BigInteger.valueOf(123456789).pow(40);
        assertEquals(Rational.of(BigInteger.valueOf(123456789).pow(8)), Rational.of(big).exactRoot(5));
        assertNull(Rational.of(big.add(BigInteger.ONE)).exactRoot(5));
    }

    @Test
    void decimalsParseExactly() {
        assertEquals(r(1, 2), Rational.parseDecimal(".5"));
        assertEquals(r(3, 2000), Rational.parseDecimal("1.5e-3"));
        assertEquals(r(1500, 1), Rational.parseDecimal("1.5E3"));
        assertEquals(r(-1, 8), Rational.parseDecimal("-0.125"));
        assertNull(Rational.parseDecimal("1e999999999"), "too large to keep exact");
        assertNull(Rational.parseDecimal("1,5"));
    }

    @Test
    void gaussianArithmeticMatchesComplexDoubles() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int t = 0; t < 500; t++) {
            Exact a = new Exact(r(rng.nextLong(-50, 50), rng.nextLong(1, 20)), r(rng.nextLong(-50, 50), rng.nextLong(1, 20)));
            Exact b = new Exact(r(rng.nextLong(-50, 50), rng.nextLong(1, 20)), r(rng.nextLong(-50, 50), rng.nextLong(1, 20)));
            Approx x = a.approx(), y = b.approx();
            assertClose(x.re() * y.re() - x.im() * y.im(), x.re() * y.im() + x.im() * y.re(), Arith.multiply(a, b));
            double d = y.re() * y.re() + y.im() * y.im();
            if (d != 0) {
                assertClose((x.re() * y.re() + x.im() * y.im()) / d, (x.im() * y.re() - x.re() * y.im()) / d, Arith.divide(a, b));
            }
            assertInstanceOf(Exact.class, Arith.multiply(a, b));
            int n = rng.nextInt(-4, 6);
            if (n >= 0 || d != 0) {
                Value p = Arith.pow(a, Arith.exact(n), Budget.unlimited());
                Value ref = Arith.exact(1);
                for (int k = 0; k < Math.abs(n); k++) ref = Arith.multiply(ref, a);
                if (n < 0) ref = Arith.divide(Arith.exact(1), ref);
                if (!(n < 0 && a.re().isZero() && a.im().isZero())) assertEquals(ref, p, a + "^" + n);
            }
        }
    }

    private static void assertClose(double re, double im, Value got) {
        Approx g = got.approx();
        assertEquals(re, g.re(), 1e-9 * Math.max(1, Math.abs(re)));
        assertEquals(im, g.im(), 1e-9 * Math.max(1, Math.abs(im)));
    }

    @Test
    void powFallsBackToDoublesOnlyWhenItMust() {
        Budget b = Budget.unlimited();
        assertEquals(Arith.exact(2), Arith.pow(Arith.exact(4), Exact.real(r(1, 2)), b));
        assertEquals(Exact.real(r(1, 4)), Arith.pow(Arith.exact(8), Exact.real(r(-2, 3)), b));
        assertEquals(Arith.exact(-1), Arith.pow(Arith.I, Arith.exact(2), b));
        assertInstanceOf(Approx.class, Arith.pow(Arith.exact(2), Exact.real(r(1, 2)), b));
        assertEquals(Math.sqrt(2), Arith.pow(Arith.exact(2), Exact.real(r(1, 2)), b).approx().re(), 1e-15);
        assertEquals(-2.0, Arith.root(Arith.exact(-8), Arith.exact(3), b).approx().re());
        assertTrue(Arith.pow(Arith.exact(0), Arith.exact(-1), b).isUndefined());
        assertTrue(Arith.divide(Arith.exact(1), Arith.exact(0)).isUndefined());
        assertTrue(Arith.divide(new Approx(1, 0), new Approx(0, 0)).isUndefined());
        assertFalse(Arith.pow(Arith.exact(10), Arith.exact(5000), b).isFinite(), "10^5000 overflows to infinity, it does not hang");
    }

    @Test
    void factorialAndBinomialMatchLoops() {
        Budget b = Budget.unlimited();
        BigInteger f = BigInteger.ONE;
        for (int n = 0; n <= 60; n++) {
            if (n > 0) f = f.multiply(BigInteger.valueOf(n));
            assertEquals(Exact.real(Rational.of(f)), Arith.factorial(Arith.exact(n), b), n + "!");
        }
        long[][] pascal = new long[40][40];
        for (int n = 0; n < 40; n++) {
            pascal[n][0] = 1;
            for (int k = 1; k <= n; k++) pascal[n][k] = pascal[n - 1][k - 1] + (k < n ? pascal[n - 1][k] : 0);
            for (int k = 0; k <= n; k++) assertEquals(Arith.exact(pascal[n][k]), Arith.binomial(Arith.exact(n), Arith.exact(k), b));
        }
        assertEquals(Arith.exact(0), Arith.binomial(Arith.exact(3), Arith.exact(5), b));
        assertFalse(Arith.factorial(Arith.exact(100000), b).isFinite());
        assertTrue(Arith.factorial(Exact.real(r(1, 2)), b).isUndefined());
    }

    @Test
    void closenessIsPurelyRelativeAndRejectsNonFinite() {
        assertTrue(Arith.close(new Approx(0, 0), Arith.exact(0), 1e-6));
        assertTrue(Arith.close(new Approx(1e9, 0), new Approx(1e9 + 100, 0), 1e-6));
        assertFalse(Arith.close(new Approx(1e9, 0), new Approx(1e9 + 10000, 0), 1e-6));
        assertTrue(Arith.close(new Approx(6.62607015e-34, 0), new Approx(6.626070151e-34, 0), 1e-6));
        assertFalse(Arith.close(new Approx(1e-13, 0), new Approx(2e-13, 0), 1e-6), "no absolute floor");
        assertFalse(Arith.close(new Approx(1e-20, 0), new Approx(0, 0), 1e-6));
        assertFalse(Arith.close(Arith.INFINITY, Arith.INFINITY, 1e-6));
        assertFalse(Arith.close(Value.UNDEFINED, Value.UNDEFINED, 1e-6));
    }
}
