package rift.verify;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import rift.verify.Answer.Bracketed;
import rift.verify.Answer.Equation;
import rift.verify.Answer.Matrix;
import rift.verify.Answer.Scalar;
import rift.verify.Answer.Text;
import rift.verify.Answer.Unordered;

/**
 * Decides whether a predicted {@link Answer} equals a reference one.
 *
 * <p>Numbers: exact rational (and Gaussian-rational) comparison when both sides are exact; a relative
 * tolerance of {@value #NUMERIC_TOLERANCE} when either side is irrational (pi, a non-square root) or
 * is written with a decimal point. 1e-6 accepts a decimal given to 7 significant digits for an
 * irrational answer but rejects the usual 2-4 digit roundings (1.41 for sqrt 2, 0.33 for 1/3), which
 * MATH graders count wrong because the reference is exact.
 *
 * <p>Expressions with free variables: both sides are evaluated at the same deterministic
 * pseudo-random positive rational points (exact arithmetic where the expression is rational) and
 * must agree at every point where both are defined, with at least {@value #MIN_POINTS} such points.
 */
final class Equivalence {
    private Equivalence() {}

    /** How a match was established, weakest evidence last; NONE is no match. */
    enum Match {
        NONE, EXACT, NUMERIC, SYMBOLIC;

        /** Both parts must match; the evidence of the whole is the weaker of the two. */
        Match and(Match other) {
            if (this == NONE || other == NONE) return NONE;
            return this.ordinal() >= other.ordinal() ? this : other;
        }

        String reason() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final double NUMERIC_TOLERANCE = 1e-6;
    /** Agreement needed at sample points when no decimal literal is involved (double rounding only). */
    static final double SYMBOLIC_TOLERANCE = 1e-8;
    static final int MIN_POINTS = 4;
    static final int MAX_TRIALS = 24;
    private static final long[] DENOMINATORS = {29, 31, 37, 41};

    static Match compare(Answer pred, Answer ref, Budget budget) {
        budget.tick();
        // a one-element set or list is its element: {3} and 3 say the same
        if (pred instanceof Unordered(List<Answer> items) && items.size() == 1 && !(ref instanceof Unordered)) {
            return compare(items.get(0), ref, budget);
        }
        if (ref instanceof Unordered(List<Answer> items) && items.size() == 1 && !(pred instanceof Unordered)) {
            return compare(pred, items.get(0), budget);
        }
        return switch (pred) {
            case Text(String t) -> ref instanceof Text(String u) && t.equalsIgnoreCase(u) ? Match.EXACT : Match.NONE;
            case Scalar p -> switch (ref) {
                case Scalar r -> scalars(p, r, budget);
                case Equation r -> equationValue(r, p.expr(), budget);
                default -> Match.NONE;
            };
            case Equation p -> switch (ref) {
                case Equation r -> equations(p, r, budget);
                case Scalar r -> equationValue(p, r.expr(), budget);
                default -> Match.NONE;
            };
            case Bracketed p -> ref instanceof Bracketed r && p.open() == r.open() && p.close() == r.close()
                    ? inOrder(p.items(), r.items(), budget) : Match.NONE;
            case Matrix p -> ref instanceof Matrix r ? matrices(p, r, budget) : Match.NONE;
            case Unordered p -> ref instanceof Unordered r ? anyOrder(p.items(), r.items(), budget) : Match.NONE;
        };
    }

    /**
     * An equation against a bare value: {@code a+b=5} answers "5" when its right side is a constant.
     * (A right side with variables is not a value: {@code 1+y=2x+3} does not answer {@code 2x+3}.)
     */
    private static Match equationValue(Equation eq, Expr value, Budget budget) {
        Set<String> vars = new TreeSet<>();
        eq.right().collectVariables(vars);
        return vars.isEmpty() ? scalars(eq.right(), value, budget) : Match.NONE;
    }

    private static Match inOrder(List<Answer> a, List<Answer> b, Budget budget) {
        if (a.size() != b.size()) return Match.NONE;
        Match m = Match.EXACT;
        for (int i = 0; i < a.size() && m != Match.NONE; i++) m = m.and(compare(a.get(i), b.get(i), budget));
        return m;
    }

