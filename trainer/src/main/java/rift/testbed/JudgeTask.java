package rift.testbed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rift.util.Rng;

/**
 * Judge whether a statement agrees with a short passage, yes or no (HaluEval-like). The statement is
 * about a color, an owner, a place or a count; false statements swap in a value from elsewhere in the
 * passage (or a nearby count), so the words all look familiar. Variants are the 4 kinds times yes/no,
 * so the labels are balanced. The checker follows HaluEval: the final answer must contain exactly one
 * of the words yes and no, and that word must be the label.
 */
final class JudgeTask implements Task {
    private static final List<String> VARIANTS = List.of(
            "color_yes", "color_no", "owner_yes", "owner_no", "place_yes", "place_no", "count_yes", "count_no");

    @Override
    public List<String> variants() {
        return VARIANTS;
    }

    @Override
    public Item generate(Rng rng, String id, int variant) {
        Passage p = Passage.draw(rng);
        boolean truth = variant % 2 == 0;
        int i = rng.nextInt(p.size());
        int j = (i + 1 + rng.nextInt(p.size() - 1)) % p.size(); // another index, for false statements
        String statement = switch (variant / 2) {
            case 0 -> "The " + p.things().get(i) + " is "
                    + (truth ? p.colors().get(i) : rng.nextInt(2) == 0 ? p.colors().get(j) : Words.pickOther(rng, Words.COLORS, p.colors())) + ".";
            case 1 -> (truth ? p.people().get(i) : p.people().get(j)) + " has the " + p.things().get(i) + ".";
            case 2 -> "The " + p.things().get(i) + " is in the "
                    + (truth ? p.places().get(i) : rng.nextInt(2) == 0 ? p.places().get(j) : Words.pickOther(rng, Words.PLACES, p.places())) + ".";
            case 3 -> {
                int c = p.count();
                if (!truth) {
                    int off = rng.nextInt(2) == 0 ? 1 : Words.between(rng, 2, 3);
                    c = c - off < 2 || rng.nextInt(2) == 0 ? c + off : c - off; // stays in [2, 12]
                }
                yield p.people().get(p.counter()) + " has " + c + " " + p.object() + ".";
            }
            default -> throw new AssertionError(variant);
        };
        String prompt = p.text() + "\nStatement: " + statement + "\nIs the statement true according to the passage? Answer yes or no.\n";
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("variant", VARIANTS.get(variant));
        return new Item(id, Family.JUDGE, prompt, truth ? "yes" : "no", null, fields);
    }

    @Override
    public boolean check(Item item, String response) {
        String got = Answers.extract(response);
        if (got == null) return false;
        List<String> words = Answers.words(got.toLowerCase(Locale.ROOT));
        boolean yes = words.contains("yes"), no = words.contains("no");
        return yes != no && (yes ? "yes" : "no").equals(item.answer());
    }

    @Override
    public String directAnswer(Item item) {
        return item.answer();
    }
}
