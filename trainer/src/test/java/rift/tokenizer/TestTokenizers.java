package rift.tokenizer;

import rift.TestPaths;

/** Tokenizers shared by the test classes of one JVM (loading Qwen3's 11 MB tokenizer.json takes about a second). */
final class TestTokenizers {
    private TestTokenizers() {}

    private static Tokenizer qwen3;

    /** The Qwen3 tokenizer from shared/data/tokenizers/qwen3 (with its tokenizer_config.json). Never closed. */
    static synchronized Tokenizer qwen3() {
        if (qwen3 == null) qwen3 = Tokenizer.load(TestPaths.data("tokenizers/qwen3"));
        return qwen3;
    }
}
