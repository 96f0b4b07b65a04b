package rift.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * Converts OpenAI's original GPT-2 tokenizer files ({@code encoder.json}: token -> id, {@code vocab.bpe}:
 * "#version" line then one merge "a b" per line in rank order) into a Hugging Face tokenizer.json
 * with the same layout as Hugging Face's own gpt2 tokenizer: ByteLevel pre-tokenizer using the GPT-2
 * split regex (use_regex), BPE model with that vocabulary and merges, ByteLevel decoder, and
 * {@code <|endoftext|>} as the one special token.
 */
public final class Gpt2TokenizerJson {
    private Gpt2TokenizerJson() {}

    public static final String END_OF_TEXT = "<|endoftext|>";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads the two files and converts them. */
    public static String convert(Path encoderJson, Path vocabBpe) {
        try {
            return convert(Files.readString(encoderJson, StandardCharsets.UTF_8), Files.readString(vocabBpe, StandardCharsets.UTF_8),
                    encoderJson.toString(), vocabBpe.toString());
        } catch (IOException e) {
            throw new RiftException("cannot read GPT-2 tokenizer files " + encoderJson + " / " + vocabBpe + " (" + e + ")", e);
        }
    }

    /**
     * Converts the contents of encoder.json and vocab.bpe into tokenizer.json text.
     *
     * @param encoderName name of the encoder.json source, for error messages
     * @param mergesName name of the vocab.bpe source, for error messages
     */
    public static String convert(String encoderJson, String vocabBpe, String encoderName, String mergesName) {
        JsonNode encoder;
        try {
            encoder = MAPPER.readTree(encoderJson);
        } catch (JacksonException e) {
            throw new RiftException(encoderName + " is not valid JSON (" + e.getOriginalMessage() + "): use GPT-2's encoder.json", e);
        }
        if (encoder == null || !encoder.isObject() || encoder.isEmpty()) {
            throw new RiftException(encoderName + " should be a JSON object mapping token -> id: use GPT-2's encoder.json");
        }
        ObjectNode vocab = MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> e : encoder.properties()) {
            if (!e.getValue().canConvertToInt()) {
                throw new RiftException(encoderName + ": token \"" + e.getKey() + "\" maps to " + e.getValue() + ", not an id");
            }
            vocab.put(e.getKey(), e.getValue().intValue());
        }

        ArrayNode merges = MAPPER.createArrayNode();
        String[] lines = vocabBpe.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) continue;
            String[] pair = line.split(" ");
            if (pair.length != 2) {
                throw new RiftException(mergesName + " line " + (i + 1) + ": expected a merge \"a b\", got \"" + line + "\"; use GPT-2's vocab.bpe");
            }
            for (String part : pair) {
                if (!vocab.has(part)) throw new RiftException(mergesName + " line " + (i + 1) + ": \"" + part + "\" is not in " + encoderName);
            }
            if (!vocab.has(pair[0] + pair[1])) {
                throw new RiftException(mergesName + " line " + (i + 1) + ": merged token \"" + pair[0] + pair[1] + "\" is not in " + encoderName);
            }
            merges.add(MAPPER.createArrayNode().add(pair[0]).add(pair[1]));
        }
        if (!vocab.has(END_OF_TEXT)) throw new RiftException(encoderName + " has no " + END_OF_TEXT + " token: use GPT-2's encoder.json");

        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        added.addObject().put("id", vocab.get(END_OF_TEXT).intValue()).put("content", END_OF_TEXT).put("single_word", false)
                .put("lstrip", false).put("rstrip", false).put("normalized", true).put("special", true);
        root.putNull("normalizer");
        // use_regex: split with GPT-2's pattern ('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)
        // before mapping bytes to the printable byte-level alphabet.
        root.set("pre_tokenizer", byteLevel(true));
        root.set("post_processor", byteLevel(true));
        root.set("decoder", byteLevel(true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.set("vocab", vocab);
        model.set("merges", merges);
        return root.toString();
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        return MAPPER.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", useRegex);
    }
}