    private static Match matrices(Matrix a, Matrix b, Budget budget) {
        if (a.rows().size() != b.rows().size()) return Match.NONE;
        Match m = Match.EXACT;
        for (int i = 0; i < a.rows().size() && m != Match.NONE; i++) m = m.and(inOrder(a.rows().get(i), b.rows().get(i), budget));
        return m;
    }

    /** A perfect matching between the two lists under equivalence (augmenting paths, lists are small). */
    private static Match anyOrder(List<Answer> a, List<Answer> b, Budget budget) {
        int n = a.size();
        if (n != b.size()) return Match.NONE;
        Match[][] eq = new Match[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) eq[i][j] = compare(a.get(i), b.get(j), budget);
        int[] matchOfB = new int[n];
        Arrays.fill(matchOfB, -1);
        for (int i = 0; i < n; i++) {
            if (!augment(i, eq, matchOfB, new boolean[n], budget)) return Match.NONE;
        }
        Match m = Match.EXACT;
        for (int j = 0; j < n; j++) m = m.and(eq[matchOfB[j]][j]);
        return m;
    }

    private static boolean augment(int i, Match[][] eq, int[] matchOfB, boolean[] seen, Budget budget) {
        for (int j = 0; j < matchOfB.length; j++) {
            budget.tick();
            if (eq[i][j] == Match.NONE || seen[j]) continue;
            seen[j] = true;
            if (matchOfB[j] < 0 || augment(matchOfB[j], eq, matchOfB, seen, budget)) {
                matchOfB[j] = i;
                return true;
            }
        }
        return false;
    }

    private static Match scalars(Scalar p, Scalar r, Budget budget) {
        if (p.text() != null && p.text().equals(r.text())) return Match.EXACT;
        return scalars(p.expr(), r.expr(), budget);
    }

    static Match scalars(Expr a, Expr b, Budget budget) {
        int infA = infinitySign(a), infB = infinitySign(b);
        if (infA != 0 || infB != 0) return infA == infB ? Match.EXACT : Match.NONE;
        Set<String> vars = new TreeSet<>();
        a.collectVariables(vars);
        b.collectVariables(vars);
        boolean decimal = a.hasDecimal() || b.hasDecimal();
        if (vars.isEmpty()) {
            Value va = a.eval(Map.of(), budget), vb = b.eval(Map.of(), budget);
            return same(va, vb, decimal, NUMERIC_TOLERANCE) ? Match.NUMERIC : Match.NONE;
        }
        int agreed = 0;
        for (int trial = 0; trial < MAX_TRIALS && agreed < MIN_POINTS + 2; trial++) {
            Map<String, Value> point = samplePoint(vars, trial);
            Value va = a.eval(point, budget), vb = b.eval(point, budget);
            if (!usable(va) || !usable(vb) || uninformative(va, vb)) continue;
            if (!same(va, vb, decimal, decimal ? NUMERIC_TOLERANCE : SYMBOLIC_TOLERANCE)) return Match.NONE;
            agreed++;
        }
        return agreed >= MIN_POINTS ? Match.SYMBOLIC : Match.NONE;
    }

