package rift.testbed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.util.Rng;

/**
 * Multi-step arithmetic word problems. Level L applies L operations (add, subtract, multiply, divide
 * exactly) to one person's count of one object; levels 3 and 4 add 1 and 2 distractor sentences
 * (another person's or another object's count) that the answer must ignore. Every value stays a
 * positive integer below {@link #CAP}. The teacher trace restates the start, does one line of
 * arithmetic per operation, dismisses each distractor, and ends with {@code The answer is \boxed{N}.}
 */
final class MathTask implements Task {
    static final int CAP = 150;
    private static final List<String> VARIANTS = List.of("level1", "level2", "level3", "level4");

    private enum Op { ADD, SUB, MUL, DIV }

    @Override
    public List<String> variants() {
        return VARIANTS;
    }

    @Override
    public Item generate(Rng rng, String id, int variant) {
        int level = variant + 1;
        int distractors = Math.max(0, level - 2);
        String name = Words.pick(rng, Words.NAMES);
        String obj = Words.pick(rng, Words.OBJECTS);
        List<String> story = new ArrayList<>();
        List<String> trace = new ArrayList<>();

        int v = Words.between(rng, 2, 20);
        story.add(rng.nextInt(2) == 0 ? name + " has " + v + " " + obj + "." : name + " starts with " + v + " " + obj + ".");
        trace.add(name + " starts with " + v + " " + obj + ".");

        // Distractor slots: after operation j (1..level), so the start sentence always comes first.
        boolean[] distractorAfter = new boolean[level + 1];
        for (int placed = 0; placed < distractors; ) {
            int slot = Words.between(rng, 1, level);
            if (!distractorAfter[slot]) {
                distractorAfter[slot] = true;
                placed++;
            }
        }
        // After a sentence that names someone else, "She"/"He" would be ambiguous: use the name.
        boolean previousNamedOther = false;
        for (int step = 1; step <= level; step++) {
            boolean byName = rng.nextInt(3) == 0;
            String subject = previousNamedOther || byName ? name : Words.pronoun(name);
            if (step > 1 && rng.nextInt(3) == 0) subject = "Then " + (subject.equals(name) ? name : subject.toLowerCase());
            String other = Words.pickOther(rng, Words.NAMES, List.of(name));
            Op op = chooseOp(rng, v);
            boolean namesOther = false;
            int k;
            int r;
            switch (op) {
                case ADD -> {
                    k = Words.between(rng, 2, Math.min(15, CAP - 1 - v));
                    r = v + k;
                    switch (rng.nextInt(3)) {
                        case 0 -> {
                            story.add(subject + " buys " + k + " more " + obj + ".");
                            trace.add("After buying " + k + " more: " + v + " + " + k + " = " + r + ".");
                        }
                        case 1 -> {
                            story.add(subject + " finds " + k + " more " + obj + ".");
                            trace.add("After finding " + k + " more: " + v + " + " + k + " = " + r + ".");
                        }
                        default -> {
                            story.add((step > 1 && rng.nextInt(2) == 0 ? "Then " : "") + other + " gives " + name + " " + k + " more " + obj + ".");
                            namesOther = true;
                            trace.add("After getting " + k + " from " + other + ": " + v + " + " + k + " = " + r + ".");
                        }
                    }
                }
                case SUB -> {
                    k = Words.between(rng, 2, v - 1);
                    r = v - k;
                    switch (rng.nextInt(3)) {
                        case 0 -> {
                            story.add(subject + " gives " + k + " " + obj + " to " + other + ".");
                            namesOther = true;
                            trace.add("After giving " + k + " to " + other + ": " + v + " - " + k + " = " + r + ".");
                        }
                        case 1 -> {
                            story.add(subject + " loses " + k + " " + obj + ".");
                            trace.add("After losing " + k + ": " + v + " - " + k + " = " + r + ".");
                        }
                        default -> {
                            story.add(subject + " sells " + k + " " + obj + ".");
                            trace.add("After selling " + k + ": " + v + " - " + k + " = " + r + ".");
                        }
                    }
                }
                case MUL -> {
                    k = (v * 3 < CAP && rng.nextInt(2) == 0) ? 3 : 2;
                    r = v * k;
                    story.add(subject + " now has " + k + " times as many " + obj + ".");
                    trace.add("With " + k + " times as many: " + v + " * " + k + " = " + r + ".");
                }
                case DIV -> {
                    List<Integer> divisors = divisors(v);
                    k = Words.pick(rng, divisors);
                    r = v / k;
                    story.add(subject + " puts the " + obj + " into " + k + " equal groups and keeps one group.");
                    trace.add("Keeping one of " + k + " equal groups: " + v + " / " + k + " = " + r + ".");
                }
                default -> throw new AssertionError(op);
            }
            v = r;
            previousNamedOther = namesOther;
            if (distractorAfter[step]) {
                String[] d = distractor(rng, name, obj);
                story.add(d[0]);
                trace.add(d[1]);
                previousNamedOther = true;
            }
        }
        String question = rng.nextInt(2) == 0 ? "How many " + obj + " does " + name + " have now?"
                : "How many " + obj + " does " + name + " have at the end?";
        story.add(question);
        String answer = Integer.toString(v);
        trace.add("The answer is " + Answers.boxed(answer) + ".");
        String prompt = String.join(" ", story) + "\n" + Answers.BOXED_INSTRUCTION + "\n";
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("variant", VARIANTS.get(variant));
        fields.put("level", level);
        fields.put("distractors", distractors);
        return new Item(id, Family.MATH, prompt, answer, String.join("\n", trace), fields);
    }

    // Add and subtract twice as often as multiply and divide; an operation is only offered when its
    // result stays a positive integer below CAP (subtract needs k >= 2 and a result >= 1).
    private static Op chooseOp(Rng rng, int v) {
        List<Op> ops = new ArrayList<>();
        if (v + 2 < CAP) ops.addAll(List.of(Op.ADD, Op.ADD));
        if (v >= 3) ops.addAll(List.of(Op.SUB, Op.SUB));
        if (v * 2 < CAP) ops.add(Op.MUL);
        if (!divisors(v).isEmpty()) ops.add(Op.DIV);
        return Words.pick(rng, ops);
    }

    // Divisors 2..5 that leave at least 2 per group.
    private static List<Integer> divisors(int v) {
        List<Integer> out = new ArrayList<>();
        for (int k = 2; k <= 5; k++) if (v % k == 0 && v / k >= 2) out.add(k);
        return out;
    }

    /** A sentence about a quantity the question does not ask about, and the trace line dismissing it. */
    private static String[] distractor(Rng rng, String name, String obj) {
        String other = Words.pickOther(rng, Words.NAMES, List.of(name));
        String otherObj = Words.pickOther(rng, Words.OBJECTS, List.of(obj));
        int d = Words.between(rng, 2, 20);
        String fact = switch (rng.nextInt(3)) {
            case 0 -> other + " has " + d + " " + obj;
            case 1 -> other + " has " + d + " " + otherObj;
            default -> name + " also has " + d + " " + otherObj;
        };
        return new String[] {fact + ".", "Not needed: " + fact + "."};
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
