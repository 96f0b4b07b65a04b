package rift.recipe;

/** Which JSON fields of a data record hold the prompt, the gold answer and the worked solution. */
@Doc("Names of the JSON fields of a data record (`data.fields`). A null field takes the default of"
        + " `data.format` (gsm8k: question/answer/answer, math: problem/answer/solution, jsonl:"
        + " prompt/answer/solution).")
public record DataFields(
        @Doc(value = "Field holding the problem text, substituted for {prompt} in the prompt template.",
                dflt = "null", aka = {"prompt_key (verl)"})
        String prompt,

        @Doc(value = "Field holding the gold final answer the verifier compares against.", dflt = "null",
                aka = {"answer_key (verl)"})
        String answer,

        @Doc(value = "Field holding a worked solution: the SFT target, and the completion for"
                + " grpo.sampling: dataset.", dflt = "null", aka = {"response_key (verl)"})
        String solution) {

    /** These names with every null filled from the format's defaults. */
    DataFields withDefaultsFor(DataConfig.Format format) {
        DataFields d = switch (format) {
            case GSM8K -> new DataFields("question", "answer", "answer");
            case MATH -> new DataFields("problem", "answer", "solution");
            case JSONL -> new DataFields("prompt", "answer", "solution");
        };
        return new DataFields(prompt != null ? prompt : d.prompt, answer != null ? answer : d.answer,
                solution != null ? solution : d.solution);
    }
}
