package rift.testbed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import rift.util.Rng;

/**
 * Comparison and sorting of 3-6 distinct numbers below 100: sort ascending or descending (answer: the
 * list, comma-separated), or name the largest or smallest (answer: one number).
 */
final class SortTask implements Task {
    private static final List<String> VARIANTS = List.of("ascending", "descending", "largest", "smallest");

    @Override
    public List<String> variants() {
        return VARIANTS;
    }

    @Override
    public Item generate(Rng rng, String id, int variant) {
        int n = Words.between(rng, 3, 6);
        List<Integer> numbers = new ArrayList<>();
        while (numbers.size() < n) {
            int x = rng.nextInt(100);
            if (!numbers.contains(x)) numbers.add(x);
        }
        String list = join(numbers);
        List<Integer> sorted = new ArrayList<>(numbers);
        Collections.sort(sorted);
        boolean alt = rng.nextInt(2) == 0;
        String question;
        String answer;
        switch (VARIANTS.get(variant)) {
            case "ascending" -> {
                question = alt ? "Sort these numbers from smallest to largest: " + list + "." : "Put " + list + " in increasing order.";
                answer = join(sorted);
            }
            case "descending" -> {
                sorted.sort(Comparator.reverseOrder());
                question = alt ? "Sort these numbers from largest to smallest: " + list + "." : "Put " + list + " in decreasing order.";
                answer = join(sorted);
            }
            case "largest" -> {
                question = alt ? "Which number is the largest: " + list + "?" : "What is the largest of " + list + "?";
                answer = Integer.toString(sorted.getLast());
            }
            case "smallest" -> {
                question = alt ? "Which number is the smallest: " + list + "?" : "What is the smallest of " + list + "?";
                answer = Integer.toString(sorted.getFirst());
            }
            default -> throw new AssertionError(variant);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("variant", VARIANTS.get(variant));
        fields.put("numbers", List.copyOf(numbers));
        return new Item(id, Family.SORT, question + "\n" + Answers.BOXED_INSTRUCTION + "\n", answer, null, fields);
    }

    static String join(List<Integer> xs) {
        StringJoiner j = new StringJoiner(", ");
        for (int x : xs) j.add(Integer.toString(x));
        return j.toString();
    }

    /** The numbers of an answer separated by commas and/or spaces, or null if anything else is there. */
    static List<Long> numbers(String answer) {
        if (answer == null) return null;
        String s = answer.trim();
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1).trim();
        if (s.isEmpty()) return null;
        List<Long> out = new ArrayList<>();
        for (String part : s.split("[,\\s]+")) {
            Long x = Answers.integer(part);
            if (x == null) return null;
            out.add(x);
        }
        return out;
    }

    @Override
    public boolean check(Item item, String response) {
        List<Long> got = numbers(Answers.extract(response));
        return got != null && got.equals(numbers(item.answer()));
    }

    @Override
    public String directAnswer(Item item) {
        return Answers.boxed(item.answer());
    }
}
