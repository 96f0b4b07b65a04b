package rift.eval.ifeval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.eval.ifeval.IfEvalFixtures.instruction;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * For every instruction id of the data: a response that passes and a near miss that fails, with the kwargs
 * of a real record (its key is named in each test).
 */
class InstructionsTest {
    static void pass(Instruction ins, String response) {
        assertTrue(ins.isFollowed(response), ins + " should accept: " + response);
    }

    static void fail(Instruction ins, String response) {
        assertFalse(ins.isFollowed(response), ins + " should reject: " + response);
    }

    static String words(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
    }

    @Test
    void everyIdOfTheDataIsSupportedAndCovered() {
        Set<String> inData = new TreeSet<>();
        IfEvalFixtures.records().forEach(r -> inData.addAll(r.instructionIds()));
        assertEquals(541, IfEvalFixtures.records().size());
        assertEquals(25, inData.size());
        assertEquals(new TreeSet<>(Instructions.ids()), inData);
    }

    @Test
    void capitalWordFrequency() {
        Instruction lessThan10 = instruction(1040, "change_case:capital_word_frequency", 0);
        assertEquals(new ChangeCase.CapitalWordFrequency(Kwargs.Relation.LESS_THAN, 10), lessThan10);
        pass(lessThan10, "I LOVE this song. IT'S great and NASA agrees.");       // I LOVE IT 'S NASA = 5
        fail(lessThan10, "ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN words"); // 10
        fail(lessThan10, "DON'T DON'T DON'T DON'T DON'T"); // Treebank splits DO + N'T: 10 capital tokens
        Instruction atLeast1 = instruction(1040, "change_case:capital_word_frequency", 1);
        pass(atLeast1, "this is OK");
        fail(atLeast1, "this is ok, 123 and Title Case");
    }

    @Test
    void englishCapital() {
        Instruction ins = instruction(1021, "change_case:english_capital");
        pass(ins, "THIS IS AN ANSWER WRITTEN IN CAPITAL LETTERS, AND IT IS ALL IN ENGLISH.");
        fail(ins, "THIS IS AN ANSWER WRITTEN IN CAPITAL LETTERs, AND IT IS ALL IN ENGLISH.");
        fail(ins, "DAS IST EINE ANTWORT AUF DEUTSCH UND NICHT AUF ENGLISCH, DIE SEHR GUT IST.");
    }

    @Test
    void englishLowercase() {
        Instruction ins = instruction(1019, "change_case:english_lowercase");
        pass(ins, "this is the answer, and it is all in lowercase letters.");
        fail(ins, "this is the answer, and I think it is all in lowercase letters.");
        fail(ins, "das ist die antwort und sie ist nicht auf englisch, aber klein geschrieben.");
    }

    @Test
    void repeatPrompt() {
        Instruction ins = instruction(1139, "combination:repeat_prompt");
        String prompt = "Write a funny haiku about moms, containing keywords \"mom\" and \"mother\" in your response.";
        pass(ins, prompt + "\n\nMom makes the coffee / mother of all mornings");
        pass(ins, "  " + prompt.toLowerCase(java.util.Locale.ROOT) + " here it is");
        fail(ins, "Sure! " + prompt + "\n\nMom makes the coffee");
    }

    @Test
    void twoResponses() {
        Instruction ins = instruction(1098, "combination:two_responses");
        pass(ins, "The first answer.\n******\nThe second answer.");
        pass(ins, "******\nThe first answer.\n******\nThe second answer.\n******");
        fail(ins, "The same answer.\n******\nThe same answer.  ");
        fail(ins, "One.\n******\n\n******\nTwo.");
        fail(ins, "One.\n******\nTwo.\n******\nThree.");
    }

    @Test
    void numberPlaceholders() {
        Instruction ins = instruction(1005, "detectable_content:number_placeholders");
        StringBuilder twelve = new StringBuilder();
        for (int i = 0; i < 12; i++) twelve.append("Field [field").append(i).append("] ");
        pass(ins, twelve.toString());
        fail(ins, twelve.toString().replace("[field11]", "field11"));
        fail(ins, twelve.toString().replace("[field11]", "[field\n11]")); // a placeholder stays on one line
    }