    /**
     * Equations match when their sides match (either way round), or when lhs-rhs of one is a constant
     * nonzero multiple of lhs-rhs of the other at every sample point ({@code 2y=4x+6} and
     * {@code y-2x=3} describe the same line).
     */
    private static Match equations(Equation p, Equation r, Budget budget) {
        Match direct = scalars(p.left(), r.left(), budget).and(scalars(p.right(), r.right(), budget));
        if (direct != Match.NONE) return direct;
        Match swapped = scalars(p.left(), r.right(), budget).and(scalars(p.right(), r.left(), budget));
        if (swapped != Match.NONE) return swapped;
        Expr dp = new Expr.Binary(Expr.Op.SUB, p.left(), p.right());
        Expr dr = new Expr.Binary(Expr.Op.SUB, r.left(), r.right());
        Set<String> vars = new TreeSet<>();
        dp.collectVariables(vars);
        dr.collectVariables(vars);
        if (vars.isEmpty()) return Match.NONE;
        boolean decimal = dp.hasDecimal() || dr.hasDecimal();
        Value ratio = null;
        int agreed = 0;
        for (int trial = 0; trial < MAX_TRIALS && agreed < MIN_POINTS + 2; trial++) {
            Map<String, Value> point = samplePoint(vars, trial);
            Value vp = dp.eval(point, budget), vr = dr.eval(point, budget);
            if (!usable(vp) || !usable(vr)) continue;
            if (uninformative(vp, vr)) continue;
            if (ratio == null) {
                if (Arith.magnitude(vp) < TINY) continue;
                ratio = Arith.divide(vr, vp);
                if (!usable(ratio) || Arith.magnitude(ratio) < TINY) return Match.NONE;
            } else if (!same(Arith.multiply(ratio, vp), vr, decimal, decimal ? NUMERIC_TOLERANCE : SYMBOLIC_TOLERANCE)) {
                return Match.NONE;
            }
            agreed++;
        }
        return agreed >= MIN_POINTS ? Match.SYMBOLIC : Match.NONE;
    }

    /** Exact values must be equal; a decimal literal or an approximate value allows the tolerance. */
    private static boolean same(Value a, Value b, boolean decimal, double tolerance) {
        if (a instanceof Value.Exact && b instanceof Value.Exact) {
            return a.equals(b) || (decimal && Arith.close(a, b, tolerance));
        }
        return Arith.close(a, b, tolerance);
    }

    /** Magnitude under which a floating-point value at a sample point may be rounding noise or underflow. */
    private static final double TINY = 1e-10;

    /**
     * Two approximate values that are both tiny say nothing: x^1000 and x^1001 both underflow to 0 at
     * x = 1/2, and cancellation leaves noise around zero. Such points are skipped, not counted.
     */
    private static boolean uninformative(Value a, Value b) {
        if (a instanceof Value.Exact && b instanceof Value.Exact) return false;
        return Arith.magnitude(a) < TINY && Arith.magnitude(b) < TINY;
    }

    private static boolean usable(Value v) {
        return !v.isUndefined() && v.isFinite();
    }

    /** +1 for \infty, -1 for -\infty (any number of signs), 0 for anything else. */
    private static int infinitySign(Expr e) {
        int sign = 1;
        while (e instanceof Expr.Negate(Expr inner)) {
            sign = -sign;
            e = inner;
        }
        return e instanceof Expr.Const(Value v, boolean d) && v.equals(Arith.INFINITY) ? sign : 0;
    }

    /**
     * Deterministic sample point for each variable (sorted by name), cycling through three kinds: a
     * rational k/p in (0, ~10) (k <= 300, p one of a few primes), an integer 2..13 (so that n!,
     * \binom{n}{k} and (-1)^n have points where they are defined), and a rational in (0, 1) (so
     * that sqrt(1 - x^2) and arcsin x do). Points are positive to keep real roots and logs defined;
     * every usable point must agree, so the extra kinds only add evidence.
     */
    private static Map<String, Value> samplePoint(Set<String> sortedVars, int trial) {
        SplittableRandom rng = new SplittableRandom(0x5EED_0F_F1E1DL + 7919L * trial);
        int kind = trial % 3;
        Map<String, Value> point = new HashMap<>();
        for (String v : sortedVars) {
            long den = kind == 1 ? 1 : DENOMINATORS[rng.nextInt(DENOMINATORS.length)];
            long num = switch (kind) {
                case 0 -> 1 + rng.nextInt(300);
                case 1 -> 2 + rng.nextInt(12);
                default -> 1 + rng.nextInt((int) den - 1);
            };
            Rational r = Rational.of(java.math.BigInteger.valueOf(num), java.math.BigInteger.valueOf(den));
            point.put(v, Value.Exact.real(r));
        }
        return point;
    }
}
