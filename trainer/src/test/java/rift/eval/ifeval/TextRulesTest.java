package rift.eval.ifeval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Python-compatible text rules the checkers are built on. */
class TextRulesTest {
    @Test
    void pythonCaseAndSpaceRules() {
        assertTrue(PyText.isUpper("HELLO 123!"));
        assertFalse(PyText.isUpper("123"));
        assertFalse(PyText.isUpper("HELLO world"));
        assertTrue(PyText.isLower("hello, 1 world"));
        assertFalse(PyText.isLower("hello ǅ")); // titlecase letter
        assertEquals("x", PyText.strip("\u3000\u00a0\u001c x \u2009\n"));
        assertEquals(List.of("a", "b"), PyText.splitWhitespace(" a\u2003b "));
        assertEquals(List.of("", "a", "", "b", ""), PyText.splitLiteral("**a****b**", "**"));
    }

    @Test
    void pythonWordRunsExcludeCombiningMarks() {
        assertEquals(6, PyText.countWordRuns("it's a test_case, 3.5"));
        // Python's \w does not match Devanagari vowel signs or virama: हिन्दी -> ह, न, द
        assertEquals(3, PyText.countWordRuns("हिन्दी"));
        assertEquals(2, PyText.countWordRuns("naïve café"));
    }

    @Test
    void treebankLikeTokens() {
        assertEquals(List.of("DO", "N'T", "STOP", ",", "U.S.", "TEAM", "!"), WordTokenizer.tokenize("DON'T STOP, U.S. TEAM!"));
        assertEquals(5, WordTokenizer.countAllCapitalWords("DON'T STOP, U.S. TEAM!"));
        assertEquals(List.of("CAN", "NOT", "1,000", "STATE-OF-THE-ART", "...", "OK"),
                WordTokenizer.tokenize("CANNOT 1,000 STATE-OF-THE-ART...OK"));
        assertEquals(List.of("(", "IT", "'S", ")", "*", "*", "BOLD", "*", "*", "I"), WordTokenizer.tokenize("(IT'S) **BOLD** I"));
        assertEquals(4, WordTokenizer.countAllCapitalWords("(IT'S) **BOLD** I"));
    }

    @Test
    void punktLikeSentences() {
        assertEquals(List.of("Hello world.", "How are you?", "I am fine!"), SentenceCounter.split("Hello world. How are you? I am fine!"));
        assertEquals(2, SentenceCounter.count("Mr. Smith went to Washington. He arrived at 3 p.m. yesterday."));
        assertEquals(2, SentenceCounter.count("The value is 3.14 and rising. Next one."));
        assertEquals(1, SentenceCounter.count("Line one without a period\nLine two without a period"));
        assertEquals(List.of("1.", "First item\n2.", "Second item"), SentenceCounter.split("1. First item\n2. Second item"));
        assertEquals(List.of("He said \"Stop!\"", "and left."), SentenceCounter.split("He said \"Stop!\" and left."));
        assertEquals(1, SentenceCounter.count("Wait... what is this?"));
        assertEquals(2, SentenceCounter.count("Wait... The end."));
        assertEquals(2, SentenceCounter.count("Use e.g. this one. And that"));
        assertEquals(2, SentenceCounter.count("The end. and then lowercase"));
        assertEquals(1, SentenceCounter.count("A file.txt and a URL example.com are one sentence"));
        assertEquals(0, SentenceCounter.count("  \n "));
        assertEquals(1, SentenceCounter.count("Trailing whitespace after the end.   \n"));
    }
}
