package rift.testbed;

import java.util.HashMap;
import java.util.Map;

/** An independent interpreter for the program family's syntax, to check the generator's answers. */
final class MiniInterpreter {
    private MiniInterpreter() {}

    static int run(String code) {
        Map<String, Integer> env = new HashMap<>();
        Integer printed = null;
        for (String stmt : code.split("; ")) {
            String[] t = stmt.split(" ");
            if (t[0].equals("print")) {
                printed = env.get(t[1]);
            } else if (t[0].equals("if")) {
                // if v > c then a = b op d else a = b op d
                int v = env.get(t[1]), c = Integer.parseInt(t[3]);
                boolean cond = t[2].equals(">") ? v > c : v < c;
                int at = cond ? 5 : 11;
                env.put(t[at], eval(env, t[at + 2], t[at + 3], t[at + 4]));
            } else if (t.length == 3) {
                env.put(t[0], Integer.parseInt(t[2]));
            } else {
                env.put(t[0], eval(env, t[2], t[3], t[4]));
            }
        }
        return printed;
    }

    private static int eval(Map<String, Integer> env, String a, String op, String b) {
        int x = value(env, a), y = value(env, b);
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static int value(Map<String, Integer> env, String s) {
        return Character.isDigit(s.charAt(0)) ? Integer.parseInt(s) : env.get(s);
    }
}
