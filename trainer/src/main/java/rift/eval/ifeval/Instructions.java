package rift.eval.ifeval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import rift.kernels.RiftException;

/** Instruction id -> checker factory, for every instruction id that occurs in IFEval's 541 prompts. */
public final class Instructions {
    private Instructions() {}

    private static final Map<String, Function<Kwargs, Instruction>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("change_case:capital_word_frequency", ChangeCase.CapitalWordFrequency::of);
        REGISTRY.put("change_case:english_capital", ChangeCase.EnglishCapital::of);
        REGISTRY.put("change_case:english_lowercase", ChangeCase.EnglishLowercase::of);
        REGISTRY.put("combination:repeat_prompt", Combination.RepeatPrompt::of);
        REGISTRY.put("combination:two_responses", Combination.TwoResponses::of);
        REGISTRY.put("detectable_content:number_placeholders", DetectableContent.NumberPlaceholders::of);
        REGISTRY.put("detectable_content:postscript", DetectableContent.Postscript::of);
        REGISTRY.put("detectable_format:constrained_response", DetectableFormat.ConstrainedResponse::of);
        REGISTRY.put("detectable_format:json_format", DetectableFormat.JsonFormat::of);
        REGISTRY.put("detectable_format:multiple_sections", DetectableFormat.MultipleSections::of);
        REGISTRY.put("detectable_format:number_bullet_lists", DetectableFormat.NumberBulletLists::of);
        REGISTRY.put("detectable_format:number_highlighted_sections", DetectableFormat.NumberHighlightedSections::of);
        REGISTRY.put("detectable_format:title", DetectableFormat.Title::of);
        REGISTRY.put("keywords:existence", Keywords.Existence::of);
        REGISTRY.put("keywords:forbidden_words", Keywords.ForbiddenWords::of);
        REGISTRY.put("keywords:frequency", Keywords.Frequency::of);
        REGISTRY.put("keywords:letter_frequency", Keywords.LetterFrequency::of);
        REGISTRY.put("language:response_language", ResponseLanguage::of);
        REGISTRY.put("length_constraints:nth_paragraph_first_word", Length.NthParagraphFirstWord::of);
        REGISTRY.put("length_constraints:number_paragraphs", Length.NumberParagraphs::of);
        REGISTRY.put("length_constraints:number_sentences", Length.NumberSentences::of);
        REGISTRY.put("length_constraints:number_words", Length.NumberWords::of);
        REGISTRY.put("punctuation:no_comma", PunctuationStartEnd.NoComma::of);
        REGISTRY.put("startend:end_checker", PunctuationStartEnd.EndChecker::of);
        REGISTRY.put("startend:quotation", PunctuationStartEnd.Quotation::of);
    }

    /** Every supported instruction id. */
    public static Set<String> ids() {
        return REGISTRY.keySet();
    }

    /**
     * Builds the checker for {@code id} with its kwargs (a JSON object).
     *
     * @param where names the source for errors, e.g. "input_data.jsonl line 3 (key 1005)"
     */
    public static Instruction build(String id, JsonNode kwargs, String where) {
        String at = where + " instruction " + id;
        Function<Kwargs, Instruction> f = REGISTRY.get(id);
        if (f == null) {
            throw new RiftException(where + ": unknown instruction id '" + id + "'; supported ids are the 25 of IFEval: "
                    + String.join(", ", REGISTRY.keySet()));
        }
        if (kwargs == null || !kwargs.isObject()) {
            throw new RiftException(at + ": kwargs must be a JSON object (use {} for none)");
        }
        return f.apply(new Kwargs(kwargs, at));
    }
}
