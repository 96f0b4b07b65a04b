package rift.testbed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rift.util.Rng;

/**
 * Instruction following (IFEval-like): "Write a sentence about a brown dog." plus 1-3 compatible rules
 * from {@link InstructionRules}. The variant is the first rule's type. The reference answer is a
 * sentence built to obey every rule: article [very] [adjective] color noun verb [in/by article place]
 * [time], 4-10 words.
 */
final class InstructTask implements Task {
    private static final List<String> TOPICS = List.of("dog", "cat", "bird", "fish", "frog", "duck");
    private static final List<List<String>> VERBS = List.of(
            List.of("runs", "barks"), List.of("sleeps", "sits"), List.of("sings", "flies"),
            List.of("swims"), List.of("jumps"), List.of("swims", "walks"));
    private static final List<String> ADJECTIVES = List.of("big", "small", "happy", "little");
    private static final List<String> PLACES = List.of("park", "yard", "lake");
    private static final List<String> TIMES = List.of("today", "now");
    /** Words an include rule may ask for; each is one optional part of the sentence. */
    private static final List<String> INCLUDABLE = List.of("today", "park", "yard", "happy", "very");
    private static final List<String> EXCLUDABLE = List.of("the", "a");

    @Override
    public List<String> variants() {
        return InstructionRules.TYPES;
    }

    @Override
    public Item generate(Rng rng, String id, int variant) {
        List<String> types = new ArrayList<>();
        types.add(InstructionRules.TYPES.get(variant));
        int extras = rng.nextInt(3);
        for (int tries = 0; types.size() < 1 + extras && tries < 20; tries++) {
            String t = Words.pick(rng, InstructionRules.TYPES);
            if (compatible(types, t)) types.add(t);
        }
        String include = types.contains("include") ? Words.pick(rng, INCLUDABLE) : null;
        String exclude = types.contains("exclude") ? Words.pick(rng, EXCLUDABLE) : null;

        int topic = rng.nextInt(TOPICS.size());
        String color = Words.pick(rng, Words.COLORS);
        String article = exclude != null ? (exclude.equals("the") ? "a" : "the") : (rng.nextInt(2) == 0 ? "the" : "a");
        // Optional parts: adjective, very (needs the adjective), place phrase (3 words), time word.
        List<boolean[]> combos = new ArrayList<>();
        for (int mask = 0; mask < 16; mask++) {
            boolean adj = (mask & 1) != 0, very = (mask & 2) != 0, place = (mask & 4) != 0, time = (mask & 8) != 0;
            if (very && !adj) continue;
            if ("very".equals(include) && !very) continue;
            if ("happy".equals(include) && !adj) continue;
            if (("park".equals(include) || "yard".equals(include)) && !place) continue;
            if ("today".equals(include) && !time) continue;
            combos.add(new boolean[] {adj, very, place, time});
        }
        Integer n = null;
        if (types.contains("word_count")) {
            List<Integer> counts = new ArrayList<>();
            for (boolean[] c : combos) if (!counts.contains(wordCount(c))) counts.add(wordCount(c));
            n = Words.pick(rng, counts);
            final int target = n;
            combos.removeIf(c -> wordCount(c) != target);
        }
        boolean[] c = Words.pick(rng, combos);
        List<String> words = new ArrayList<>();
        words.add(article);
        if (c[1]) words.add("very");
        if (c[0]) words.add("happy".equals(include) ? "happy" : Words.pick(rng, ADJECTIVES));
        words.add(color);
        words.add(TOPICS.get(topic));
        words.add(Words.pick(rng, VERBS.get(topic)));
        if (c[2]) {
            String place = include != null && PLACES.contains(include) ? include : Words.pick(rng, PLACES);
            words.addAll(List.of(place.equals("lake") ? "by" : "in", article, place));
        }
        if (c[3]) words.add("today".equals(include) ? "today" : Words.pick(rng, TIMES));
        String sentence = String.join(" ", words) + ".";
        if (types.contains("uppercase")) sentence = sentence.toUpperCase(Locale.ROOT);
        else if (!types.contains("lowercase")) sentence = Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
        if (types.contains("quotes")) sentence = "\"" + sentence + "\"";
        if (types.contains("brackets")) sentence = "[" + sentence + "]";

        List<Object> rules = new ArrayList<>();
        StringBuilder prompt = new StringBuilder("Write a sentence about a ").append(color).append(' ').append(TOPICS.get(topic)).append(".");
        for (String t : types) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("type", t);
            String text = switch (t) {
                case "lowercase" -> "Use only lowercase letters.";
                case "uppercase" -> "Use only capital letters.";
                case "word_count" -> {
                    rule.put("n", n);
                    yield "Use exactly " + n + " words.";
                }
                case "include" -> {
                    rule.put("word", include);
                    yield "Include the word " + include + ".";
                }
                case "exclude" -> {
                    rule.put("word", exclude);
                    yield "Do not use the word " + exclude + ".";
                }
                case "quotes" -> "Wrap the whole answer in double quotes.";
                case "brackets" -> "Wrap the whole answer in square brackets.";
                default -> throw new AssertionError(t);
            };
            prompt.append(' ').append(text);
            rules.add(rule);
        }
        prompt.append('\n');
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("variant", InstructionRules.TYPES.get(variant));
        fields.put("rules", List.copyOf(rules));
        return new Item(id, Family.INSTRUCT, prompt.toString(), sentence, null, fields);
    }

    private static int wordCount(boolean[] c) {
        return 4 + (c[0] ? 1 : 0) + (c[1] ? 1 : 0) + (c[2] ? 3 : 0) + (c[3] ? 1 : 0);
    }

    private static boolean compatible(List<String> chosen, String t) {
        if (chosen.contains(t)) return false;
        if (t.equals("lowercase") && chosen.contains("uppercase") || t.equals("uppercase") && chosen.contains("lowercase")) return false;
        return !(t.equals("quotes") && chosen.contains("brackets") || t.equals("brackets") && chosen.contains("quotes"));
    }

    @Override
    public boolean check(Item item, String response) {
        return !InstructionRules.followed(item, response).contains(false);
    }

    @Override
    public String directAnswer(Item item) {
        return item.answer();
    }
}
