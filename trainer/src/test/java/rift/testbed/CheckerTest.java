package rift.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckerTest {
    static final int N = 300;

    @ParameterizedTest
    @EnumSource(Family.class)
    void referenceAndDirectAnswerPass(Family f) {
        for (int i = 0; i < N; i++) {
            Item it = f.generate(21, i);
            assertTrue(f.check(it, it.answer()), it.id() + ": reference " + it.answer());
            assertTrue(f.check(it, f.directAnswer(it)), it.id() + ": direct " + f.directAnswer(it));
            assertTrue(f.check(it, "  " + f.directAnswer(it) + "\n"), "surrounding whitespace is ignored");
            assertFalse(f.check(it, ""), "empty response");
            if (it.trace() != null) assertTrue(f.check(it, it.trace()), it.trace());
        }
    }

    @Test
    void answerExtraction() {
        assertEquals("12", Answers.extract("so \\boxed{7} then \\boxed{12}."));
        assertEquals("\\frac{1}{2}", Answers.extract("\\boxed{\\frac{1}{2}}"));
        assertNull(Answers.extract("\\boxed{12"), "an unclosed box is no answer, even with an earlier line");
        assertEquals("12", Answers.extract("work\n\nAnswer: 12.\n\n"));
        assertEquals("12", Answers.extract("The answer is 12"));
        assertEquals("B) Ben", Answers.extract("Final answer: B) Ben"));
        assertNull(Answers.extract("  \n "));
        assertEquals(12L, Answers.integer(" 1 2 "));
        assertEquals(1200L, Answers.integer("1,200"));
        assertNull(Answers.integer("12a"));
        assertNull(Answers.integer("twelve"));
    }

    @Test
    void mathRejectsOffByOneAndWrongBox() {
        for (int i = 0; i < N; i++) {
            Item it = Family.MATH.generate(22, i);
            long a = Long.parseLong(it.answer());
            for (long wrong : new long[] {a - 1, a + 1}) {
                assertFalse(Family.MATH.check(it, Long.toString(wrong)));
                assertFalse(Family.MATH.check(it, "\\boxed{" + wrong + "}"));
                assertFalse(Family.MATH.check(it, it.trace().replace("\\boxed{" + a + "}", "\\boxed{" + wrong + "}")));
            }
            // The last box counts: a right box followed by a wrong one is wrong.
            assertFalse(Family.MATH.check(it, "\\boxed{" + a + "} \\boxed{" + (a + 1) + "}"));
            assertTrue(Family.MATH.check(it, "\\boxed{" + (a + 1) + "} \\boxed{" + a + "}"));
        }
    }

    @Test
    void sortRejectsWrongOrderAndMissingNumbers() {
        for (int i = 0; i < N; i++) {
            Item it = Family.SORT.generate(23, i);
            List<Long> ref = SortTask.numbers(it.answer());
            if (ref.size() > 1) {
                List<Long> swapped = new ArrayList<>(ref);
                Collections.swap(swapped, 0, 1);
                assertFalse(Family.SORT.check(it, "\\boxed{" + join(swapped) + "}"), "wrong order");
                assertFalse(Family.SORT.check(it, "\\boxed{" + join(ref.subList(0, ref.size() - 1)) + "}"), "missing number");
                assertTrue(Family.SORT.check(it, "\\boxed{" + join(ref).replace(",", "") + "}"), "spaces only are fine");
                assertTrue(Family.SORT.check(it, "\\boxed{[" + join(ref) + "]}"), "brackets are fine");
            } else {
                // largest / smallest: the runner-up is a near miss.
                List<?> numbers = it.list("numbers");
                List<Long> sorted = new ArrayList<>();
                for (Object n : numbers) sorted.add(((Number) n).longValue());
                Collections.sort(sorted);
                long runnerUp = it.variant().equals("largest") ? sorted.get(sorted.size() - 2) : sorted.get(1);
                assertFalse(Family.SORT.check(it, "\\boxed{" + runnerUp + "}"));
                assertFalse(Family.SORT.check(it, "\\boxed{" + join(sorted) + "}"), "the whole list is not the answer");
            }
        }
    }

    private static String join(List<Long> xs) {
        List<String> s = new ArrayList<>();
        for (long x : xs) s.add(Long.toString(x));
        return String.join(", ", s);
    }

    @Test
    void programRejectsOffByOne() {
        for (int i = 0; i < N; i++) {
            Item it = Family.PROGRAM.generate(24, i);
            long a = Long.parseLong(it.answer());
            assertFalse(Family.PROGRAM.check(it, "\\boxed{" + (a + 1) + "}"));
            assertFalse(Family.PROGRAM.check(it, "\\boxed{" + (a - 1) + "}"));
        }
    }

    @Test
    void programAnswersMatchAnIndependentInterpreter() {
        for (int i = 0; i < N; i++) {
            Item it = Family.PROGRAM.generate(25, i);
            String code = it.prompt().lines().toList().get(1);
            assertEquals(it.answer(), Integer.toString(MiniInterpreter.run(code)), code);
        }
    }

    @Test
    void planRejectsWrongLongAndBlockedPaths() {
        int alternatives = 0;
        for (int i = 0; i < N; i++) {
            Item it = Family.PLAN.generate(26, i);
            if (it.variant().equals("line")) {
                int m = Integer.parseInt(it.answer());
                assertFalse(Family.PLAN.check(it, "\\boxed{" + (m - 1) + "}"));
                assertFalse(Family.PLAN.check(it, "\\boxed{" + (m + 1) + "}"));
                continue;
            }
            String[] moves = it.answer().split(" ");
            // One wrong letter.
            String[] bad = moves.clone();
            bad[0] = switch (bad[0]) {
                case "R" -> "L";
                case "L" -> "R";
                case "U" -> "D";
                default -> "U";
            };
            assertFalse(Family.PLAN.check(it, "\\boxed{" + String.join(" ", bad) + "}"), "one wrong letter");
            if (moves.length > 1)
                assertFalse(Family.PLAN.check(it, "\\boxed{" + String.join(" ", List.of(moves).subList(1, moves.length)) + "}"), "one move missing");
            assertFalse(Family.PLAN.check(it, "\\boxed{" + it.answer() + " R L}"), "a detour is not shortest");
            assertFalse(Family.PLAN.check(it, "\\boxed{" + it.answer() + " X}"), "unknown move letter");
            assertTrue(Family.PLAN.check(it, "\\boxed{" + it.answer().replace(" ", "") + "}"), "unspaced moves are read too");
            if (it.variant().equals("grid")) {
                // On an open grid any order of the same moves is also shortest and must pass.
                List<String> reversed = new ArrayList<>(List.of(moves));
                Collections.reverse(reversed);
                assertTrue(Family.PLAN.check(it, "\\boxed{" + String.join(" ", reversed) + "}"));
                if (!reversed.equals(List.of(moves))) alternatives++;
            }
        }
        assertTrue(alternatives > 20, "alternative shortest paths were exercised: " + alternatives);
    }

    @Test
    void planRejectsShortestPathsThroughWallsAndOffTheGrid() {
        // 2x2 grid, (1, 0) blocked: "R U" has the shortest length and ends at the goal but crosses the wall.
        Item it = new Item("t", Family.PLAN, "p", "U R", null, Map.of("variant", "grid_wall", "width", 2, "height", 2,
                "start", List.of(0, 0), "goal", List.of(1, 1), "blocked", List.of(List.of(1, 0))));
        assertTrue(Family.PLAN.check(it, "\\boxed{U R}"));
        assertFalse(Family.PLAN.check(it, "\\boxed{R U}"));
        assertFalse(Family.PLAN.check(it, "\\boxed{L R U R}"), "leaves the grid");
        assertFalse(Family.PLAN.check(it, "\\boxed{}"), "no moves");
    }

    @Test
    void choiceAcceptsLetterFormsAndRejectsOtherLetters() {
        for (int i = 0; i < N; i++) {
            Item it = Family.CHOICE.generate(27, i);
            String a = it.answer();
            for (String other : List.of("A", "B", "C", "D")) {
                if (!other.equals(a)) assertFalse(Family.CHOICE.check(it, "\\boxed{" + other + "}"));
            }
            String name = (String) it.list("options").get("ABCD".indexOf(a));
            assertTrue(Family.CHOICE.check(it, "\\boxed{(" + a + ")}"));
            assertTrue(Family.CHOICE.check(it, "Answer: " + a + ") " + name));
            assertTrue(Family.CHOICE.check(it, "\\boxed{" + a.toLowerCase() + "}"));
            assertFalse(Family.CHOICE.check(it, "\\boxed{" + name + "}"), "the name instead of the letter");
            assertFalse(Family.CHOICE.check(it, "\\boxed{E}"));
        }
    }

    @Test
    void instructRejectsEachBrokenRule() {
        int broken = 0;
        for (int i = 0; i < N; i++) {
            Item it = Family.INSTRUCT.generate(28, i);
            for (Object r : it.list("rules")) {
                Map<?, ?> rule = (Map<?, ?>) r;
                String bad = breakRule(it.answer(), rule);
                assertFalse(InstructionRules.follows(rule, bad), rule + " should reject " + bad);
                assertFalse(Family.INSTRUCT.check(it, bad), rule + " broken in " + bad);
                broken++;
            }
            assertFalse(Family.INSTRUCT.check(it, "\"\""), "no words");
        }
        assertTrue(broken > N);
    }

    /** The reference with one rule broken (others may break too; the checker must reject either way). */
    private static String breakRule(String ref, Map<?, ?> rule) {
        return switch ((String) rule.get("type")) {
            case "lowercase" -> ref.replaceFirst("[a-z]", "Q");
            case "uppercase" -> ref.replaceFirst("[A-Z]", "q");
            case "word_count" -> ref.replaceFirst("(\\w+)", "$1 $1");
            case "include" -> ref.replaceAll("(?i)\\b" + rule.get("word") + "\\b", "zz");
            case "exclude" -> ref.replaceFirst("(\\w+)", "$1 " + rule.get("word"));
            case "quotes" -> ref.substring(0, ref.length() - 1);
            case "brackets" -> ref.substring(1);
            default -> throw new AssertionError(rule);
        };
    }

    @Test
    void instructionRulesJudgeWholeWords() {
        Map<String, Object> include = Map.of("type", "include", "word", "park");
        assertTrue(InstructionRules.follows(include, "In the PARK."));
        assertFalse(InstructionRules.follows(include, "In the parks."));
        Map<String, Object> exclude = Map.of("type", "exclude", "word", "a");
        assertTrue(InstructionRules.follows(exclude, "The cat naps."));
        assertFalse(InstructionRules.follows(exclude, "A cat."));
        assertTrue(InstructionRules.follows(Map.of("type", "word_count", "n", 3), "[the cat, sits.]"));
        assertFalse(InstructionRules.follows(Map.of("type", "lowercase"), "123"), "no letters is not lowercase text");
    }

    @Test
    void extractRejectsOtherPassageWords() {
        for (int i = 0; i < N; i++) {
            Item it = Family.EXTRACT.generate(29, i);
            assertTrue(Family.EXTRACT.check(it, "The answer is " + it.answer() + "."));
            if (it.variant().equals("place")) assertTrue(Family.EXTRACT.check(it, "in the " + it.answer() + "."));
            for (String w : it.prompt().split("\n")[0].split("[ .]+")) {
                if (!ExtractTask.normalize(w).isEmpty() && !w.equalsIgnoreCase(it.answer()))
                    assertFalse(Family.EXTRACT.check(it, w), it.id() + ": " + w + " vs " + it.answer());
            }
        }
    }

    @Test
    void judgeRejectsFlippedAndAmbiguousLabels() {
        for (int i = 0; i < N; i++) {
            Item it = Family.JUDGE.generate(30, i);
            String flipped = it.answer().equals("yes") ? "no" : "yes";
            assertFalse(Family.JUDGE.check(it, flipped));
            assertFalse(Family.JUDGE.check(it, "yes or no"), "both words");
            assertFalse(Family.JUDGE.check(it, "maybe"));
            assertTrue(Family.JUDGE.check(it, Character.toUpperCase(it.answer().charAt(0)) + it.answer().substring(1) + "."));
        }
    }

    @Test
    void checkerRefusesAnItemOfAnotherFamily() {
        Item sortItem = Family.SORT.generate(1, 0);
        try {
            Family.MATH.check(sortItem, "1");
            throw new AssertionError("expected IllegalArgumentException");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("sort"));
        }
    }
}