    @Test
    void postscript() {
        Instruction ps = instruction(1219, "detectable_content:postscript");
        pass(ps, "Dear team,\nsee you soon.\n\nP.S. Bring snacks.");
        pass(ps, "Bye.\np. s. lowercase and spaced also counts");
        fail(ps, "Dear team,\nsee you soon.\n\nPS Bring snacks.");
        Instruction pps = instruction(1246, "detectable_content:postscript");
        pass(pps, "Text.\nP.P.S. One more thing.");
        fail(pps, "Text.\nP.S. One more thing.");
    }

    @Test
    void constrainedResponse() {
        Instruction ins = instruction(227, "detectable_format:constrained_response");
        pass(ins, "After thinking about it: My answer is maybe.");
        fail(ins, "My answer is yes");
        fail(ins, "my answer is no.");
    }

    @Test
    void jsonFormat() {
        Instruction ins = instruction(1075, "detectable_format:json_format");
        pass(ins, "```json\n{\"name\": \"rift\", \"tags\": [1, 2]}\n```");
        pass(ins, "  {\"a\": {\"b\": null}}  ");
        pass(ins, "[1, 2, NaN]"); // Python's json.loads accepts NaN and any top-level value
        pass(ins, "```JSON\n\"just a string\"\n```");
        fail(ins, "{\"name\": \"rift\",}");
        fail(ins, "Here is the JSON: {\"name\": \"rift\"}");
        fail(ins, "{\"a\": 1} {\"b\": 2}");
        fail(ins, "```json\n```");
    }

    @Test
    void multipleSections() {
        Instruction ins = instruction(1127, "detectable_format:multiple_sections");
        String four = "SECTION 1\nIntro.\nSECTION 2\nBody.\nSECTION 3\nMore.\nSECTION 4\nEnd.";
        pass(ins, four);
        fail(ins, four.replace("SECTION 4", "Finally"));
        fail(ins, four.replace("SECTION", "Section")); // the splitter is case-sensitive
        Instruction paragraph = instruction(1021, "detectable_format:multiple_sections");
        pass(paragraph, "PARAGRAPH 1\nA\nPARAGRAPH 2\nB");
        fail(paragraph, "PARAGRAPH 1\nA\nPARAGRAPH two\nB");
    }

    @Test
    void numberBulletLists() {
        Instruction ins = instruction(102, "detectable_format:number_bullet_lists");
        pass(ins, "Intro\n* one\n* two\n* three\nOutro");
        pass(ins, "- one\n  - two\n* three");
        fail(ins, "* one\n* two\n* three\n* four");
        fail(ins, "**Header**\n* one\n* two"); // a bold line is not a bullet: 2
    }

    @Test
    void numberHighlightedSections() {
        Instruction ins = instruction(1000, "detectable_format:number_highlighted_sections");
        pass(ins, "*Part one* text *Part two* text *Part three* text");
        pass(ins, "**Part one**\n**Part two**\n**Part three**");
        fail(ins, "*Part one* text *Part two* text * * text");
        fail(ins, "*Part one\ncontinues* *Part two* *Part three");
    }

    @Test
    void title() {
        Instruction ins = instruction(1012, "detectable_format:title");
        pass(ins, "<<Resignation>>\nDear boss, I quit.");
        fail(ins, "<< >>\nDear boss, I quit.");
        fail(ins, "<Resignation>\nDear boss, I quit.");
        fail(ins, "<<Resig\nnation>>");
    }

    @Test
    void keywordsExistence() {
        Instruction ins = instruction(1139, "keywords:existence");
        pass(ins, "MOM said: ask your mother.");
        fail(ins, "Ask your mother.");
    }

    @Test
    void forbiddenWords() {
        Instruction ins = instruction(1147, "keywords:forbidden_words");
        pass(ins, "We thank our collaborators for the fields they ploughed and the issues they fixed.");
        fail(ins, "Thanks, everyone.");
        fail(ins, "This is an ISSUE.");
    }

