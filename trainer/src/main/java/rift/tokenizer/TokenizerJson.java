package rift.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a Hugging Face tokenizer.json that rift needs on the Java side: the token <-> id table
 * (model vocabulary plus added tokens) and which added tokens are special. The native tokenizer does
 * the encoding; this table answers {@code tokenId}, {@code vocabSize} and special-token questions,
 * which DJL does not expose. Read with a streaming parser so the (large) merges list is skipped, not
 * built as a tree.
 */
record TokenizerJson(Map<String, Integer> idsByToken, String[] tokensById, List<AddedToken> addedTokens) {

    /** One entry of {@code added_tokens}: matched in raw text before the model runs. */
    record AddedToken(int id, String content, boolean special) {}

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Parses the token table. Throws {@link IOException} (with Jackson's location) on malformed JSON and
     * {@link IllegalArgumentException} naming the field when the JSON is not a tokenizer.json.
     */
    static TokenizerJson parse(String json) throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        List<AddedToken> added = new ArrayList<>();
        boolean sawModel = false;
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the top level");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "model" -> {
                        expect(value, JsonToken.START_OBJECT, "model");
                        readModel(p, ids);
                        sawModel = true;
                    }
                    case "added_tokens" -> {
                        if (value == JsonToken.VALUE_NULL) break;
                        expect(value, JsonToken.START_ARRAY, "added_tokens");
                        while (p.nextToken() == JsonToken.START_OBJECT) added.add(readAddedToken(p));
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (!sawModel) throw new IllegalArgumentException("no \"model\" object (is this a Hugging Face tokenizer.json?)");
        for (AddedToken t : added) ids.put(t.content(), t.id());
        int size = 0;
        for (int id : ids.values()) {
            if (id < 0) throw new IllegalArgumentException("negative token id " + id);
            size = Math.max(size, id + 1);
        }
        String[] tokens = new String[size];
        // Model vocabulary first, added tokens last, so an added token wins where both name one id.
        ids.forEach((token, id) -> tokens[id] = token);
        for (AddedToken t : added) tokens[t.id()] = t.content();
        // Wrapped, not copied: Map.copyOf would rehash 150k entries for nothing.
        return new TokenizerJson(Collections.unmodifiableMap(ids), tokens, List.copyOf(added));
    }

    private static void readModel(JsonParser p, Map<String, Integer> ids) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (!field.equals("vocab")) {
                p.skipChildren();
                continue;
            }
            if (value == JsonToken.START_OBJECT) {            // BPE, WordPiece, WordLevel: {"token": id}
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String token = p.currentName();
                    expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT, "model.vocab[\"" + token + "\"]");
                    ids.put(token, p.getIntValue());
                }
            } else if (value == JsonToken.START_ARRAY) {      // Unigram: [["piece", score], ...], id = position
                int id = 0;
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    expect(p.nextToken(), JsonToken.VALUE_STRING, "model.vocab[" + id + "]");
                    ids.put(p.getText(), id++);
                    while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
                }
            } else {
                throw new IllegalArgumentException("model.vocab is neither an object nor an array");
            }
        }
    }

    private static AddedToken readAddedToken(JsonParser p) throws IOException {
        Integer id = null;
        String content = null;
        boolean special = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = p.getIntValue();
                case "content" -> content = p.getText();
                case "special" -> special = value == JsonToken.VALUE_TRUE;
                default -> p.skipChildren();
            }
        }
        if (id == null || content == null) throw new IllegalArgumentException("an added_tokens entry lacks \"id\" or \"content\"");
        return new AddedToken(id, content, special);
    }

    private static void expect(JsonToken actual, JsonToken wanted, String where) {
        if (actual != wanted) throw new IllegalArgumentException(where + " should be " + wanted + " but is " + actual);
    }
}
