package rift.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names and version numbers of the on-disk checkpoint layout. One checkpoint is {@code runDir/step-N/}:
 *
 * <pre>
 * config.json, generation_config.json, model.safetensors (or HF shards + index)   the model, HF layout, F32
 * tokenizer.json, tokenizer_config.json, ...                                        copied tokenizer files
 * optimizer.safetensors     AdamW moments m.&lt;param&gt;, v.&lt;param&gt; (F32); absent for a weights-only save
 * trainer_state.json        step, optimizer step, schedule, data cursor, RNG states, recipe hash, metrics
 * recipe.yaml               the resolved recipe the run used
 * MANIFEST.sha256           sha256 of every file above, sorted by name, in sha256sum format
 * DONE                      written last: names the step and the manifest's own sha256
 * </pre>
 *
 * A step directory without a valid DONE, or whose files do not match the manifest, is torn and never
 * resumed from. Writers build the directory as {@code runDir/.tmp-step-N-<random>/} and rename it.
 */
public final class CheckpointFormat {
    private CheckpointFormat() {}

    /** Bumped when the layout changes incompatibly; a reader refuses a newer one. */
    public static final int FORMAT_VERSION = 1;
    /** Written into trainer_state.json. Keep equal to the CLI's version string (rift.cli.Main). */
    public static final String RIFT_VERSION = "0.1.0";

    public static final String TRAINER_STATE = "trainer_state.json";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String RECIPE = "recipe.yaml";
    public static final String MANIFEST = "MANIFEST.sha256";
    public static final String DONE = "DONE";
    public static final String CONFIG = "config.json";
    public static final String GENERATION_CONFIG = "generation_config.json";
    /** Held (OS file lock) by the one process writing checkpoints into a run directory. */
    public static final String WRITER_LOCK = ".checkpoint.lock";
    /** Prefix of directories that are not (or no longer) checkpoints: unfinished writes, deletions. */
    public static final String TMP_PREFIX = ".tmp-";

    /** The tokenizer file that must be present when a tokenizer directory is given. */
    public static final String TOKENIZER_JSON = "tokenizer.json";
    /**
     * Tokenizer files copied when present: what transformers' {@code AutoTokenizer.save_pretrained} writes
     * for the model families rift runs, chat templates included.
     */
    public static final List<String> TOKENIZER_FILES = List.of(TOKENIZER_JSON, "tokenizer_config.json",
            "special_tokens_map.json", "chat_template.jinja", "chat_template.json", "added_tokens.json",
            "vocab.json", "merges.txt", "tokenizer.model");

    // Canonical decimal only (no sign, no leading zeros), so one step has exactly one directory name.
    private static final Pattern STEP_DIR = Pattern.compile("step-(0|[1-9][0-9]{0,17})");

    /** {@code step-N}. */
    public static String stepDirName(long step) {
        if (step < 0) throw new IllegalArgumentException("checkpoint step must be >= 0, got " + step);
        return "step-" + step;
    }

    /** The step of a {@code step-N} directory, or empty for any other name. */
    public static OptionalLong parseStep(Path dir) {
        Path name = dir.getFileName();
        if (name == null) return OptionalLong.empty();
        Matcher m = STEP_DIR.matcher(name.toString());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
