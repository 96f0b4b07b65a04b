package rift.testbed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import rift.util.Rng;

/**
 * Copy a one-word span out of a short passage (CoQA-like): a thing's color, who has a thing, where a
 * thing is, or how many objects someone has. The checker compares the final answer with the span
 * after lower-casing and dropping punctuation and the words a, an, the, in (so "in the box." matches
 * "box"), which is CoQA's exact-match normalisation plus the preposition.
 */
final class ExtractTask implements Task {
    private static final List<String> VARIANTS = List.of("color", "owner", "place", "count");
    private static final Set<String> DROPPED = Set.of("a", "an", "the", "in");

    @Override
    public List<String> variants() {
        return VARIANTS;
    }

    @Override
    public Item generate(Rng rng, String id, int variant) {
        Passage p = Passage.draw(rng);
        int i = rng.nextInt(p.size());
        String question;
        String answer;
        switch (VARIANTS.get(variant)) {
            case "color" -> {
                question = "What color is the " + p.things().get(i) + "?";
                answer = p.colors().get(i);
            }
            case "owner" -> {
                question = rng.nextInt(2) == 0 ? "Who has the " + p.things().get(i) + "?"
                        : "Who has the " + p.colors().get(i) + " " + p.things().get(i) + "?";
                answer = p.people().get(i);
            }
            case "place" -> {
                question = "Where is the " + p.things().get(i) + "?";
                answer = p.places().get(i);
            }
            case "count" -> {
                question = "How many " + p.object() + " does " + p.people().get(p.counter()) + " have?";
                answer = Integer.toString(p.count());
            }
            default -> throw new AssertionError(variant);
        }
        String prompt = p.text() + "\nQuestion: " + question + "\nAnswer with one word from the passage.\n";
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("variant", VARIANTS.get(variant));
        return new Item(id, Family.EXTRACT, prompt, answer, null, fields);
    }

    static String normalize(String s) {
        List<String> kept = new ArrayList<>();
        for (String w : s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 ]", " ").trim().split("\\s+"))
            if (!w.isEmpty() && !DROPPED.contains(w)) kept.add(w);
        return String.join(" ", kept);
    }

    @Override
    public boolean check(Item item, String response) {
        String got = Answers.extract(response);
        return got != null && !normalize(got).isEmpty() && normalize(got).equals(normalize(item.answer()));
    }

    @Override
    public String directAnswer(Item item) {
        return item.answer();
    }
}
