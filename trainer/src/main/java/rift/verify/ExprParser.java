package rift.verify;

import java.util.Map;
import java.util.Set;
import rift.verify.Expr.Binary;
import rift.verify.Expr.Call;
import rift.verify.Expr.Const;
import rift.verify.Expr.Fn;
import rift.verify.Expr.Op;
import rift.verify.Expr.Var;

/**
 * Recursive-descent parser from LaTeX-ish math ({@code 3\sqrt{2}}, {@code \frac{x+1}{2}},
 * {@code 2^{10}}, {@code \sin^2 x}, {@code (a+5)(b+2)}, {@code 1\frac{1}{2}}) to an {@link Expr}.
 *
 * <p>Grammar (precedence low to high): sum of terms; a term is a product of factors, explicit
 * ({@code * \cdot \times / \div}) or implicit (juxtaposition); unary sign; power (right side is a
 * braced group, a number or a single symbol); postfix factorial; primary. Lexing is done on demand on
 * the characters because LaTeX arguments can be single characters ({@code \frac12}).
 *
 * <p>Conventions: {@code i} is the imaginary unit, {@code e} is Euler's number, {@code \log} without
 * a base is base 10, a digit run after {@code ^} is taken whole ({@code 2^10} is 1024, as people mean
 * it), an integer followed by a numeric {@code \frac} is a mixed number ({@code 2\frac{1}{2}} is 5/2),
 * and {@code 52_8} (a base-8 numeral) is not an expression (such answers are compared as text).
 */
final class ExprParser {
    /** Thrown when the text is not an expression this parser understands; the caller compares as text. */
    static final class NotParseable extends Exception {
        NotParseable(String why) {
            super(why, null, false, false);
        }
    }

    /** Nesting deeper than this is refused: it bounds the recursion of the parser and of evaluation. */
    static final int MAX_DEPTH = 64;

    private static final Map<String, Fn> FUNCTIONS = Map.ofEntries(
            Map.entry("sin", Fn.SIN), Map.entry("cos", Fn.COS), Map.entry("tan", Fn.TAN),
            Map.entry("cot", Fn.COT), Map.entry("sec", Fn.SEC), Map.entry("csc", Fn.CSC),
            Map.entry("arcsin", Fn.ARCSIN), Map.entry("arccos", Fn.ARCCOS), Map.entry("arctan", Fn.ARCTAN),
            Map.entry("sinh", Fn.SINH), Map.entry("cosh", Fn.COSH), Map.entry("tanh", Fn.TANH),
            Map.entry("ln", Fn.LN), Map.entry("exp", Fn.EXP));

    private static final Map<Fn, Fn> INVERSES = Map.of(Fn.SIN, Fn.ARCSIN, Fn.COS, Fn.ARCCOS, Fn.TAN, Fn.ARCTAN);

    private static final Set<String> GREEK = Set.of(
            "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
            "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi",
            "chi", "psi", "omega", "hbar", "ell", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Upsilon", "Phi",
            "Psi", "Omega");

    /** Commands that can begin a factor (and so can follow another factor as an implicit product). */
    private static final Set<String> FACTOR_COMMANDS = Set.of(
            "frac", "dfrac", "tfrac", "cfrac", "sqrt", "binom", "dbinom", "tbinom", "pi", "infty", "lfloor",
            "lceil", "lvert", "vert", "operatorname", "log", "lg", "mathrm", "mathit", "text", "textrm");

    private final String s;
    private final Budget budget;
    private int pos;
    private int depth;
    private int absDepth;

    private ExprParser(String s, Budget budget) {
        this.s = s;
        this.budget = budget;
    }

    /** Parses the whole of {@code text} as one expression. */
    static Expr parse(String text, Budget budget) throws NotParseable {
        ExprParser p = new ExprParser(text, budget);
        Expr e = p.expression();
        p.skipSpaces();
        if (p.pos != text.length()) throw new NotParseable("unexpected '" + text.charAt(p.pos) + "' at " + p.pos);
        return e;
    }

    // ---- grammar ----

    private Expr expression() throws NotParseable {
        enter();
        Expr left = term();
        while (true) {
            skipSpaces();
            if (peek() == '+') {
                pos++;
                left = new Binary(Op.ADD, left, term());
            } else if (peek() == '-') {
                pos++;
                left = new Binary(Op.SUB, left, term());
            } else {
                break;
            }
        }
        leave();
        return left;
    }

