package rift.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    static final int N = 400;

    @ParameterizedTest
    @EnumSource(Family.class)
    void sameSeedAndIndexGiveTheSameItem(Family f) {
        for (int i = 0; i < N; i++) assertEquals(f.generate(17, i), f.generate(17, i));
        // Independent of draw order: item 123 alone equals item 123 drawn after others.
        assertEquals(f.generate(5, 123), f.generate(5, 123));
        int differ = 0;
        for (int i = 0; i < 50; i++) if (!f.generate(1, i).prompt().equals(f.generate(2, i).prompt())) differ++;
        assertTrue(differ >= 45, f + ": seeds 1 and 2 agree on " + (50 - differ) + " of 50 prompts");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void variantsCycleAndAllAppear(Family f) {
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < N; i++) {
            Item it = f.generate(3, i);
            assertEquals(f.variants().get(i % f.variants().size()), it.variant());
            assertEquals(f, it.family());
            assertEquals(f.group(), it.group());
            seen.add(it.variant());
        }
        assertEquals(new TreeSet<>(f.variants()), seen);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void promptsStateTheAnswerFormat(Family f) {
        for (int i = 0; i < 100; i++) {
            Item it = f.generate(9, i);
            assertTrue(it.prompt().endsWith("\n"), it.prompt());
            String lastLine = it.prompt().strip().lines().reduce((a, b) -> b).orElseThrow();
            switch (f.group()) {
                case MATH, OTHER -> assertEquals(Answers.BOXED_INSTRUCTION, lastLine);
                case NON -> assertTrue(lastLine.contains("Answer with one word") || lastLine.contains("Answer yes or no")
                        || it.family() == Family.INSTRUCT, lastLine);
            }
            assertEquals(f == Family.MATH, it.trace() != null, "only math items have teacher traces");
        }
    }

    @Test
    void mathLevelsCountOperationsAndDistractors() {
        Map<String, Integer> opCount = new HashMap<>();
        for (int i = 0; i < N; i++) {
            Item it = Family.MATH.generate(11, i);
            int level = it.integer("level");
            assertEquals("level" + level, it.variant());
            List<String> lines = it.trace().lines().toList();
            long ops = lines.stream().filter(l -> l.matches(".*\\d+ [-+*/] \\d+ = \\d+\\.")).count();
            long distractors = lines.stream().filter(l -> l.startsWith("Not needed: ")).count();
            assertEquals(level, ops, it.trace());
            assertEquals(Math.max(0, level - 2), distractors, it.trace());
            assertEquals(distractors, it.integer("distractors"));
            // The trace's arithmetic is right and chains: each line starts from the previous result.
            long value = Long.parseLong(lines.getFirst().replaceAll("\\D+", " ").trim().split(" ")[0]);
            for (String l : lines) {
                var m = java.util.regex.Pattern.compile("(\\d+) ([-+*/]) (\\d+) = (\\d+)\\.$").matcher(l);
                if (!m.find()) continue;
                long a = Long.parseLong(m.group(1)), b = Long.parseLong(m.group(3)), r = Long.parseLong(m.group(4));
                assertEquals(value, a, l);
                long expect = switch (m.group(2)) {
                    case "+" -> a + b;
                    case "-" -> a - b;
                    case "*" -> a * b;
                    default -> {
                        assertEquals(0, a % b, l);
                        yield a / b;
                    }
                };
                assertEquals(expect, r, l);
                assertTrue(r >= 1 && r < MathTask.CAP, l);
                opCount.merge(m.group(2), 1, Integer::sum);
                value = r;
            }
            assertEquals(Long.toString(value), it.answer());
            assertTrue(it.trace().endsWith("The answer is \\boxed{" + it.answer() + "}."));
        }
        assertEquals(Set.of("+", "-", "*", "/"), opCount.keySet(), "all four operations appear: " + opCount);
    }

    @Test
    void mathPronounsAreNeverAmbiguous() {
        int pronouns = 0;
        for (int i = 0; i < N; i++) {
            String story = Family.MATH.generate(13, i).prompt().lines().findFirst().orElseThrow();
            String[] sentences = story.split("(?<=[.?]) ");
            for (int s = 1; s < sentences.length; s++) {
                if (!sentences[s].matches("(Then )?(She|he|He|she) .*")) continue;
                pronouns++;
                // The previous sentence names nobody (a pronoun continues) or only the protagonist.
                String previous = sentences[s - 1];
                String protagonist = story.substring(0, story.indexOf(' '));
                List<String> named = Words.NAMES.stream().filter(n -> previous.matches(".*\\b" + n + "\\b.*")).toList();
                assertTrue(named.isEmpty() || named.equals(List.of(protagonist)), "pronoun after a sentence naming " + named + ": " + story);
            }
        }
        assertTrue(pronouns > N / 2, "pronouns were exercised: " + pronouns);
    }

    @Test
    void instructionItemsCoverEveryRuleAndCombinations() {
        Set<String> types = new HashSet<>();
        Set<Integer> ruleCounts = new HashSet<>();
        Set<Integer> wordCounts = new TreeSet<>();
        for (int i = 0; i < N; i++) {
            Item it = Family.INSTRUCT.generate(4, i);
            List<?> rules = it.list("rules");
            ruleCounts.add(rules.size());
            assertEquals(it.variant(), ((Map<?, ?>) rules.getFirst()).get("type"));
            Set<String> mine = new HashSet<>();
            for (Object r : rules) {
                String t = (String) ((Map<?, ?>) r).get("type");
                assertTrue(mine.add(t), "rule repeated in " + rules);
                types.add(t);
                if (t.equals("word_count")) wordCounts.add(((Number) ((Map<?, ?>) r).get("n")).intValue());
            }
            assertTrue(!(mine.contains("lowercase") && mine.contains("uppercase")), rules.toString());
            assertTrue(!(mine.contains("quotes") && mine.contains("brackets")), rules.toString());
        }
        assertEquals(new HashSet<>(InstructionRules.TYPES), types);
        assertEquals(Set.of(1, 2, 3), ruleCounts);
        assertEquals(new TreeSet<>(List.of(4, 5, 6, 7, 8, 9, 10)), wordCounts);
    }

    @Test
    void planGridsAreSolvableAndWallsAppearOnlyInGridWall() {
        for (int i = 0; i < N; i++) {
            Item it = Family.PLAN.generate(6, i);
            switch (it.variant()) {
                case "line" -> {
                    int m = Integer.parseInt(it.answer());
                    assertTrue(m >= 1 && m <= PlanTask.MAX_LINE_MOVES);
                    assertEquals(m, PlanTask.fewestLineMoves(it.integer("start"), it.integer("up"), it.integer("down"),
                            it.integer("target"), 50), "no shorter solution exists");
                }
                case "grid" -> assertTrue(it.list("blocked").isEmpty());
                case "grid_wall" -> assertTrue(it.list("blocked").size() >= 1 && it.list("blocked").size() <= 2);
                default -> throw new AssertionError(it.variant());
            }
        }
    }

    @Test
    void judgeLabelsAreBalancedAndMatchTheVariant() {
        int yes = 0;
        for (int i = 0; i < N; i++) {
            Item it = Family.JUDGE.generate(8, i);
            assertEquals(it.variant().endsWith("_yes") ? "yes" : "no", it.answer());
            if (it.answer().equals("yes")) yes++;
        }
        assertEquals(N / 2, yes);
    }

    @Test
    void choiceOptionsAreFourDistinctNamesWithTheAnswerAmongThem() {
        Map<String, Integer> letters = new HashMap<>();
        for (int i = 0; i < N; i++) {
            Item it = Family.CHOICE.generate(10, i);
            List<?> options = it.list("options");
            assertEquals(4, new HashSet<>(options).size());
            letters.merge(it.answer(), 1, Integer::sum);
            assertTrue(it.prompt().contains(it.answer() + ") " + options.get("ABCD".indexOf(it.answer()))));
        }
        assertEquals(Set.of("A", "B", "C", "D"), letters.keySet());
        for (int c : letters.values()) assertTrue(c > N / 8, "answer letters are roughly balanced: " + letters);
    }

    @Test
    void fieldsAreJsonShaped() {
        for (Family f : Family.values())
            for (int i = 0; i < 50; i++) assertJsonShaped(f.generate(12, i).fields());
    }

    private static void assertJsonShaped(Object v) {
        assertNotNull(v);
        switch (v) {
            case String s -> {}
            case Integer n -> {}
            case List<?> l -> l.forEach(GeneratorTest::assertJsonShaped);
            case Map<?, ?> m -> m.forEach((k, x) -> {
                assertTrue(k instanceof String);
                assertJsonShaped(x);
            });
            default -> throw new AssertionError("not JSON-shaped: " + v.getClass());
        }
    }

    /** A pinned item: the generators must not drift silently (data sets are named by seed). */
    @Test
    void pinnedMathItem() {
        Item it = Family.MATH.generate(42, 3);
        assertEquals("""
                Hal starts with 5 cards. Hal sells 2 cards. Then he gives 2 cards to Ivy. Hal also has 9 shells. \
                Then Dan gives Hal 9 more cards. Hal also has 8 shells. Then Hal gives 6 cards to Max. How many cards does Hal have now?
                Give the final answer in \\boxed{}.
                """, it.prompt());
        assertEquals("4", it.answer()); // 5 - 2 - 2 + 9 - 6, worked by hand
        assertNull(Family.SORT.generate(42, 3).trace());
        assertNotEquals(it.prompt(), Family.MATH.generate(42, 7).prompt());
    }
}
