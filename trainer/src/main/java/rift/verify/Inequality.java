package rift.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a simple inequality as the interval it describes, so {@code x>3} equals {@code (3,\infty)}
 * and {@code -2\le x<7} equals {@code [-2,7)}. Forms: {@code v op b}, {@code b op v} and
 * {@code a op v op b} with one variable {@code v} and both operators pointing the same way.
 */
final class Inequality {
    private Inequality() {}

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z](?:_\\{?[A-Za-z0-9]+\\}?)?|\\\\[A-Za-z]+");

    private record Rel(boolean less, boolean inclusive) {}

    /** The interval, null when {@code s} has no relation, or a Text answer when it has one of another shape. */
    static Answer toInterval(String s, Budget budget) {
        List<String> parts = new ArrayList<>();
        List<Rel> rels = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            budget.tick();
            char c = s.charAt(i);
            Rel rel = null;
            int len = 1;
            if (depth == 0 && (c == '<' || c == '>')) {
                rel = new Rel(c == '<', false);
            } else if (depth == 0 && (s.startsWith("\\le", i) || s.startsWith("\\ge", i))
                    && !(i + 3 < s.length() && ExprParser.isAsciiLetter(s.charAt(i + 3)))) {
                rel = new Rel(s.startsWith("\\le", i), true);
                len = 3;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            if (rel != null) {
                parts.add(s.substring(start, i));
                rels.add(rel);
                i += len - 1;
                start = i + 1;
            }
        }
        if (rels.isEmpty()) return null;
        parts.add(s.substring(start));
        try {
            if (rels.size() == 1) {
                boolean leftVar = isVariable(parts.get(0)), rightVar = isVariable(parts.get(1));
                if (leftVar == rightVar) return new Answer.Text(s);
                Rel r = rels.get(0);
                // "b < v" says the same as "v > b"
                boolean upperBound = leftVar == r.less();
                Expr bound = ExprParser.parse(leftVar ? parts.get(1) : parts.get(0), budget);
                return upperBound ? interval(infinity(-1), false, bound, r.inclusive())
                        : interval(bound, r.inclusive(), infinity(1), false);
            }
            if (rels.size() == 2 && isVariable(parts.get(1)) && rels.get(0).less() == rels.get(1).less()) {
                Expr a = ExprParser.parse(parts.get(0), budget), b = ExprParser.parse(parts.get(2), budget);
                return rels.get(0).less() ? interval(a, rels.get(0).inclusive(), b, rels.get(1).inclusive())
                        : interval(b, rels.get(1).inclusive(), a, rels.get(0).inclusive());
            }
        } catch (ExprParser.NotParseable e) {
            return new Answer.Text(s);
        }
        return new Answer.Text(s);
    }

    private static boolean isVariable(String s) {
        return VARIABLE.matcher(s.strip()).matches() && !s.strip().equals("\\infty");
    }

    private static Expr infinity(int sign) {
        Expr inf = new Expr.Const(Arith.INFINITY, false);
        return sign > 0 ? inf : new Expr.Negate(inf);
    }

    private static Answer interval(Expr lo, boolean loClosed, Expr hi, boolean hiClosed) {
        return new Answer.Bracketed(loClosed ? '[' : '(', hiClosed ? ']' : ')',
                List.of(new Answer.Scalar(lo, null), new Answer.Scalar(hi, null)));
    }
}
