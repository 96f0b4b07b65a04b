package rift.verify;

/**
 * The value of an answer expression at one point: a complex number, kept exact (Gaussian rational)
 * while every step allows it, approximate (two doubles) once something irrational (pi, a non-square
 * root, sin) or oversized enters. NaN parts mean "undefined here" (division by zero, log of zero).
 */
sealed interface Value {
    /** re + im*i with exact rational parts. */
    record Exact(Rational re, Rational im) implements Value {
        static Exact real(Rational r) {
            return new Exact(r, Rational.ZERO);
        }

        boolean isReal() {
            return im.isZero();
        }
    }

    /** re + im*i in double precision. */
    record Approx(double re, double im) implements Value {}

    Approx UNDEFINED = new Approx(Double.NaN, Double.NaN);

    default Approx approx() {
        return switch (this) {
            case Approx a -> a;
            case Exact e -> new Approx(e.re().toDouble(), e.im().toDouble());
        };
    }

    default boolean isUndefined() {
        Approx a = approx();
        return Double.isNaN(a.re()) || Double.isNaN(a.im());
    }

    default boolean isFinite() {
        Approx a = approx();
        return Double.isFinite(a.re()) && Double.isFinite(a.im());
    }
}