    @Test
    void keywordFrequency() {
        Instruction ins = instruction(1153, "keywords:frequency");
        pass(ins, "A story within a Story.");
        pass(ins, "History repeats: the story goes on."); // substring matches count, as in the reference
        fail(ins, "A single story.");
    }

    @Test
    void letterFrequency() {
        Instruction lessThan2T = instruction(1130, "keywords:letter_frequency");
        pass(lessThan2T, "A bat flew.");
        fail(lessThan2T, "Two bats flew.");
        fail(lessThan2T, "TWO BATS FLEW."); // counted after lowercasing
        Instruction sixBangs = instruction(1129, "keywords:letter_frequency");
        pass(sixBangs, "Wow! Yum! Great! Cold! Sweet! Gentle!");
        fail(sixBangs, "Wow! Yum! Great! Cold! Sweet!");
    }

    @Test
    void nthParagraphFirstWord() {
        Instruction ins = instruction(1609, "length_constraints:nth_paragraph_first_word"); // weekend, 4 paragraphs, #1
        pass(ins, "Weekend plans are set.\n\nSecond paragraph.\n\nThird paragraph.\n\nFourth paragraph.");
        pass(ins, "\"Weekend, finally\" she said.\n\nTwo.\n\nThree.\n\nFour.");
        fail(ins, "Weekends are great.\n\nTwo.\n\nThree.\n\nFour.");
        fail(ins, "Weekend plans are set.\n\nTwo.\n\nThree.");
        Instruction second = instruction(181, "length_constraints:nth_paragraph_first_word"); // president, 6, #2
        String six = "One.\n\nPresident Lincoln spoke.\n\nThree.\n\nFour.\n\nFive.\n\nSix.";
        pass(second, six);
        fail(second, six.replace("President Lincoln", "The president"));
    }

    @Test
    void numberParagraphs() {
        Instruction ins = instruction(1082, "length_constraints:number_paragraphs"); // 2
        pass(ins, "First paragraph.\n***\nSecond paragraph.");
        pass(ins, "***\nFirst paragraph.\n***\nSecond paragraph.\n***");
        fail(ins, "First.\n***\n***\nSecond.");
        fail(ins, "First.\n***\nSecond.\n***\nThird.");
    }

    @Test
    void numberSentences() {
        Instruction lessThan6 = instruction(1174, "length_constraints:number_sentences");
        pass(lessThan6, "One. Two is here. Three! Four? Five.");
        fail(lessThan6, "One. Two is here. Three! Four? Five. Six.");
        Instruction atLeast31 = instruction(1265, "length_constraints:number_sentences");
        pass(atLeast31, "This is a sentence. ".repeat(31));
        fail(atLeast31, "This is a sentence. ".repeat(30));
    }

    @Test
    void numberWords() {
        Instruction atLeast300 = instruction(1000, "length_constraints:number_words");
        pass(atLeast300, words(300));
        fail(atLeast300, words(299));
        Instruction lessThan = IfEvalFixtures.records().stream()
                .flatMap(r -> r.instructions().stream())
                .filter(i -> i instanceof Length.NumberWords w && w.relation() == Kwargs.Relation.LESS_THAN)
                .findFirst().orElseThrow();
        int limit = ((Length.NumberWords) lessThan).numWords();
        pass(lessThan, words(limit - 1));
        fail(lessThan, words(limit));
    }

    @Test
    void noComma() {
        Instruction ins = instruction(1001, "punctuation:no_comma");
        pass(ins, "Day one we see Kyoto. Day two we rest。Full-width commas like ， are not ASCII commas");
        fail(ins, "Day one, Kyoto.");
    }

    @Test
    void endChecker() {
        Instruction ins = instruction(1128, "startend:end_checker");
        pass(ins, "Here you go.\nIs there anything else I can help with?");
        pass(ins, "\"Here you go. is there anything else i can help with?\"\n");
        fail(ins, "Here you go. Is there anything else I can help with? Thanks");
    }

    @Test
    void quotation() {
        Instruction ins = instruction(1040, "startend:quotation");
        pass(ins, "  \"Hello there.\"\n");
        fail(ins, "\"Hello there,\" he said.");
        fail(ins, "\"");
    }
}
