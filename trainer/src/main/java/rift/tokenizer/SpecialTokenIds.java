package rift.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import rift.kernels.RiftException;

/**
 * BOS, EOS and PAD ids of a model, from the files Hugging Face keeps beside tokenizer.json:
 * {@code tokenizer_config.json} names the tokens ({@code "eos_token": "<|im_end|>"}, or an AddedToken
 * object with {@code "content"}), {@code generation_config.json} gives ids ({@code "eos_token_id"}: an
 * int or a list). The tokenizer config wins for the primary id; {@code stopIds} is the union of both
 * EOS sources because generation must stop on any of them (Qwen3 instruct: {@code <|im_end|>} and
 * {@code <|endoftext|>}).
 *
 * @param bos the beginning-of-sequence id, if the model has one
 * @param eos the primary end-of-sequence id
 * @param pad the padding id
 * @param stopIds every id that ends generation, primary EOS first
 */
public record SpecialTokenIds(OptionalInt bos, OptionalInt eos, OptionalInt pad, int[] stopIds) {

    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String GENERATION_CONFIG = "generation_config.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** No configuration files: no BOS, EOS or PAD known. */
    public static SpecialTokenIds none() {
        return new SpecialTokenIds(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), new int[0]);
    }

    /**
     * Reads the two config files in {@code dir} when present (either may be absent).
     *
     * @param tokenId looks a token string up in the tokenizer's vocabulary
     */
    static SpecialTokenIds read(Path dir, Function<String, OptionalInt> tokenId) {
        JsonNode tokCfg = readIfPresent(dir.resolve(TOKENIZER_CONFIG));
        JsonNode genCfg = readIfPresent(dir.resolve(GENERATION_CONFIG));
        Path tokPath = dir.resolve(TOKENIZER_CONFIG);
        Path genPath = dir.resolve(GENERATION_CONFIG);

        OptionalInt bos = firstPresent(tokenField(tokCfg, "bos_token", tokPath, tokenId), idField(genCfg, "bos_token_id", genPath));
        OptionalInt pad = firstPresent(tokenField(tokCfg, "pad_token", tokPath, tokenId), idField(genCfg, "pad_token_id", genPath));
        OptionalInt eosTok = tokenField(tokCfg, "eos_token", tokPath, tokenId);
        Set<Integer> stops = new LinkedHashSet<>();
        eosTok.ifPresent(stops::add);
        for (int id : idList(genCfg, "eos_token_id", genPath)) stops.add(id);
        OptionalInt eos = stops.isEmpty() ? OptionalInt.empty() : OptionalInt.of(stops.iterator().next());
        return new SpecialTokenIds(bos, eos, pad, stops.stream().mapToInt(Integer::intValue).toArray());
    }

    private static JsonNode readIfPresent(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return MAPPER.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new RiftException(file + " is not valid JSON (" + e.getOriginalMessage() + "): fix or delete the file"
                    + " (it only supplies BOS/EOS/PAD names), or re-download it with the model", e);
        } catch (IOException e) {
            throw new RiftException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A token named by string or by an AddedToken object {"content": ...}; null/absent gives empty. */
    private static OptionalInt tokenField(JsonNode cfg, String field, Path file, Function<String, OptionalInt> tokenId) {
        if (cfg == null) return OptionalInt.empty();
        JsonNode v = cfg.get(field);
        if (v == null || v.isNull()) return OptionalInt.empty();
        String token;
        if (v.isTextual()) token = v.asText();
        else if (v.isObject() && v.path("content").isTextual()) token = v.get("content").asText();
        else throw new RiftException(file + ": field \"" + field + "\" should be a token string or an object with \"content\", not " + v
                + "; fix the file");
        OptionalInt id = tokenId.apply(token);
        if (id.isEmpty()) throw new RiftException(file + ": field \"" + field + "\" names token " + quote(token)
                + ", which is not in the tokenizer's vocabulary; fix the field or use the tokenizer.json it belongs to");
        return id;
    }

    private static OptionalInt idField(JsonNode cfg, String field, Path file) {
        int[] ids = idList(cfg, field, file);
        return ids.length == 0 ? OptionalInt.empty() : OptionalInt.of(ids[0]);
    }

    private static int[] idList(JsonNode cfg, String field, Path file) {
        if (cfg == null) return new int[0];
        JsonNode v = cfg.get(field);
        if (v == null || v.isNull()) return new int[0];
        if (v.isInt()) return new int[] {v.asInt()};
        if (v.isArray()) {
            int[] out = new int[v.size()];
            for (int i = 0; i < out.length; i++) {
                if (!v.get(i).isInt()) throw badId(file, field, v);
                out[i] = v.get(i).asInt();
            }
            return out;
        }
        throw badId(file, field, v);
    }

    private static RiftException badId(Path file, String field, JsonNode v) {
        return new RiftException(file + ": field \"" + field + "\" should be a token id or a list of ids, not " + v + "; fix the file");
    }

    private static OptionalInt firstPresent(OptionalInt a, OptionalInt b) {
        return a.isPresent() ? a : b;
    }

    static String quote(String token) {
        return '"' + token.replace("\n", "\\n").replace("\t", "\\t") + '"';
    }
}
