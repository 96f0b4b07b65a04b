package rift.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine-checkable rules of the instruction-following family (IFEval-like). A rule is a JSON-shaped
 * map with a {@code type} and its parameters:
 * <ul>
 *   <li>{@code {"type":"lowercase"}}: at least one letter, none upper case;</li>
 *   <li>{@code {"type":"uppercase"}}: at least one letter, none lower case;</li>
 *   <li>{@code {"type":"word_count","n":5}}: exactly n words (a word is a maximal run of letters and digits);</li>
 *   <li>{@code {"type":"include","word":"park"}}: that word appears (whole word, any case);</li>
 *   <li>{@code {"type":"exclude","word":"the"}}: that word does not appear (whole word, any case);</li>
 *   <li>{@code {"type":"quotes"}} / {@code {"type":"brackets"}}: the trimmed response starts and ends with
 *       {@code "} / with {@code [} and {@code ]}.</li>
 * </ul>
 * Rules are judged on the whole response, trimmed; an empty response (no word) follows no rule.
 * {@link #followed} gives per-rule results, for IFEval's instruction-level accuracy; the family's
 * checker is the prompt-level (all rules) result.
 */
public final class InstructionRules {
    private InstructionRules() {}

    public static final List<String> TYPES = List.of("lowercase", "uppercase", "word_count", "include", "exclude", "quotes", "brackets");

    /** Whether {@code response} follows each rule of the item, in the item's rule order. */
    public static List<Boolean> followed(Item item, String response) {
        List<Boolean> out = new ArrayList<>();
        for (Object rule : item.list("rules")) out.add(follows((Map<?, ?>) rule, response));
        return out;
    }

    public static boolean follows(Map<?, ?> rule, String response) {
        String t = response.trim();
        List<String> words = Answers.words(t);
        if (words.isEmpty()) return false;
        String type = String.valueOf(rule.get("type"));
        return switch (type) {
            case "lowercase" -> t.chars().anyMatch(Character::isLetter) && t.chars().noneMatch(Character::isUpperCase);
            case "uppercase" -> t.chars().anyMatch(Character::isLetter) && t.chars().noneMatch(Character::isLowerCase);
            case "word_count" -> words.size() == ((Number) rule.get("n")).intValue();
            case "include" -> containsWord(words, (String) rule.get("word"));
            case "exclude" -> !containsWord(words, (String) rule.get("word"));
            case "quotes" -> t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"");
            case "brackets" -> t.length() >= 2 && t.startsWith("[") && t.endsWith("]");
            default -> throw new IllegalArgumentException("unknown instruction rule type " + type + " (known: " + TYPES + ")");
        };
    }

    private static boolean containsWord(List<String> words, String word) {
        String w = word.toLowerCase(Locale.ROOT);
        for (String x : words) if (x.toLowerCase(Locale.ROOT).equals(w)) return true;
        return false;
    }
}
