package rift.recipe;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Training data: which files, how to read a record, how to turn it into a prompt. */
@Doc("Training data: JSON Lines files of problems (and, for SFT, solutions), and how each record"
        + " becomes a prompt.")
public record DataConfig(
        @Doc(value = "Training files, .jsonl or .jsonl.gz, relative to the working directory, or data:<folder>/<file>"
                + " for a file shipped in the checkout's data/ folder (e.g. data:gsm8k/train.jsonl.gz, found from any"
                + " working directory); read in this order (then shuffled if `shuffle`).", required = true,
                aka = {"dataset_name (TRL)", "data.train_files (verl)"})
        List<String> train,

        @Doc(value = "Record layout; decides the default `fields` and how the gold answer is read.", dflt = "jsonl")
        Format format,

        @Doc(value = "Names of the JSON fields to read; a field left null takes the default of `format`.", dflt = "{}")
        DataFields fields,

        @Doc(value = "Keep only records whose field matches one of the listed values, e.g."
                + " `level: [3, 4, 5]`. A value matches when it equals the field's text, or its last"
                + " word (so 3 matches MATH's \"Level 3\"). Several fields: all must match.", dflt = "{}")
        Map<String, List<String>> filter,

        @Doc(value = "Text of the prompt; `{prompt}` is replaced by the record's prompt field. Applied"
                + " before `chat_template`.", dflt = "\"{prompt}\"")
        String promptTemplate,

        @Doc(value = "Chat formatting of the prompt (and, for SFT, of the solution) around the templated text.",
                dflt = "none", aka = {"apply_chat_template (TRL)"})
        ChatTemplate chatTemplate,

        @Doc(value = "Longest prompt in tokens after templating; longer prompts are dropped (and"
                + " counted in the log).", dflt = "512", range = "[1, inf)",
                aka = {"max_prompt_length (TRL)", "data.max_prompt_length (verl)"})
        int maxPromptTokens,

        @Doc(value = "Longest sequence (prompt + completion) in tokens. SFT: longer examples are"
                + " dropped; GRPO: must hold max_prompt_tokens + grpo.max_new_tokens.", dflt = "1024",
                range = "[2, inf)", aka = {"max_length (TRL)", "max_seq_len (torchtune)"})
        int maxSeqLen,

        @Doc(value = "Shuffle the training records each epoch (seeded by `seed`).", dflt = "true",
                aka = {"shuffle (verl)"})
        boolean shuffle,

        @Doc(value = "What a record that cannot be read (bad JSON, missing field) does.", dflt = "error")
        OnBadRecord onBadRecord) {

    public DataConfig {
        train = List.copyOf(train);
        Map<String, List<String>> copy = new TreeMap<>(); // sorted, so the hash does not depend on the file's order
        filter.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        filter = Collections.unmodifiableMap(copy);
        if (fields != null && format != null) fields = fields.withDefaultsFor(format);
    }

    /**
     * Whether a record passes {@code filter}; {@code fieldText} gives a field's value as text (null
     * when the record has no such field).
     */
    public boolean keeps(Function<String, String> fieldText) {
        for (var e : filter.entrySet()) {
            String text = fieldText.apply(e.getKey());
            if (text == null) return false;
            String t = text.strip();
            String lastWord = t.substring(t.lastIndexOf(' ') + 1);
            boolean any = false;
            for (String wanted : e.getValue()) any |= t.equals(wanted) || lastWord.equals(wanted);
            if (!any) return false;
        }
        return true;
    }

    public enum Format {
        @Doc("GSM8K: prompt `question`; the gold answer is the number after '####' in `answer`,"
                + " and the whole `answer` is the SFT target.")
        GSM8K,
        @Doc("MATH (Hendrycks) and MATH-500: prompt `problem`; gold answer from `answer`, or the last"
                + " \\boxed{} of `solution` when the record has no `answer`; SFT target `solution`.")
        MATH,
        @Doc("Any JSON Lines: fields `prompt`, `answer`, `solution` unless renamed in `fields`;"
                + " the answer is used as written.")
        JSONL
    }

    public enum ChatTemplate {
        @Doc("No chat formatting: the templated prompt is the model input (base models).")
        NONE,
        @Doc("Qwen3 chat template (<|im_start|>user ... <|im_start|>assistant), thinking enabled.")
        QWEN3,
        @Doc("Qwen3 chat template with thinking disabled (an empty <think></think> block is added).")
        QWEN3_NOTHINK
    }

    public enum OnBadRecord {
        @Doc("Stop with an error naming the file and line.")
        ERROR,
        @Doc("Skip the record and count it in the log.")
        SKIP
    }
}
