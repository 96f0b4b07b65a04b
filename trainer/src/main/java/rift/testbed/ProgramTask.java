package rift.testbed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.util.Rng;

/**
 * Trace a tiny program over variables x, y, z: 2-4 assignments in a straight line, or an assignment
 * followed by an if/else. Every value stays in [1, {@link #CAP}] (no zeros, which
 * would otherwise be a frequent, guessable answer from {@code x - x}). The answer is the printed number.
 * Syntax: {@code x = 3; y = x * 2; print y} and {@code x = 7; if x > 4 then y = x - 4 else y = x + 2; print y}.
 */
final class ProgramTask implements Task {
    static final int CAP = 99;
    private static final List<String> VARIANTS = List.of("assign2", "assign3", "assign4", "branch");
    private static final List<String> VARS = List.of("x", "y", "z");
    private static final List<Character> OPS = List.of('+', '-', '*');

    @Override
    public List<String> variants() {
        return VARIANTS;
    }

    @Override
    public Item generate(Rng rng, String id, int variant) {
        Map<String, Integer> env = new LinkedHashMap<>();
        List<String> statements = new ArrayList<>();
        String printed;
        String first = Words.pick(rng, VARS);
        int c0 = Words.between(rng, 1, 9);
        env.put(first, c0);
        statements.add(first + " = " + c0);
        if (variant < 3) {
            String last = first;
            for (int s = 1; s < variant + 2; s++) {
                last = assignment(rng, env, statements);
            }
            printed = rng.nextInt(4) == 0 ? Words.pick(rng, new ArrayList<>(env.keySet())) : last;
        } else {
            // if <var> <cmp> <const> then <t> = <expr> else <t> = <expr>
            int threshold = Words.between(rng, 1, 9);
            boolean greater = rng.nextInt(2) == 0;
            boolean taken = greater ? env.get(first) > threshold : env.get(first) < threshold;
            String target = Words.pick(rng, VARS);
            String[] thenExpr = expression(rng, env);
            String[] elseExpr = expression(rng, env);
            // Different values, so the answer depends on which branch runs.
            while (thenExpr[1].equals(elseExpr[1])) elseExpr = expression(rng, env);
            int value = Integer.parseInt(taken ? thenExpr[1] : elseExpr[1]);
            statements.add("if " + first + (greater ? " > " : " < ") + threshold + " then " + target + " = " + thenExpr[0]
                    + " else " + target + " = " + elseExpr[0]);
            env.put(target, value);
            printed = target;
        }
        statements.add("print " + printed);
        String prompt = "What does this program print?\n" + String.join("; ", statements) + "\n" + Answers.BOXED_INSTRUCTION + "\n";
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("variant", VARIANTS.get(variant));
        return new Item(id, Family.PROGRAM, prompt, Integer.toString(env.get(printed)), null, fields);
    }

    /** Appends {@code v = expr} and returns v. */
    private static String assignment(Rng rng, Map<String, Integer> env, List<String> statements) {
        String target = Words.pick(rng, VARS);
        String[] e = expression(rng, env);
        statements.add(target + " = " + e[0]);
        env.put(target, Integer.parseInt(e[1]));
        return target;
    }

    /** {text, value} of {@code a op b} over defined variables and constants, value in [1, CAP]. */
    private static String[] expression(Rng rng, Map<String, Integer> env) {
        List<String> defined = new ArrayList<>(env.keySet());
        while (true) {
            String a = Words.pick(rng, defined);
            char op = Words.pick(rng, OPS);
            boolean constant = rng.nextInt(3) != 0;
            String b = constant ? Integer.toString(Words.between(rng, op == '*' ? 2 : 1, op == '*' ? 4 : 9)) : Words.pick(rng, defined);
            int va = env.get(a);
            int vb = constant ? Integer.parseInt(b) : env.get(b);
            int v = switch (op) {
                case '+' -> va + vb;
                case '-' -> va - vb;
                default -> va * vb;
            };
            if (v >= 1 && v <= CAP) return new String[] {a + " " + op + " " + b, Integer.toString(v)};
        }
    }

    @Override
    public boolean check(Item item, String response) {
        return Answers.integerAnswer(response, Long.parseLong(item.answer()));
    }

    @Override
    public String directAnswer(Item item) {
        return Answers.boxed(item.answer());
    }
}
