package rift.eval.ifeval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.kernels.RiftException;

/**
 * The Python-compatible text rules the checkers are built on. The expected sentence splits and tokens are
 * NLTK 3.10's output (PunktSentenceTokenizer with the same parameters as {@link SentenceCounter#ENGLISH},
 * NLTKWordTokenizer), recorded when the Java port was checked against it.
 */
class TextRulesTest {
    @TempDir
    Path dir;

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
    void treebankTokens() {
        assertEquals(List.of("DO", "N'T", "STOP", ",", "U.S.", "TEAM", "!"), WordTokenizer.tokenize("DON'T STOP, U.S. TEAM!"));
        assertEquals(5, WordTokenizer.countAllCapitalWords("DON'T STOP, U.S. TEAM!"));
        assertEquals(List.of("CAN", "NOT", "1,000", "STATE-OF-THE-ART", "...", "OK"),
                WordTokenizer.tokenize("CANNOT 1,000 STATE-OF-THE-ART...OK"));
        assertEquals(List.of("(", "IT", "'S", ")", "*", "*", "BOLD", "*", "*", "I"), WordTokenizer.tokenize("(IT'S) **BOLD** I"));
        assertEquals(List.of("I", "LOVE", "this", "song", ".", "IT", "'S", "great", "and", "NASA", "agrees", "."),
                WordTokenizer.tokenize("I LOVE this song. IT'S great and NASA agrees."));
        assertEquals(List.of("A.", "CAN", "NOT", "go"), WordTokenizer.tokenize("A.CANNOT go"));
        assertEquals(List.of("'", "TIS", "GON", "NA", "wan", "na", "x"), WordTokenizer.tokenize("'TIS GONNA wanna x"));
    }

    @Test
    void punktSentences() {
        assertEquals(List.of("Hello world.", "How are you?", "I am fine!"), SentenceCounter.split("Hello world. How are you? I am fine!"));
        assertEquals(List.of("Mr. Smith went to Washington.", "He arrived at 3 p.m. yesterday."),
                SentenceCounter.split("Mr. Smith went to Washington. He arrived at 3 p.m. yesterday."));
        assertEquals(2, SentenceCounter.count("The value is 3.14 and rising. Next one."));
        assertEquals(1, SentenceCounter.count("Line one without a period\nLine two without a period"));
        assertEquals(List.of("1.", "First item\n2.", "Second item"), SentenceCounter.split("1. First item\n2. Second item"));
        assertEquals(List.of("He said \"Stop!\"", "and left."), SentenceCounter.split("He said \"Stop!\" and left."));
        assertEquals(1, SentenceCounter.count("Wait... what is this?"));
        assertEquals(List.of("Wait...", "The end."), SentenceCounter.split("Wait... The end."));
        assertEquals(List.of("Use e.g. this one.", "And that"), SentenceCounter.split("Use e.g. this one. And that"));
        assertEquals(List.of("The end.", "and then lowercase"), SentenceCounter.split("The end. and then lowercase"));
        assertEquals(1, SentenceCounter.count("A file.txt and a URL example.com are one sentence"));
        assertEquals(0, SentenceCounter.count("  \n "));
        assertEquals(List.of("Trailing whitespace after the end."), SentenceCounter.split("Trailing whitespace after the end.   \n"));
        assertEquals(List.of("What?!", "Really."), SentenceCounter.split("What?! Really."));
        assertEquals(List.of("Odd ?", "!", "spacing"), SentenceCounter.split("Odd ?! spacing")); // Punkt's own quirk
        assertEquals(List.of("(Sent1.)", "Sent2."), SentenceCounter.split("(Sent1.) Sent2."));
        assertEquals(List.of("J. R. R. Tolkien wrote books.", "The end."), SentenceCounter.split("J. R. R. Tolkien wrote books. The end."));
    }

    @Test
    void parametersDecideAbbreviationsAndStarters() {
        SentenceCounter.Params none = new SentenceCounter.Params(Set.of(), Map.of(), Set.of(), Set.of());
        assertEquals(List.of("Mr.", "Smith went home."), SentenceCounter.split("Mr. Smith went home.", none));
        SentenceCounter.Params mr = new SentenceCounter.Params(Set.of("mr"), Map.of(), Set.of(), Set.of());
        assertEquals(List.of("Mr. Smith went home."), SentenceCounter.split("Mr. Smith went home.", mr));
        // after an abbreviation, a capitalised frequent sentence starter does start a sentence
        SentenceCounter.Params starter = new SentenceCounter.Params(Set.of("etc"), Map.of(), Set.of("the"), Set.of());
        assertEquals(List.of("Apples etc.", "The end."), SentenceCounter.split("Apples etc. The end.", starter));
        SentenceCounter.Params colloc = new SentenceCounter.Params(Set.of(), Map.of(), Set.of(), Set.of(List.of("##number##", "may")));
        assertEquals(1, SentenceCounter.split("On 5. May we met.", colloc).size());
        assertEquals(2, SentenceCounter.split("On 5. May we met.", none).size());
    }

    @Test
    void loadsNltkPunktTabFiles() throws IOException {
        Files.writeString(dir.resolve("abbrev_types.txt"), "mr\ndr\n");
        Files.writeString(dir.resolve("sent_starters.txt"), "the\n");
        Files.writeString(dir.resolve("collocations.tab"), "##number##\tmay\n");
        Files.writeString(dir.resolve("ortho_context.tab"), "the\t34\n");
        SentenceCounter.Params p = SentenceCounter.loadPunktTab(dir);
        assertEquals(Set.of("mr", "dr"), p.abbrevTypes());
        assertEquals(Map.of("the", 34), p.orthoContext());
        assertEquals(Set.of(List.of("##number##", "may")), p.collocations());
        assertEquals(List.of("Dr. Who met Mr. Smith.", "The end."), SentenceCounter.split("Dr. Who met Mr. Smith. The end.", p));
        Files.writeString(dir.resolve("ortho_context.tab"), "the\tmany\n");
        assertThrows(RiftException.class, () -> SentenceCounter.loadPunktTab(dir));
        assertThrows(RiftException.class, () -> SentenceCounter.loadPunktTab(dir.resolve("missing")));
    }
}
