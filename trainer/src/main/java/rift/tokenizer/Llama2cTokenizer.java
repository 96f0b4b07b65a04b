package rift.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * A llama2.c tokenizer.bin (Karpathy's llama2.c {@code run.c} format) and its conversion to a Hugging
 * Face tokenizer.json that encodes exactly as llama2.c's {@code encode} does.
 *
 * <p>File layout, little-endian: int32 {@code max_token_length}, then per token: float32 score, int32
 * byte length, that many UTF-8 bytes. The token count is not stored (llama2.c takes it from the model
 * header): this reader takes every entry up to the end of the file. Layout of ids (sentencepiece
 * export): 0 {@code <unk>}, 1 BOS (stored as {@code "\n<s>\n"}), 2 EOS ({@code "\n</s>\n"}), 3..258
 * byte-fallback tokens {@code <0x00>}..{@code <0xFF>}, then pieces with real spaces where
 * sentencepiece had "▁".
 *
 * <p>llama2.c's encode: prepend a " " token (dummy prefix) when the text is not empty, look each UTF-8
 * character up (unknown ones become one byte token per byte, id = byte + 3), then repeatedly merge the
 * adjacent pair whose concatenation is a vocabulary piece with the highest score (leftmost on ties).
 * The conversion reproduces that with Hugging Face's BPE: spaces become "▁" (normalizer: prepend "▁",
 * replace " " by "▁"; no pre-tokenizer, so the whole text is one BPE word as in llama2.c), byte_fallback
 * for unknown characters, and one merge (a, b) for every split of every piece into two vocabulary
 * pieces, ranked by the merged piece's score (higher first). The decoder maps "▁" back to spaces,
 * fuses byte tokens into UTF-8 and strips the one leading space the dummy prefix added.
 *
 * <p>Known differences, all on text rift does not feed a llama2.c model: a literal {@code <s>},
 * {@code </s>} or {@code <unk>} in the text is matched as that special token (as Hugging Face Llama
 * tokenizers do; llama2.c spells it out), a literal "▁" (U+2581) in the text encodes as a space piece
 * (llama2.c byte-falls it back), and a NUL character ends llama2.c's C string but not ours. Two
 * different splits of one piece get distinct ranks here but equal scores in llama2.c; both orders give
 * the same tokens unless the two merge sites interact, which the randomized test did not hit.
 */
public final class Llama2cTokenizer {

    /** The three special ids of every llama2.c sentencepiece export. */
    public static final int UNK = 0, BOS = 1, EOS = 2;
    /** Byte token {@code <0xXX>} has id {@code BYTE_BASE + XX}. */
    public static final int BYTE_BASE = 3;
    public static final String SPACE_MARK = "\u2581";

    private static final String[] SPECIAL_NAMES = {"<unk>", "<s>", "</s>"};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One vocabulary entry as llama2.c stores it: text with real spaces, and its merge score. */
    public record Piece(String text, float score) {}

    private final int maxTokenLength;
    private final List<Piece> pieces;
    private final String origin;

    private Llama2cTokenizer(int maxTokenLength, List<Piece> pieces, String origin) {
        this.maxTokenLength = maxTokenLength;
        this.pieces = List.copyOf(pieces);
        this.origin = origin;
    }

