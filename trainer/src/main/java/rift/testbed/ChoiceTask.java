package rift.testbed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rift.util.Rng;

/**
 * Multiple choice over a short fact passage, answer a letter A-D. The facts must be combined: an
 * ordering given as shuffled pairwise comparisons ("Ann is taller than Ben. Cal is shorter than Ben.")
 * asking for the top or bottom, or counts per person asking who has the most or fewest. The four
 * options are the people in the passage plus unrelated names, shuffled.
 */
final class ChoiceTask implements Task {
    private static final List<String> VARIANTS = List.of("order_top", "order_bottom", "count_most", "count_fewest");
    /** Comparative, opposite comparative, superlative, opposite superlative. */
    private static final List<List<String>> SCALES = List.of(
            List.of("taller", "shorter", "tallest", "shortest"),
            List.of("older", "younger", "oldest", "youngest"),
            List.of("faster", "slower", "fastest", "slowest"));
    static final String LETTERS = "ABCD";
    private static final Pattern LETTER = Pattern.compile("\\(?([A-Da-d])\\)?(?:[.:)]?(?:\\s.*)?)?", Pattern.DOTALL);

    @Override
    public List<String> variants() {
        return VARIANTS;
    }

    @Override
    public Item generate(Rng rng, String id, int variant) {
        int k = Words.between(rng, 3, 4);
        List<String> people = Words.distinct(rng, Words.NAMES, k);
        List<String> facts = new ArrayList<>();
        String question;
        String correct;
        if (variant < 2) {
            // people is the ranking, most "taller" first.
            List<String> scale = Words.pick(rng, SCALES);
            for (int i = 0; i + 1 < k; i++) {
                facts.add(rng.nextInt(2) == 0 ? people.get(i) + " is " + scale.get(0) + " than " + people.get(i + 1) + "."
                        : people.get(i + 1) + " is " + scale.get(1) + " than " + people.get(i) + ".");
            }
            Words.shuffle(rng, facts);
            boolean top = variant == 0;
            question = "Who is the " + scale.get(top ? 2 : 3) + "?";
            correct = top ? people.getFirst() : people.getLast();
        } else {
            String obj = Words.pick(rng, Words.OBJECTS);
            List<Integer> counts = Words.distinct(rng, List.of(2, 3, 4, 5, 6, 7, 8, 9), k);
            int best = 0;
            for (int i = 0; i < k; i++) {
                facts.add(people.get(i) + " has " + counts.get(i) + " " + obj + ".");
                boolean better = variant == 2 ? counts.get(i) > counts.get(best) : counts.get(i) < counts.get(best);
                if (better) best = i;
            }
            question = "Who has the " + (variant == 2 ? "most " : "fewest ") + obj + "?";
            correct = people.get(best);
        }
        List<String> options = new ArrayList<>(people);
        while (options.size() < 4) options.add(Words.pickOther(rng, Words.NAMES, options));
        Words.shuffle(rng, options);
        String letter = String.valueOf(LETTERS.charAt(options.indexOf(correct)));
        StringBuilder p = new StringBuilder(String.join(" ", facts)).append("\nQuestion: ").append(question).append("\n");
        for (int i = 0; i < 4; i++) p.append(LETTERS.charAt(i)).append(") ").append(options.get(i)).append("\n");
        p.append("Choose A, B, C or D.\n").append(Answers.BOXED_INSTRUCTION).append("\n");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("variant", VARIANTS.get(variant));
        fields.put("options", List.copyOf(options));
        return new Item(id, Family.CHOICE, p.toString(), letter, null, fields);
    }

    /** The letter A-D an answer names ("B", "(B)", "B) Ben", "b."), or null. */
    static String letter(String answer) {
        if (answer == null) return null;
        Matcher m = LETTER.matcher(answer.trim());
        return m.matches() ? m.group(1).toUpperCase(java.util.Locale.ROOT) : null;
    }

    @Override
    public boolean check(Item item, String response) {
        return item.answer().equals(letter(Answers.extract(response)));
    }

    @Override
    public String directAnswer(Item item) {
        return Answers.boxed(item.answer());
    }
}
