package rift.recipe;

/**
 * A numeric interval written in the usual notation, e.g. {@code "[1, inf)"} or {@code "(0, 1]"}, as
 * used by {@link Doc#range()}.
 */
record Range(double low, boolean lowInclusive, double high, boolean highInclusive, String text) {
    static Range parse(String text) {
        String t = text.strip();
        char open = t.charAt(0);
        char close = t.charAt(t.length() - 1);
        String[] parts = t.substring(1, t.length() - 1).split(",");
        if ((open != '[' && open != '(') || (close != ']' && close != ')') || parts.length != 2) {
            throw new IllegalArgumentException("bad range '" + text + "': write e.g. [0, 1) or (0, inf)");
        }
        return new Range(bound(parts[0]), open == '[', bound(parts[1]), close == ']', t);
    }

    private static double bound(String s) {
        return switch (s.strip()) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s.strip());
        };
    }

    boolean contains(double v) {
        boolean aboveLow = lowInclusive ? v >= low : v > low;
        boolean belowHigh = highInclusive ? v <= high : v < high;
        return aboveLow && belowHigh;
    }

    /** "at least 1", "greater than 0", "in (0, 1]". */
    String describe() {
        boolean openHigh = high == Double.POSITIVE_INFINITY;
        if (openHigh) return (lowInclusive ? "at least " : "greater than ") + num(low);
        return "in " + text;
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