    private Expr term() throws NotParseable {
        Expr left = unary();
        while (true) {
            skipSpaces();
            char c = peek();
            if (c == '*' || lookingAtCommand("cdot") || lookingAtCommand("times") || lookingAtCommand("ast")) {
                consumeOperator();
                left = new Binary(Op.MUL, left, unary());
            } else if (c == '/' || lookingAtCommand("div")) {
                consumeOperator();
                left = new Binary(Op.DIV, left, unary());
            } else if (startsFactor()) {
                left = new Binary(Op.MUL, left, power());
            } else {
                return left;
            }
        }
    }

    private Expr unary() throws NotParseable {
        skipSpaces();
        if (peek() == '-') {
            pos++;
            enter();
            Expr e = new Expr.Negate(unary());
            leave();
            return e;
        }
        while (peek() == '+') { // a unary plus changes nothing
            pos++;
            skipSpaces();
        }
        if (peek() == '-') return unary();
        return power();
    }

    private Expr power() throws NotParseable {
        Expr base = postfix();
        skipSpaces();
        if (peek() == '^') {
            pos++;
            Expr exponent = exponent();
            base = new Binary(Op.POW, base, exponent);
            skipSpaces();
            while (peek() == '!') {
                pos++;
                base = new Call(Fn.FACTORIAL, base);
            }
        }
        return base;
    }

    /** The right side of ^: a braced group, a whole digit run, or one signed symbol/command. */
    private Expr exponent() throws NotParseable {
        skipSpaces();
        char c = peek();
        if (c == '{') return group('{', '}');
        if (c == '(') return group('(', ')');
        if (Character.isDigit(c)) return number();
        if (c == '-') {
            pos++;
            enter();
            Expr e = new Expr.Negate(exponent());
            leave();
            return e;
        }
        return primary();
    }

    private Expr postfix() throws NotParseable {
        Expr e = primary();
        while (true) {
            skipSpaces();
            if (peek() != '!') return e;
            pos++;
            e = new Call(Fn.FACTORIAL, e);
        }
    }

    private Expr primary() throws NotParseable {
        enter();
        try {
            return primaryUnguarded();
        } finally {
            leave();
        }
    }

