package rift.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import rift.kernels.RiftException;

/**
 * A Hugging Face tokenizer (tokenizer.json) run by the Rust {@code tokenizers} library through DJL.
 * This is the only class in rift that touches DJL.
 *
 * <p>Settings, all fixed: no truncation (DJL would cut at 512 tokens), no padding, and no special
 * tokens added by encode (chat and prompt templates write {@code <|im_start|>} and friends into the
 * text themselves, and added tokens in the text are still matched as single ids). The tokenizer is
 * read from a local file only, never from a hub.
 *
 * <p>Thread safety: encode and decode may be called from several threads (the native tokenizer is
 * immutable after loading).
 */
public final class Tokenizer implements AutoCloseable {

    static {
        // DJL must never touch the network: "offline" makes it use the CPU build of the native
        // library bundled in its jar (instead of looking for a CUDA build to download) and skips its
        // usage ping; OPT_OUT_TRACKING disables the ping (which queries the EC2 metadata address)
        // even where an environment variable turns offline mode off.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    public static final String TOKENIZER_JSON = "tokenizer.json";

    private final HuggingFaceTokenizer native_;
    private final TokenizerJson table;
    private final Set<Integer> specialIds;
    private final SpecialTokenIds ids;
    private final String origin;

    private Tokenizer(HuggingFaceTokenizer native_, TokenizerJson table, SpecialTokenIds ids, String origin) {
        this.native_ = native_;
        this.table = table;
        this.ids = ids;
        this.origin = origin;
        Set<Integer> special = new HashSet<>();
        for (TokenizerJson.AddedToken t : table.addedTokens()) if (t.special()) special.add(t.id());
        this.specialIds = Set.copyOf(special);
    }

    /**
     * Loads a tokenizer from a model directory holding tokenizer.json (and optionally
     * tokenizer_config.json / generation_config.json for BOS/EOS/PAD), or from a tokenizer.json file
     * (whose directory is searched for the two config files).
     */
    public static Tokenizer load(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(TOKENIZER_JSON) : dirOrFile;
        if (!Files.isRegularFile(file)) {
            String what = Files.isDirectory(dirOrFile) ? "model directory " + dirOrFile + " has no " + TOKENIZER_JSON
                    : "tokenizer file " + file + " does not exist";
            throw new RiftException(what + ": point at a Hugging Face model directory that contains " + TOKENIZER_JSON
                    + " (or at the file itself); models with only a sentencepiece tokenizer.model or a llama2.c"
                    + " tokenizer.bin need converting first (rift import)");
        }
        String json;
        try {
            json = rift.io.TextFiles.readUtf8(file, "tokenizer file");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new RiftException("tokenizer file " + file + " does not exist: point at a Hugging Face model directory that contains "
                    + TOKENIZER_JSON + " (or at the file itself)", e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return open(json, file.toString(), dir);
    }

    /**
     * A tokenizer from tokenizer.json text held in memory (e.g. converted from GPT-2 or llama2.c
     * files). No BOS/EOS/PAD ids are known unless {@code configDir} holds the config files.
     *
     * @param origin names the source in error messages
     * @param configDir directory to search for tokenizer_config.json / generation_config.json, or null
     */
    public static Tokenizer fromJson(String tokenizerJson, String origin, Path configDir) {
        return open(tokenizerJson, origin, configDir);
    }

    private static Tokenizer open(String json, String origin, Path configDir) {
        // The Java token table and the native tokenizer parse the same JSON; do both at once (loading
        // Qwen3's 11 MB file takes about a second each).
        CompletableFuture<TokenizerJson> tableTask = CompletableFuture.supplyAsync(() -> parseTable(json, origin));
        HuggingFaceTokenizer hf;
        try {
            // The same settings as HuggingFaceTokenizer.builder().optTruncation(false).optPadding(false)
            // .optAddSpecialTokens(false); the stream form avoids reading the file a second time.
            hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"));
        } catch (IOException | RuntimeException e) {
            join(tableTask);   // a JSON or format error explains more than the native library's message
            throw new RiftException("the tokenizers library rejected " + origin + " (" + firstLine(String.valueOf(e.getMessage()))
                    + "): the file is corrupt or from an unsupported tokenizers version; download the model's tokenizer.json again", e);
        }
        TokenizerJson table;
        try {
            table = join(tableTask);
        } catch (RuntimeException e) {
            hf.close();
            throw e;
        }
        if (!"DO_NOT_TRUNCATE".equals(hf.getTruncation()) || !"DO_NOT_PAD".equals(hf.getPadding())) {
            String got = hf.getTruncation() + "/" + hf.getPadding();
            hf.close();
            throw new IllegalStateException("DJL kept truncation/padding on (" + got + ") for " + origin);
        }
        try {
            SpecialTokenIds ids = configDir == null ? SpecialTokenIds.none() : SpecialTokenIds.read(configDir, token -> {
                Integer id = table.idsByToken().get(token);
                return id == null ? OptionalInt.empty() : OptionalInt.of(id);
            });
            return new Tokenizer(hf, table, ids, origin);
        } catch (RuntimeException e) {
            hf.close();
            throw e;
        }
    }

    private static TokenizerJson parseTable(String json, String origin) {
        try {
            return TokenizerJson.parse(json);
        } catch (IOException e) {
            throw new RiftException("tokenizer file " + origin + " is not valid JSON (" + firstLine(e.getMessage())
                    + "): the file is truncated or corrupt; download the model's tokenizer.json again", e);
        } catch (IllegalArgumentException e) {
            throw new RiftException("tokenizer file " + origin + " is not a Hugging Face tokenizer.json: " + e.getMessage()
                    + "; use the tokenizer.json saved with the model (tokenizers >= 0.13 format)", e);
        }
    }

    private static <T> T join(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** Token ids of {@code text}; added tokens written in the text (e.g. {@code <|im_end|>}) become their ids. */
    public int[] encode(String text) {
        long[] ids = native_.encode(text).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    /** Text of {@code ids} with special tokens (BOS, EOS, {@code <|im_start|>}, ...) left out. */
    public String decode(int[] ids) {
        return native_.decode(toLongs(ids), true);
    }

    /** Text of {@code ids} with special tokens written out, e.g. for showing a chat-formatted sample. */
    public String decodeKeepingSpecialTokens(int[] ids) {
        return native_.decode(toLongs(ids), false);
    }

    private long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize()) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i + " is outside the vocabulary [0, "
                        + vocabSize() + ") of " + origin);
            }
            out[i] = ids[i];
        }
        return out;
    }

