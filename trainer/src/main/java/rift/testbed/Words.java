package rift.testbed;

import java.util.ArrayList;
import java.util.List;
import rift.util.Rng;

/**
 * The testbed's small, shared word pools. Families reuse them so the vocabulary stays small (a few
 * hundred tokens) and every family is made of the same words in different arrangements.
 */
final class Words {
    private Words() {}

    static final List<String> FEMALE = List.of("Ann", "Eve", "Fay", "Ivy", "Kim", "Mia");
    static final List<String> MALE = List.of("Ben", "Cal", "Dan", "Gus", "Hal", "Max");
    static final List<String> NAMES = concat(FEMALE, MALE);
    /** Countable objects, always plural (quantities in the testbed are at least 2 where a noun follows). */
    static final List<String> OBJECTS = List.of("apples", "pens", "coins", "books", "cards", "eggs", "shells", "stamps", "cups", "marbles");
    static final List<String> COLORS = List.of("red", "blue", "green", "black", "white", "brown");
    static final List<String> THINGS = List.of("ball", "kite", "hat", "bike", "drum", "boat");
    static final List<String> PLACES = List.of("box", "bag", "car", "yard", "shed", "room");

    static boolean female(String name) {
        return FEMALE.contains(name);
    }

    /** "She" or "He". */
    static String pronoun(String name) {
        return female(name) ? "She" : "He";
    }

    static <T> T pick(Rng rng, List<T> from) {
        return from.get(rng.nextInt(from.size()));
    }

    /** {@code k} distinct elements in random order. */
    static <T> List<T> distinct(Rng rng, List<T> from, int k) {
        int[] p = rng.permutation(from.size());
        List<T> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) out.add(from.get(p[i]));
        return out;
    }

    /** An element of {@code from} other than the ones in {@code not}. */
    static <T> T pickOther(Rng rng, List<T> from, List<T> not) {
        List<T> rest = new ArrayList<>(from);
        rest.removeAll(not);
        return pick(rng, rest);
    }

    /** Uniform in [lo, hi]. */
    static int between(Rng rng, int lo, int hi) {
        return lo + rng.nextInt(hi - lo + 1);
    }

    static <T> void shuffle(Rng rng, List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
