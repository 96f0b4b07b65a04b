package rift.verify;

import java.util.Map;
import java.util.Set;

/** A parsed scalar math expression; evaluated at a point (values for its free variables). */
sealed interface Expr {
    /** The value with the free variables bound by {@code env}; unbound variables are undefined. */
    Value eval(Map<String, Value> env, Budget budget);

    /** Adds this expression's free variable names to {@code out}. */
    void collectVariables(Set<String> out);

    /** Whether a decimal literal such as 0.333 occurs: such answers are compared with a tolerance. */
    boolean hasDecimal();

    /** A number or named constant; {@code decimal} marks a literal written with a decimal point. */
    record Const(Value value, boolean decimal) implements Expr {
        public Value eval(Map<String, Value> env, Budget budget) {
            budget.tick();
            return value;
        }

        public void collectVariables(Set<String> out) {}

        public boolean hasDecimal() {
            return decimal;
        }
    }

    record Var(String name) implements Expr {
        public Value eval(Map<String, Value> env, Budget budget) {
            budget.tick();
            Value v = env.get(name);
            return v == null ? Value.UNDEFINED : v;
        }

        public void collectVariables(Set<String> out) {
            out.add(name);
        }

        public boolean hasDecimal() {
            return false;
        }
    }

    enum Op { ADD, SUB, MUL, DIV, POW }

    record Binary(Op op, Expr left, Expr right) implements Expr {
        public Value eval(Map<String, Value> env, Budget budget) {
            budget.tick();
            Value a = left.eval(env, budget), b = right.eval(env, budget);
            return switch (op) {
                case ADD -> Arith.add(a, b);
                case SUB -> Arith.subtract(a, b);
                case MUL -> Arith.multiply(a, b);
                case DIV -> Arith.divide(a, b);
                case POW -> Arith.pow(a, b, budget);
            };
        }

        public void collectVariables(Set<String> out) {
            left.collectVariables(out);
            right.collectVariables(out);
        }

        public boolean hasDecimal() {
            return left.hasDecimal() || right.hasDecimal();
        }
    }

    record Negate(Expr arg) implements Expr {
        public Value eval(Map<String, Value> env, Budget budget) {
            budget.tick();
            return Arith.negate(arg.eval(env, budget));
        }

        public void collectVariables(Set<String> out) {
            arg.collectVariables(out);
        }

        public boolean hasDecimal() {
            return arg.hasDecimal();
        }
    }

    /** The functions of one argument the parser knows (\sin, \ln, |x|, \lfloor x \rfloor, n!, ...). */
    enum Fn {
        SIN, COS, TAN, COT, SEC, CSC, ARCSIN, ARCCOS, ARCTAN, SINH, COSH, TANH, LN, EXP, ABS, FLOOR, CEIL, FACTORIAL;

        Value apply(Value x, Budget budget) {
            return switch (this) {
                case SIN -> Arith.sin(x);
                case COS -> Arith.cos(x);
                case TAN -> Arith.divide(Arith.sin(x), Arith.cos(x));
                case COT -> Arith.divide(Arith.cos(x), Arith.sin(x));
                case SEC -> Arith.divide(Arith.exact(1), Arith.cos(x));
                case CSC -> Arith.divide(Arith.exact(1), Arith.sin(x));
                case ARCSIN -> Arith.realFunction(x, Math::asin);
                case ARCCOS -> Arith.realFunction(x, Math::acos);
                case ARCTAN -> Arith.realFunction(x, Math::atan);
                case SINH -> Arith.multiply(Arith.subtract(Arith.exp(x), Arith.exp(Arith.negate(x))), HALF);
                case COSH -> Arith.multiply(Arith.add(Arith.exp(x), Arith.exp(Arith.negate(x))), HALF);
                case TANH -> Arith.divide(Arith.subtract(Arith.exp(x), Arith.exp(Arith.negate(x))),
                        Arith.add(Arith.exp(x), Arith.exp(Arith.negate(x))));
                case LN -> Arith.log(x);
                case EXP -> Arith.exp(x);
                case ABS -> Arith.abs(x);
                case FLOOR -> Arith.floor(x);
                case CEIL -> Arith.ceil(x);
                case FACTORIAL -> Arith.factorial(x, budget);
            };
        }

        private static final Value HALF = Value.Exact.real(Rational.parseDecimal("0.5"));
    }

    record Call(Fn fn, Expr arg) implements Expr {
        public Value eval(Map<String, Value> env, Budget budget) {
            budget.tick();
            return fn.apply(arg.eval(env, budget), budget);
        }

        public void collectVariables(Set<String> out) {
            arg.collectVariables(out);
        }

        public boolean hasDecimal() {
            return arg.hasDecimal();
        }
    }

    /** log base b of x (the parser gives \log without a base the base 10, the contest convention). */
    record Log(Expr base, Expr arg) implements Expr {
        public Value eval(Map<String, Value> env, Budget budget) {
            budget.tick();
            Value b = base.eval(env, budget), x = arg.eval(env, budget);
            return Arith.divide(Arith.log(x), Arith.log(b));
        }

        public void collectVariables(Set<String> out) {
            base.collectVariables(out);
            arg.collectVariables(out);
        }

        public boolean hasDecimal() {
            return base.hasDecimal() || arg.hasDecimal();
        }
    }

    /** \sqrt[index]{arg}; index 2 for a plain square root. */
    record Root(Expr index, Expr arg) implements Expr {
        public Value eval(Map<String, Value> env, Budget budget) {
            budget.tick();
            return Arith.root(arg.eval(env, budget), index.eval(env, budget), budget);
        }

        public void collectVariables(Set<String> out) {
            index.collectVariables(out);
            arg.collectVariables(out);
        }

        public boolean hasDecimal() {
            return index.hasDecimal() || arg.hasDecimal();
        }
    }

    record Binomial(Expr n, Expr k) implements Expr {
        public Value eval(Map<String, Value> env, Budget budget) {
            budget.tick();
            return Arith.binomial(n.eval(env, budget), k.eval(env, budget), budget);
        }

        public void collectVariables(Set<String> out) {
            n.collectVariables(out);
            k.collectVariables(out);
        }

        public boolean hasDecimal() {
            return n.hasDecimal() || k.hasDecimal();
        }
    }
}