    /** Reads a llama2.c tokenizer.bin and checks the id layout the conversion relies on. */
    public static Llama2cTokenizer read(Path tokenizerBin) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(tokenizerBin);
        } catch (IOException e) {
            throw new RiftException("cannot read llama2.c tokenizer " + tokenizerBin + " (" + e + "): check the path", e);
        }
        return parse(bytes, tokenizerBin.toString());
    }

    /** Parses tokenizer.bin bytes; {@code origin} names the source in error messages. */
    public static Llama2cTokenizer parse(byte[] bytes, String origin) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        String fix = "; use the tokenizer.bin written by llama2.c's tokenizer.py (export) for this model";
        if (in.remaining() < 4) throw new RiftException(origin + " is too short for a llama2.c tokenizer (" + bytes.length + " bytes)" + fix);
        int maxLen = in.getInt();
        if (maxLen <= 0 || maxLen > 1 << 16) throw new RiftException(origin + ": max_token_length " + maxLen + " is not plausible" + fix);
        List<Piece> pieces = new ArrayList<>();
        var utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        while (in.hasRemaining()) {
            int id = pieces.size();
            if (in.remaining() < 8) throw new RiftException(origin + ": token " + id + " is cut off at byte " + in.position() + fix);
            float score = in.getFloat();
            int len = in.getInt();
            if (len < 0 || len > in.remaining()) {
                throw new RiftException(origin + ": token " + id + " has length " + len + " at byte " + (in.position() - 4)
                        + " but only " + in.remaining() + " bytes follow" + fix);
            }
            if (len > maxLen) throw new RiftException(origin + ": token " + id + " is " + len + " bytes, more than max_token_length " + maxLen + fix);
            ByteBuffer slice = in.slice(in.position(), len);
            in.position(in.position() + len);
            try {
                pieces.add(new Piece(utf8.decode(slice).toString(), score));
            } catch (CharacterCodingException e) {
                throw new RiftException(origin + ": token " + id + " is not valid UTF-8" + fix, e);
            }
        }
        Llama2cTokenizer t = new Llama2cTokenizer(maxLen, pieces, origin);
        t.checkLayout();
        return t;
    }

    private void checkLayout() {
        String fix = ": this converter handles llama2.c sentencepiece exports (ids 0-2 <unk> <s> </s>, 3-258 <0x00>..<0xFF>)";
        if (pieces.size() < BYTE_BASE + 256 + 1) throw new RiftException(origin + " has " + pieces.size() + " tokens, fewer than the 259 fixed ones" + fix);
        for (int id = 0; id < BYTE_BASE; id++) {
            if (!pieces.get(id).text().strip().equals(SPECIAL_NAMES[id])) {
                throw new RiftException(origin + ": token " + id + " is " + SpecialTokenIds.quote(pieces.get(id).text()) + ", expected " + SPECIAL_NAMES[id] + fix);
            }
        }
        for (int b = 0; b < 256; b++) {
            if (!pieces.get(BYTE_BASE + b).text().equals(byteToken(b))) {
                throw new RiftException(origin + ": token " + (BYTE_BASE + b) + " is " + SpecialTokenIds.quote(pieces.get(BYTE_BASE + b).text())
                        + ", expected " + byteToken(b) + fix);
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int id = 0; id < pieces.size(); id++) {
            Integer before = seen.putIfAbsent(hfPiece(id), id);
            if (before != null) {
                throw new RiftException(origin + ": tokens " + before + " and " + id + " are both " + SpecialTokenIds.quote(pieces.get(id).text())
                        + "; a vocabulary needs distinct pieces (llama2.c's lookup would pick either)");
            }
        }
        if (!seen.containsKey(SPACE_MARK)) throw new RiftException(origin + " has no \" \" token, which llama2.c uses as the dummy prefix" + fix);
    }

    /** The byte-fallback token for byte {@code b}, e.g. {@code <0x0A>}. */
    public static String byteToken(int b) {
        return String.format("<0x%02X>", b);
    }

    public int maxTokenLength() {
        return maxTokenLength;
    }

    public int vocabSize() {
        return pieces.size();
    }

    /** The entries in id order, as llama2.c stores them. */
    public List<Piece> pieces() {
        return pieces;
    }

    /** The Hugging Face spelling of an id: specials by name, spaces as "▁". */
    private String hfPiece(int id) {
        return id < BYTE_BASE ? SPECIAL_NAMES[id] : pieces.get(id).text().replace(" ", SPACE_MARK);
    }

    /** The tokenizer.json text (see the class comment for how it mirrors llama2.c). */
    public String toTokenizerJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < BYTE_BASE; id++) {
            added.addObject().put("id", id).put("content", SPECIAL_NAMES[id]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode norms = normalizer.putArray("normalizers");
        norms.addObject().put("type", "Prepend").put("prepend", SPACE_MARK);
        ObjectNode replace = norms.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", SPACE_MARK);
        root.putNull("pre_tokenizer");
        root.set("post_processor", bosTemplate());
        ObjectNode decoder = root.putObject("decoder").put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        ObjectNode unspace = decoders.addObject().put("type", "Replace");
        unspace.putObject("pattern").put("String", SPACE_MARK);
        unspace.put("content", " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);

        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", SPECIAL_NAMES[UNK]);
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < pieces.size(); id++) vocab.put(hfPiece(id), id);
        ArrayNode merges = model.putArray("merges");
        for (Merge m : merges()) merges.add(MAPPER.createArrayNode().add(m.left()).add(m.right()));
        return root.toString();
    }

    /**
     * tokenizer_config.json naming BOS/EOS/UNK, so {@link Tokenizer#load} finds their ids; BOS is
     * added by whoever builds the model input, as llama2.c does.
     */
    public String toTokenizerConfigJson() {
        ObjectNode cfg = MAPPER.createObjectNode();
        cfg.put("tokenizer_class", "LlamaTokenizerFast");
        cfg.put("bos_token", SPECIAL_NAMES[BOS]);
        cfg.put("eos_token", SPECIAL_NAMES[EOS]);
        cfg.put("unk_token", SPECIAL_NAMES[UNK]);
        cfg.putNull("pad_token");
        cfg.put("add_bos_token", true);
        cfg.put("add_eos_token", false);
        cfg.put("clean_up_tokenization_spaces", false);
        return cfg.toPrettyString();
    }

    /** Writes tokenizer.json and tokenizer_config.json into {@code dir} (created if needed). */
    public void writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(Tokenizer.TOKENIZER_JSON), toTokenizerJson(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(SpecialTokenIds.TOKENIZER_CONFIG), toTokenizerConfigJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RiftException("cannot write the converted tokenizer into " + dir + " (" + e + "): check the directory is writable", e);
        }
    }

    /**
     * Post-processor adding BOS when a caller asks the tokenizer for special tokens (Hugging Face's
     * Llama layout); rift's {@link Tokenizer} never asks, its callers write BOS themselves.
     */
    private static ObjectNode bosTemplate() {
        ObjectNode t = MAPPER.createObjectNode().put("type", "TemplateProcessing");
        String bos = SPECIAL_NAMES[BOS];
        ArrayNode single = t.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = t.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = t.putObject("special_tokens").putObject(bos);
        special.put("id", bos);
        special.putArray("ids").add(BOS);
        special.putArray("tokens").add(bos);
        return t;
    }

    private record Merge(String left, String right, float score, int mergedId, int split) {}

    /**
     * Every way to build a piece from two vocabulary pieces, best score first. llama2.c can merge any
     * adjacent pair whose concatenation is in the vocabulary, so every split of every piece is a merge;
     * the specials never take part (llama2.c's "\n<s>\n" strings cannot arise from text).
     */
    private List<Merge> merges() {
        Map<String, Integer> ids = new HashMap<>();
        for (int id = BYTE_BASE; id < pieces.size(); id++) ids.put(hfPiece(id), id);
        List<Merge> out = new ArrayList<>();
        for (int id = BYTE_BASE; id < pieces.size(); id++) {
            // "+ 0f" folds -0.0 into 0.0 (llama2.c compares with >, which does not tell them apart);
            // llama2.c starts its search at -1e10, so pieces scoring at or below that (or NaN) never merge.
            float score = pieces.get(id).score() + 0f;
            if (!(score > -1e10f)) continue;
            String p = hfPiece(id);
            for (int split = p.offsetByCodePoints(0, 1); split < p.length(); split = p.offsetByCodePoints(split, 1)) {
                String left = p.substring(0, split), right = p.substring(split);
                if (ids.containsKey(left) && ids.containsKey(right)) out.add(new Merge(left, right, score, id, split));
            }
        }
        // Highest score first, as llama2.c picks the pair with the best score; ties (only between
        // splits of one piece in sentencepiece vocabularies) in id then split order, for determinism.
        out.sort(Comparator.comparingDouble((Merge m) -> -m.score()).thenComparingInt(Merge::mergedId).thenComparingInt(Merge::split));
        return out;
    }
}
