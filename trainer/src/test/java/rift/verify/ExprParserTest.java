package rift.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Parsing LaTeX-ish math: precedence, implicit products, commands, conventions, and refusals. */
class ExprParserTest {
    private static double eval(String text, Map<String, Double> point) throws ExprParser.NotParseable {
        Map<String, Value> env = new java.util.HashMap<>();
        point.forEach((k, v) -> env.put(k, new Value.Approx(v, 0)));
        Value v = ExprParser.parse(text, Budget.unlimited()).eval(env, Budget.unlimited());
        if (!v.isUndefined()) assertEquals(0.0, v.approx().im(), 1e-12, text + " should be real");
        return v.approx().re();
    }

    @Test
    void evaluatesAgainstHandWrittenFormulas() throws ExprParser.NotParseable {
        double x = 1.7, y = 0.3;
        Map<String, Double> p = Map.of("x", x, "y", y, "x_1", 0.2, "x_2", 0.9, "\\theta", 0.4);
        Object[][] cases = {
            {"2\\cdot3+4", 10.0},
            {"2(3+4)", 14.0},
            {"-2^2", -4.0},
            {"2^{-1}", 0.5},
            {"2^{3^2}", 512.0},
            {"\\frac{1}{2}x", x / 2},
            {"\\frac12x", x / 2},
            {"\\frac{x+1}{y}", (x + 1) / y},
            {"xy", x * y},
            {"3xy^2", 3 * x * y * y},
            {"x/2y", x / 2 * y},
            {"\\sin 2x", Math.sin(2 * x)},
            {"\\sin^2 x + 1", Math.pow(Math.sin(x), 2) + 1},
            {"2\\sin x\\cos x", 2 * Math.sin(x) * Math.cos(x)},
            {"\\sin^{-1}(0.5)", Math.PI / 6},
            {"\\tan(x)^2", Math.pow(Math.tan(x), 2)},
            {"\\log_{2}(8)", 3.0},
            {"\\log_2 8", 3.0},
            {"\\log 1000", 3.0},
            {"\\ln e^2", 2.0},
            {"e^{x}", Math.exp(x)},
            {"\\sqrt{x}", Math.sqrt(x)},
            {"\\sqrt[3]{27}", 3.0},
            {"3\\sqrt{2}", 3 * Math.sqrt(2)},
            {"\\sqrt2\\pi", Math.sqrt(2) * Math.PI},
            {"|x-3|", Math.abs(x - 3)},
            {"2|y-x|", 2 * Math.abs(y - x)},
            {"\\lfloor x \\rfloor + \\lceil y \\rceil", Math.floor(x) + Math.ceil(y)},
            {"3!", 6.0},
            {"\\binom{6}{3}", 20.0},
            {"2\\frac{1}{2}", 2.5},
            {"2\\frac{x}{2}", x},
            {"1.5e-3", 0.0015},
            {"x_1 + x_2", 0.2 + 0.9},
            {"(x+1)(x-1)", (x + 1) * (x - 1)},
            {"[x+1]", x + 1},
            {"2^10", 1024.0},
            {"2\\theta", 0.8},
            {"z", Double.NaN},
        };
        List<String> failures = new ArrayList<>();
        for (Object[] c : cases) {
            double got = eval((String) c[0], p);
            double want = (Double) c[1];
            boolean ok = Double.isNaN(want) ? Double.isNaN(got) : Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want));
            if (!ok) failures.add(c[0] + " = " + got + ", want " + want);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void imaginaryUnitAndNamedVariables() throws ExprParser.NotParseable {
        Value v = ExprParser.parse("(1+2i)(3-i)", Budget.unlimited()).eval(Map.of(), Budget.unlimited());
        assertEquals(new Value.Exact(Rational.of(5), Rational.of(5)), v);
        Set<String> vars = new TreeSet<>();
        ExprParser.parse("x_1+x_{n+1}+\\theta_2+\\alpha", Budget.unlimited()).collectVariables(vars);
        assertEquals(Set.of("x_1", "x_n+1", "\\theta_2", "\\alpha"), vars);
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        for (String bad : new String[] {"52_8", "(1+2", "1+", "\\foo{3}", "3:1", "x\\text{ apples}", "", "\\frac{1}"}) {
            assertThrows(ExprParser.NotParseable.class, () -> ExprParser.parse(bad, Budget.unlimited()), bad);
        }
    }

    @Test
    void refusesNestingBeyondTheDepthLimit() throws ExprParser.NotParseable {
        int ok = ExprParser.MAX_DEPTH / 2 - 2;
        ExprParser.parse("(".repeat(ok) + "1" + ")".repeat(ok), Budget.unlimited());
        String deep = "(".repeat(ExprParser.MAX_DEPTH + 1) + "1" + ")".repeat(ExprParser.MAX_DEPTH + 1);
        assertThrows(ExprParser.NotParseable.class, () -> ExprParser.parse(deep, Budget.unlimited()));
        String deepNeg = "-".repeat(ExprParser.MAX_DEPTH + 1) + "1";
        assertThrows(ExprParser.NotParseable.class, () -> ExprParser.parse(deepNeg, Budget.unlimited()));
        String deepSqrt = "\\sqrt".repeat(ExprParser.MAX_DEPTH + 1) + "2";
        assertThrows(ExprParser.NotParseable.class, () -> ExprParser.parse(deepSqrt, Budget.unlimited()));
    }
}