    private Expr primaryUnguarded() throws NotParseable {
        skipSpaces();
        char c = peek();
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(peekAt(pos + 1)))) return numberOrMixed();
        if (isAsciiLetter(c)) return letter();
        switch (c) {
            case '(':
                return group('(', ')');
            case '[':
                return group('[', ']');
            case '{':
                return group('{', '}');
            case '|':
                pos++;
                return absUntil("|");
            case '\\':
                return command();
            default:
                throw new NotParseable(c == 0 ? "unexpected end" : "unexpected '" + c + "' at " + pos);
        }
    }

    private Expr group(char open, char close) throws NotParseable {
        expect(open);
        int savedAbs = absDepth;
        absDepth = 0; // bars inside brackets start afresh: (|x|+1) must not close an outer |
        Expr e = expression();
        absDepth = savedAbs;
        skipSpaces();
        expect(close);
        return e;
    }

    private Expr absUntil(String closer) throws NotParseable {
        absDepth++;
        Expr e = expression();
        absDepth--;
        skipSpaces();
        if (!s.startsWith(closer, pos)) throw new NotParseable("missing " + closer);
        pos += closer.length();
        return new Call(Fn.ABS, e);
    }

    private Expr numberOrMixed() throws NotParseable {
        Expr n = number();
        // a whole number right before a numeric \frac is a mixed number: 2\frac{1}{2} = 5/2
        if (n instanceof Const k && !k.decimal() && s.startsWith("\\frac{", pos)) {
            int save = pos;
            pos += "\\frac".length();
            try {
                Expr num = argument(), den = argument();
                if (num instanceof Const a && den instanceof Const b && !a.decimal() && !b.decimal()) {
                    return new Binary(Op.ADD, n, new Binary(Op.DIV, num, den));
                }
            } catch (NotParseable ignored) {
                // not a numeric fraction: fall back to an implicit product
            }
            pos = save;
        }
        return n;
    }

    /** A decimal literal: digits, optional fraction, optional e-notation exponent. */
    private Expr number() throws NotParseable {
        int start = pos;
        while (Character.isDigit(peek())) pos++;
        boolean decimal = false;
        if (peek() == '.' && Character.isDigit(peekAt(pos + 1))) {
            decimal = true;
            pos++;
            while (Character.isDigit(peek())) pos++;
        }
        if ((peek() == 'e' || peek() == 'E')
                && (Character.isDigit(peekAt(pos + 1))
                        || ((peekAt(pos + 1) == '-' || peekAt(pos + 1) == '+') && Character.isDigit(peekAt(pos + 2))))) {
            decimal = true;
            pos += 2;
            while (Character.isDigit(peek())) pos++;
        }
        if (peek() == '_') throw new NotParseable("subscripted numeral (a base-b number) at " + start);
        String text = s.substring(start, pos);
        if (text.length() > 1000) throw new NotParseable("number too long");
        Rational r = Rational.parseDecimal(text);
        Value v = r != null ? Value.Exact.real(r) : new Value.Approx(Double.parseDouble(text), 0);
        return new Const(v, decimal);
    }

    private Expr letter() throws NotParseable {
        char c = s.charAt(pos++);
        String sub = subscript();
        if (sub == null && c == 'i') return new Const(Arith.I, false);
        if (sub == null && c == 'e') return new Const(Arith.E, false);
        return new Var(sub == null ? String.valueOf(c) : c + "_" + sub);
    }

    /** A subscript after a symbol ({@code _1}, {@code _{n+1}}) as raw text, or null when there is none. */
    private String subscript() throws NotParseable {
        if (peek() != '_') return null;
        pos++;
        if (peek() == '{') {
            int close = matchingBrace(pos);
            String sub = s.substring(pos + 1, close).replace(" ", "");
            pos = close + 1;
            return sub;
        }
        if (Character.isLetterOrDigit(peek())) return String.valueOf(s.charAt(pos++));
        throw new NotParseable("bad subscript at " + pos);
    }

    private Expr command() throws NotParseable {
        String name = commandName();
        switch (name) {
            case "frac", "dfrac", "tfrac", "cfrac" -> {
                Expr num = argument();
                Expr den = argument();
                return new Binary(Op.DIV, num, den);
            }
            case "sqrt" -> {
                Expr index = new Const(Arith.exact(2), false);
                skipSpaces();
                if (peek() == '[') index = group('[', ']');
                return new Expr.Root(index, argument());
            }
            case "binom", "dbinom", "tbinom" -> {
                Expr n = argument();
                return new Expr.Binomial(n, argument());
            }
            case "pi" -> {
                return new Const(Arith.PI, false);
            }
            case "infty" -> {
                return new Const(Arith.INFINITY, false);
            }
            case "lfloor" -> {
                Expr e = expression();
                expectCommand("rfloor");
                return new Call(Fn.FLOOR, e);
            }
            case "lceil" -> {
                Expr e = expression();
                expectCommand("rceil");
                return new Call(Fn.CEIL, e);
            }
            case "lvert" -> {
                return absUntil("\\rvert");
            }
            case "vert" -> {
                return absUntil("\\vert");
            }
            case "log", "lg" -> {
                return function(null);
            }
            case "operatorname" -> {
                String fn = braceText();
                Fn f = FUNCTIONS.get(fn);
                if (f == null) throw new NotParseable("unknown function " + fn);
                return function(f);
            }
            case "mathrm", "mathit", "text", "textrm" -> {
                // a lone symbol typeset upright (\mathrm{e}, \text{i}) is still that symbol
                String inner = braceText();
                if (inner.length() == 1 && isAsciiLetter(inner.charAt(0))) return letterValue(inner.charAt(0));
                throw new NotParseable("text in an expression: " + inner);
            }
            default -> {
                Fn f = FUNCTIONS.get(name);
                if (f != null) return function(f);
                if (GREEK.contains(name)) {
                    String sub = subscript();
                    return new Var("\\" + name + (sub == null ? "" : "_" + sub));
                }
                throw new NotParseable("unknown command \\" + name);
            }
        }
    }

    private Expr letterValue(char c) {
        if (c == 'i') return new Const(Arith.I, false);
        if (c == 'e') return new Const(Arith.E, false);
        return new Var(String.valueOf(c));
    }

    /**
     * A function application: optional power ({@code \sin^2 x}; {@code ^{-1}} means the inverse),
     * optional base for logs ({@code \log_2 8}), then the argument: a bracketed group, or the implicit
     * product that follows ({@code \sin 2x} is sin(2x)).
     */
    private Expr function(Fn fn) throws NotParseable {
        Expr pow = null, base = null;
        for (int k = 0; k < 2; k++) {
            skipSpaces();
            if (peek() == '^' && pow == null) {
                pos++;
                pow = exponent();
            } else if (peek() == '_' && fn == null && base == null) {
                pos++;
                base = argument();
            }
        }
        if (pow instanceof Expr.Negate(Const(Value.Exact one, boolean dec)) && one.equals(Arith.exact(1))
                && INVERSES.containsKey(fn)) {
            fn = INVERSES.get(fn);
            pow = null;
        }
        skipSpaces();
        Expr arg;
        if (peek() == '(' || peek() == '{' || peek() == '[') {
            arg = primary();
        } else {
            enter();
            arg = power();
            while (startsFactor() && !lookingAtFunction()) arg = new Binary(Op.MUL, arg, power());
            leave();
        }
        Expr applied = fn != null ? new Call(fn, arg)
                : new Expr.Log(base != null ? base : new Const(Arith.exact(10), false), arg);
        return pow == null ? applied : new Binary(Op.POW, applied, pow);
    }

    /** A LaTeX macro argument: a braced group, one digit, one letter, or one command. */
    private Expr argument() throws NotParseable {
        skipSpaces();
        char c = peek();
        if (c == '{') return group('{', '}');
        if (Character.isDigit(c)) {
            pos++;
            return new Const(Arith.exact(c - '0'), false);
        }
        if (isAsciiLetter(c)) {
            pos++;
            return letterValue(c);
        }
        if (c == '\\') return primary();
        throw new NotParseable("missing argument at " + pos);
    }

    // ---- lexing helpers ----

    private boolean startsFactor() {
        skipSpaces();
        char c = peek();
        if (Character.isDigit(c) || isAsciiLetter(c) || c == '(' || c == '{') return true;
        if (c == '[') return true;
        if (c == '|') return absDepth == 0;
        if (c != '\\') return false;
        String name = peekCommandName();
        return FACTOR_COMMANDS.contains(name) || FUNCTIONS.containsKey(name) || GREEK.contains(name);
    }

    private boolean lookingAtFunction() {
        if (peek() != '\\') return false;
        String name = peekCommandName();
        return FUNCTIONS.containsKey(name) || name.equals("log") || name.equals("lg");
    }

    private boolean lookingAtCommand(String name) {
        return peek() == '\\' && peekCommandName().equals(name);
    }

    private void consumeOperator() throws NotParseable {
        if (peek() == '\\') commandName();
        else pos++;
    }

    private String peekCommandName() {
        int p = pos + 1;
        while (p < s.length() && isAsciiLetter(s.charAt(p))) p++;
        return s.substring(pos + 1, p);
    }

    private String commandName() throws NotParseable {
        expect('\\');
        int start = pos;
        while (pos < s.length() && isAsciiLetter(s.charAt(pos))) pos++;
        if (pos == start) throw new NotParseable("bad command at " + start);
        return s.substring(start, pos);
    }

    private void expectCommand(String name) throws NotParseable {
        skipSpaces();
        if (!lookingAtCommand(name)) throw new NotParseable("missing \\" + name);
        commandName();
    }

    private String braceText() throws NotParseable {
        skipSpaces();
        if (peek() != '{') throw new NotParseable("missing { at " + pos);
        int close = matchingBrace(pos);
        String inner = s.substring(pos + 1, close).strip();
        pos = close + 1;
        return inner;
    }

    private int matchingBrace(int open) throws NotParseable {
        int d = 0;
        for (int p = open; p < s.length(); p++) {
            budget.tick();
            char c = s.charAt(p);
            if (c == '\\') {
                p++;
            } else if (c == '{') {
                d++;
            } else if (c == '}' && --d == 0) {
                return p;
            }
        }
        throw new NotParseable("unbalanced {");
    }

    private void expect(char c) throws NotParseable {
        skipSpaces();
        if (peek() != c) throw new NotParseable("expected '" + c + "' at " + pos);
        pos++;
    }

    private void skipSpaces() {
        while (pos < s.length() && s.charAt(pos) == ' ') pos++;
    }

    private char peek() {
        return peekAt(pos);
    }

    private char peekAt(int p) {
        return p < s.length() ? s.charAt(p) : 0;
    }

    private void enter() throws NotParseable {
        budget.tick();
        if (++depth > MAX_DEPTH) throw new NotParseable("nested deeper than " + MAX_DEPTH);
    }

    private void leave() {
        depth--;
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
