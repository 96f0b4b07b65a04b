package rift.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The testbed's word-level tokenizer, written as a Hugging Face tokenizer.json.
 *
 * <p>Pieces: a run of ASCII letters with at most one leading space ({@code "Ann"}, {@code " has"}), or
 * any other single character (each digit, space, newline and punctuation mark). A WordLevel model
 * maps each piece to an id; the {@code Fuse} decoder concatenates the pieces back, so decoding is the
 * exact inverse of encoding for every text whose pieces are all in the vocabulary (the pieces
 * partition the text). Digits are single tokens, so numbers are spelled digit by digit.
 *
 * <p>The vocabulary is the special tokens, {@code <unk>}, the digits, and every piece of a fixed,
 * seed-independent sample of all families (prompts, answers, traces, pretraining documents), plus the
 * chat-role words. Ids: {@code <|endoftext|>}=0, {@code <|im_start|>}=1, {@code <|im_end|>}=2,
 * {@code <unk>}=3, then single characters in code order, then longer pieces in string order.
 */
public final class TestbedVocab {
    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";
    public static final List<String> SPECIAL = List.of(END_OF_TEXT, IM_START, IM_END);
    public static final String UNK = "<unk>";

    /** The piece pattern, the same in Java and in the tokenizer.json pre-tokenizer (Oniguruma). */
    public static final String PIECE_REGEX = " ?[A-Za-z]+|[^A-Za-z]";
    private static final Pattern PIECE = Pattern.compile(PIECE_REGEX);

    /** Items per family in the sample the vocabulary is read from. */
    static final int SAMPLE_PER_FAMILY = 4000;
    static final long SAMPLE_SEED = 0x7E57_B0CAL;
    private static final List<String> ROLE_WORDS = List.of("system", "user", "assistant");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile TestbedVocab standard;

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private TestbedVocab(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) m.put(tokens.get(i), i);
        this.ids = Collections.unmodifiableMap(m);
    }

    /** The testbed vocabulary (built once; the same on every run and JDK). */
    public static TestbedVocab standard() {
        TestbedVocab v = standard;
        if (v == null) {
            synchronized (TestbedVocab.class) {
                if (standard == null) standard = build();
                v = standard;
            }
        }
        return v;
    }

    private static TestbedVocab build() {
        TreeSet<String> pieces = new TreeSet<>();
        for (char c = '0'; c <= '9'; c++) pieces.add(String.valueOf(c));
        pieces.add(" ");
        pieces.add("\n");
        for (String w : ROLE_WORDS) pieces.add(w);
        for (Family f : Family.values()) {
            for (int i = 0; i < SAMPLE_PER_FAMILY; i++) {
                Item it = f.generate(SAMPLE_SEED, i);
                pieces.addAll(pieces(it.prompt()));
                pieces.addAll(pieces(it.answer()));
                pieces.addAll(pieces(f.directAnswer(it)));
                if (it.trace() != null) pieces.addAll(pieces(it.trace()));
            }
        }
        List<String> tokens = new ArrayList<>(SPECIAL);
        tokens.add(UNK);
        for (String p : pieces) if (p.length() == 1) tokens.add(p);
        for (String p : pieces) if (p.length() > 1) tokens.add(p);
        return new TestbedVocab(tokens);
    }

    /** The pieces of {@code text} (which concatenate back to it). */
    public static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PIECE.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    public int size() {
        return tokens.size();
    }

    /** Token strings by id. */
    public List<String> tokens() {
        return tokens;
    }

    public int unkId() {
        return ids.get(UNK);
    }

    /** The id of a token, or -1. */
    public int id(String token) {
        return ids.getOrDefault(token, -1);
    }

    /**
     * Ids of {@code text} as the tokenizer.json encodes it (special tokens are not matched here: the
     * testbed's texts never contain them). Unknown pieces become {@code <unk>}.
     */
    public int[] encode(String text) {
        List<String> ps = pieces(text);
        int[] out = new int[ps.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.getOrDefault(ps.get(i), unkId());
        return out;
    }

    /** Text of {@code ids}, special tokens left out. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) if (id >= SPECIAL.size()) sb.append(tokens.get(id));
        return sb.toString();
    }

    /** The pieces of {@code text} that are not in the vocabulary (empty: it round-trips exactly). */
    public List<String> unknownPieces(String text) {
        List<String> out = new ArrayList<>();
        for (String p : pieces(text)) if (!ids.containsKey(p) || p.equals(UNK)) out.add(p);
        return out;
    }

    /** The Hugging Face tokenizer.json text (deterministic, pretty-printed). */
    public String tokenizerJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : SPECIAL) {
            ObjectNode t = added.addObject();
            t.put("id", ids.get(s));
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Split");
        pre.putObject("pattern").put("Regex", PIECE_REGEX);
        pre.put("behavior", "Isolated");
        pre.put("invert", false);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "Fuse");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < tokens.size(); i++) vocab.put(tokens.get(i), i);
        model.put("unk_token", UNK);
        try {
            return pretty(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // Pretty-printed with "\n" line ends on every platform, so the files are byte-identical everywhere.
    private static String pretty(ObjectNode root) throws JsonProcessingException {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return MAPPER.writer(printer).writeValueAsString(root) + "\n";
    }

    /** A tokenizer_config.json naming the end-of-text token as EOS and PAD (there is no BOS). */
    public String tokenizerConfigJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("tokenizer_class", "PreTrainedTokenizerFast");
        root.putNull("bos_token");
        root.put("eos_token", END_OF_TEXT);
        root.put("pad_token", END_OF_TEXT);
        root.put("unk_token", UNK);
        root.put("clean_up_tokenization_spaces", false);
        try {
            return pretty(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
