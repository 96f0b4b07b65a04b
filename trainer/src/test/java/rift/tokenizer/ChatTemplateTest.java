package rift.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.TestPaths;
import rift.tokenizer.ChatTemplate.Message;

/**
 * Expected strings are rendered by hand from the Jinja chat_template in shared/data/tokenizers/qwen3/
 * tokenizer_config.json (no tools; system header, per-message turns, the assistant think-block rules,
 * and the generation prompt with enable_thinking).
 */
class ChatTemplateTest {

    private static final String SYS = "Please reason step by step, and put your final answer within \\boxed{}.";

    @Test
    void singleUserTurnWithAndWithoutThinkBlock() {
        assertEquals("<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
                ChatTemplate.qwen3(false).prompt("What is 2+2?"));
        assertEquals("<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                ChatTemplate.qwen3(true).prompt("What is 2+2?"));
    }

    @Test
    void systemMessageComesFirstAndAnExplicitOneWins() {
        ChatTemplate t = ChatTemplate.qwen3(true).withSystem(SYS);
        assertEquals("<|im_start|>system\n" + SYS + "<|im_end|>\n<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                t.prompt("q"));
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                t.prompt(List.of(Message.system("Be brief."), Message.user("q"))));
    }

    @Test
    void finalAssistantMessageGetsTheEmptyThinkBlockSoPromptPlusAnswerMatchesTheTemplate() {
        ChatTemplate t = ChatTemplate.qwen3(true).withSystem(SYS);
        String full = t.render(List.of(Message.user("1+1?"), Message.assistant("2")), false);
        assertEquals("<|im_start|>system\n" + SYS + "<|im_end|>\n<|im_start|>user\n1+1?<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\n\n</think>\n\n2<|im_end|>\n", full);
        assertEquals(full, t.prompt("1+1?") + "2" + t.endOfTurn() + "\n");
    }

    @Test
    void historyDropsReasoningBeforeTheLastQueryAndKeepsItAfter() {
        List<Message> conv = List.of(
                Message.user("q1"),
                Message.assistant("<think>\nfirst thoughts\n</think>\n\na1"),
                Message.user("q2"),
                Message.assistant("<think>\n\nsecond thoughts\n\n</think>\n\n\na2"));
        // index 1 is before the last user message (2): content after </think> only, newlines stripped.
        // index 3 is after it: think block rewritten as <think>\n{reasoning stripped of \n}\n</think>\n\n{content}.
        assertEquals("<|im_start|>user\nq1<|im_end|>\n"
                + "<|im_start|>assistant\na1<|im_end|>\n"
                + "<|im_start|>user\nq2<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\nsecond thoughts\n</think>\n\na2<|im_end|>\n",
                ChatTemplate.qwen3(false).render(conv, false));
    }

    @Test
    void nonFinalAssistantAfterLastQueryWithoutReasoningHasNoThinkBlock() {
        List<Message> conv = List.of(Message.user("q"), Message.assistant("part one"), Message.assistant("<think>r</think>part two"));
        assertEquals("<|im_start|>user\nq<|im_end|>\n"
                + "<|im_start|>assistant\npart one<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\nr\n</think>\n\npart two<|im_end|>\n"
                + "<|im_start|>assistant\n",
                ChatTemplate.qwen3(false).render(conv, true));
    }

    @Test
    void laterSystemMessageIsAnOrdinaryTurn() {
        assertEquals("<|im_start|>user\nq<|im_end|>\n<|im_start|>system\nnote<|im_end|>\n<|im_start|>assistant\n",
                ChatTemplate.qwen3(false).prompt(List.of(Message.user("q"), Message.system("note"))));
    }

    @Test
    void qwen3ChatFixturesRenderAndEncodeIdentically() throws IOException {
        Tokenizer tok = TestTokenizers.qwen3();
        ObjectMapper mapper = new ObjectMapper();
        int checked = 0;
        for (String line : Files.readAllLines(TestPaths.data("tokenizers/qwen3/encode_fixtures.jsonl"))) {
            JsonNode r = mapper.readTree(line);
            String text = r.get("text").asText();
            if (!text.startsWith("<|im_start|>")) continue;
            String userStart = "<|im_start|>user\n";
            String question = text.substring(text.indexOf(userStart) + userStart.length(), text.indexOf("<|im_end|>\n<|im_start|>assistant"));
            ChatTemplate t = ChatTemplate.qwen3(text.endsWith(ChatTemplate.EMPTY_THINK_BLOCK)).withSystem(SYS);
            assertEquals(text, t.prompt(question));
            int[] want = mapper.convertValue(r.get("ids"), int[].class);
            assertArrayEquals(want, tok.encode(t.prompt(question)));
            checked++;
        }
        assertEquals(10, checked);
    }

    @Test
    void markersAreSingleSpecialTokensOfQwen3() {
        Tokenizer tok = TestTokenizers.qwen3();
        for (String s : ChatTemplate.qwen3(true).specialTokens()) assertTrue(tok.isSpecial(tok.requireSpecialToken(s)), s);
        int[] ids = tok.encode(ChatTemplate.qwen3(true).prompt("hi"));
        // <|im_start|> user \n hi <|im_end|> \n <|im_start|> assistant \n <think> \n\n </think> \n\n
        assertArrayEquals(new int[] {151644, 872, 198, 6023, 151645, 198, 151644, 77091, 198, 151667, 271, 151668, 271}, ids);
    }
}
