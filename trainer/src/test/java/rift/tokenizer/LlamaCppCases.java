package rift.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import rift.TestPaths;

/**
 * llama.cpp's tokenizer test vectors (shared/data/tokenizers/parity_llamacpp): {@code NAME.inp} holds
 * the strings, each followed by {@code "\n__ggml_vocab_test__\n"}; {@code NAME.out} one line per string
 * with the expected ids, each preceded by a space.
 */
record LlamaCppCases(List<String> texts, List<int[]> ids) {

    static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    static LlamaCppCases read(String name) throws IOException {
        Path dir = TestPaths.data("tokenizers/parity_llamacpp");
        String inp = Files.readString(dir.resolve(name + ".inp"), StandardCharsets.UTF_8);
        String out = Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8);

        List<String> texts = new ArrayList<>();
        int from = 0;
        for (int at; (at = inp.indexOf(SEPARATOR, from)) >= 0; from = at + SEPARATOR.length()) texts.add(inp.substring(from, at));
        if (from != inp.length()) throw new IllegalStateException(name + ".inp does not end with the separator");

        List<int[]> ids = new ArrayList<>();
        from = 0;
        for (int at; (at = out.indexOf('\n', from)) >= 0; from = at + 1) {
            String line = out.substring(from, at).strip();
            ids.add(line.isEmpty() ? new int[0] : java.util.Arrays.stream(line.split(" +")).mapToInt(Integer::parseInt).toArray());
        }
        if (from != out.length()) throw new IllegalStateException(name + ".out does not end with a newline");
        if (texts.size() != ids.size()) throw new IllegalStateException(name + ": " + texts.size() + " strings but " + ids.size() + " id lines");
        return new LlamaCppCases(List.copyOf(texts), List.copyOf(ids));
    }
}