    /**
     * One past the largest token id (model vocabulary and added tokens). A model's embedding table may
     * be larger (Qwen3: 151,936 rows for 151,669 ids); ids past this never come out of encode.
     */
    public int vocabSize() {
        return table.tokensById().length;
    }

    /** The id of a token as the vocabulary spells it (byte-level "Ġworld", sentencepiece "▁world", "<|im_end|>"). */
    public OptionalInt tokenId(String token) {
        Integer id = table.idsByToken().get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The vocabulary spelling of an id; empty for ids no token has. */
    public Optional<String> token(int id) {
        if (id < 0 || id >= vocabSize()) return Optional.empty();
        return Optional.ofNullable(table.tokensById()[id]);
    }

    /** Whether {@code id} is a special added token (skipped by {@link #decode}). */
    public boolean isSpecial(int id) {
        return specialIds.contains(id);
    }

    /** The special added tokens, in the order tokenizer.json lists them. */
    public List<String> specialTokens() {
        List<String> out = new ArrayList<>();
        for (TokenizerJson.AddedToken t : table.addedTokens()) if (t.special()) out.add(t.content());
        return Collections.unmodifiableList(out);
    }

    /** The id of a special added token, or a RiftException naming it when this tokenizer lacks it. */
    public int requireSpecialToken(String token) {
        OptionalInt id = tokenId(token);
        if (id.isEmpty() || !isSpecial(id.getAsInt())) {
            throw new RiftException("tokenizer " + origin + " has no special token " + SpecialTokenIds.quote(token)
                    + " (it has " + specialTokens() + "): use a template made for this model's tokenizer");
        }
        return id.getAsInt();
    }

    /** BOS id from tokenizer_config.json (bos_token) or generation_config.json (bos_token_id). */
    public OptionalInt bosId() {
        return ids.bos();
    }

    /** Primary EOS id: tokenizer_config.json's eos_token, else generation_config.json's first eos_token_id. */
    public OptionalInt eosId() {
        return ids.eos();
    }

    /** PAD id from tokenizer_config.json (pad_token) or generation_config.json (pad_token_id). */
    public OptionalInt padId() {
        return ids.pad();
    }

    /** Every id that ends generation (all EOS ids of both config files), primary first. */
    public int[] stopIds() {
        return ids.stopIds().clone();
    }

    /** Where this tokenizer came from (a file path or a conversion's name). */
    public String origin() {
        return origin;
    }

    @Override
    public void close() {
        native_.close();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
