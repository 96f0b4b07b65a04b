package rift.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Qwen-style ChatML formatting, rendering exactly what Qwen3's Jinja {@code chat_template} renders for
 * conversations of system, user and assistant messages (no tools):
 *
 * <pre>
 * &lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n      per message
 * &lt;|im_start|&gt;assistant\n                          generation prompt
 * &lt;think&gt;\n\n&lt;/think&gt;\n\n                         after it, when thinking is off (enable_thinking=False)
 * </pre>
 *
 * Qwen3's assistant-message rules are kept: a {@code <think>...</think>} block in an assistant message
 * before the last user message is dropped from the history; an assistant message after the last user
 * message is written with its think block, an empty one when it has none and is the final message.
 * So a training sample {@code prompt(q) + answer + endOfTurn() + "\n"} with the empty think block on
 * equals the template's rendering of {@code [user q, assistant answer]}.
 */
public final class ChatTemplate {

    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";
    public static final String THINK_OPEN = "<think>";
    public static final String THINK_CLOSE = "</think>";
    /** What Qwen3 writes after the generation prompt when thinking is disabled. */
    public static final String EMPTY_THINK_BLOCK = "<think>\n\n</think>\n\n";

    public enum Role {
        SYSTEM, USER, ASSISTANT;

        /** The role as the template writes it. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Message(Role role, String content) {
        public Message {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }

        public static Message system(String content) {
            return new Message(Role.SYSTEM, content);
        }

        public static Message user(String content) {
            return new Message(Role.USER, content);
        }

        public static Message assistant(String content) {
            return new Message(Role.ASSISTANT, content);
        }
    }

    private final boolean emptyThinkBlock;
    private final String systemMessage;

    private ChatTemplate(boolean emptyThinkBlock, String systemMessage) {
        this.emptyThinkBlock = emptyThinkBlock;
        this.systemMessage = systemMessage;
    }

    /**
     * Qwen3's template.
     *
     * @param emptyThinkBlock write {@code <think>\n\n</think>\n\n} after the generation prompt, as Qwen3
     *     renders with {@code enable_thinking=False}; false leaves the model free to think
     */
    public static ChatTemplate qwen3(boolean emptyThinkBlock) {
        return new ChatTemplate(emptyThinkBlock, null);
    }

    /** This template with a system message put first in every conversation that does not start with one. */
    public ChatTemplate withSystem(String system) {
        return new ChatTemplate(emptyThinkBlock, Objects.requireNonNull(system, "system"));
    }

    public boolean emptyThinkBlock() {
        return emptyThinkBlock;
    }

    /** The special tokens this format needs from the tokenizer (check with {@link Tokenizer#requireSpecialToken}). */
    public List<String> specialTokens() {
        return List.of(IM_START, IM_END);
    }

    /** Prompt for a single user message: [system,] user, then the generation prompt. */
    public String prompt(String userContent) {
        return prompt(List.of(Message.user(userContent)));
    }

    /** Prompt for a conversation (normally ending with a user message), then the generation prompt. */
    public String prompt(List<Message> conversation) {
        return render(conversation, true);
    }

    /** What ends an assistant turn: {@code <|im_end|>} (the model's EOS); the template then writes "\n". */
    public String endOfTurn() {
        return IM_END;
    }

    /** Renders {@code messages} (with the system message, if set and not already first) as Qwen3's template does. */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        List<Message> msgs = new ArrayList<>(messages);
        if (systemMessage != null && (msgs.isEmpty() || msgs.getFirst().role() != Role.SYSTEM)) msgs.addFirst(Message.system(systemMessage));

        StringBuilder out = new StringBuilder();
        if (!msgs.isEmpty() && msgs.getFirst().role() == Role.SYSTEM) turn(out, "system", msgs.getFirst().content());
        int lastQuery = lastQueryIndex(msgs);
        for (int i = 0; i < msgs.size(); i++) {
            Message m = msgs.get(i);
            switch (m.role()) {
                case SYSTEM -> {
                    if (i > 0) turn(out, "system", m.content());   // the first one was written above
                }
                case USER -> turn(out, "user", m.content());
                case ASSISTANT -> assistant(out, m.content(), i > lastQuery, i == msgs.size() - 1);
            }
        }
        if (addGenerationPrompt) {
            out.append(IM_START).append("assistant\n");
            if (emptyThinkBlock) out.append(EMPTY_THINK_BLOCK);
        }
        return out.toString();
    }

    private static void turn(StringBuilder out, String role, String content) {
        out.append(IM_START).append(role).append('\n').append(content).append(IM_END).append('\n');
    }

    /** The index of the last user message that is not a tool response; the last index when there is none. */
    private static int lastQueryIndex(List<Message> msgs) {
        for (int i = msgs.size() - 1; i >= 0; i--) {
            Message m = msgs.get(i);
            if (m.role() == Role.USER && !(m.content().startsWith("<tool_response>") && m.content().endsWith("</tool_response>"))) return i;
        }
        return msgs.size() - 1;
    }

    private static void assistant(StringBuilder out, String message, boolean afterLastQuery, boolean last) {
        String content = message;
        String reasoning = "";
        int close = message.indexOf(THINK_CLOSE);
        if (close >= 0) {
            // Jinja: content.split('</think>')[-1].lstrip('\n'), and
            // content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n')
            content = stripLeadingNewlines(message.substring(message.lastIndexOf(THINK_CLOSE) + THINK_CLOSE.length()));
            String before = stripTrailingNewlines(message.substring(0, close));
            int open = before.lastIndexOf(THINK_OPEN);
            reasoning = stripLeadingNewlines(open < 0 ? before : before.substring(open + THINK_OPEN.length()));
        }
        out.append(IM_START).append("assistant\n");
        if (afterLastQuery && (last || !reasoning.isEmpty())) {
            out.append(THINK_OPEN).append('\n').append(stripTrailingNewlines(stripLeadingNewlines(reasoning))).append('\n')
                    .append(THINK_CLOSE).append("\n\n").append(stripLeadingNewlines(content));
        } else {
            out.append(content);
        }
        out.append(IM_END).append('\n');
    }

    private static String stripLeadingNewlines(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '\n') i++;
        return s.substring(i);
    }

    private static String stripTrailingNewlines(String s) {
        int j = s.length();
        while (j > 0 && s.charAt(j - 1) == '\n') j--;
        return s.substring(0, j);
    }
}
