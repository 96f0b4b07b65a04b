package rift.recipe;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static rift.recipe.RecipeFixtures.MINIMAL_GRPO;
import static rift.recipe.RecipeFixtures.error;
import static rift.recipe.RecipeFixtures.write;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every class of recipe error names the file, the line, the dotted key and a fix. */
class RecipeErrorsTest {
    @TempDir
    Path dir;

    private static void assertHas(String message, String... parts) {
        for (String part : parts) assertTrue(message.contains(part), "expected '" + part + "' in:\n" + message);
    }

    private Path recipe(String yaml) {
        return write(dir, "r.yaml", yaml);
    }

    @Test
    void unknownKeyNamesTheLineAndTheClosestKey() {
        String msg = error(recipe(MINIMAL_GRPO + """
                grpo:
                  num_generation: 4
                """));
        assertHas(msg, "r.yaml:9: grpo.num_generation: unknown key; did you mean grpo.num_generations?");
    }

    @Test
    void keyInTheWrongSectionPointsToItsSection() {
        String msg = error(recipe(MINIMAL_GRPO + """
                schedule:
                  max_steps: 5
                  lr: 0.1
                """));
        assertHas(msg, "r.yaml:10: schedule.lr: unknown key; this key belongs elsewhere: did you mean optim.lr?");
    }

    @Test
    void otherTrainersNamesPointToRiftsKey() {
        String msg = error(recipe(MINIMAL_GRPO + """
                grpo:
                  max_completion_length: 256
                """));
        assertHas(msg, "r.yaml:9: grpo.max_completion_length: unknown key; 'max_completion_length' is TRL's name"
                + " for rift's grpo.max_new_tokens");
    }

    @Test
    void unknownTopLevelKey() {
        String msg = error(recipe("""
                metod: grpo
                """ + MINIMAL_GRPO));
        assertHas(msg, "r.yaml:1: metod: unknown key; did you mean method?");
    }

    @Test
    void wrongTypeNamesTheExpectedType() {
        String msg = error(recipe(MINIMAL_GRPO + """
                schedule:
                  global_batch: 8
                  max_steps: ten
                """));
        assertHas(msg, "r.yaml:10: schedule.max_steps: expected an integer, got string \"ten\"");
    }

    @Test
    void fractionWhereAnIntegerIsNeeded() {
        String msg = error(recipe(MINIMAL_GRPO + "seed: 1.5\n"));
        assertHas(msg, "r.yaml:8: seed: expected an integer, got number 1.5 (write a whole number)");
    }

    @Test
    void quotedNumberGetsAHint() {
        String msg = error(recipe(MINIMAL_GRPO + "threads: \"4\"\n"));
        assertHas(msg, "r.yaml:8: threads: expected an integer, got string \"4\" (remove the quotes)");
    }

    @Test
    void wrongEnumValueListsTheAllowedValues() {
        String msg = error(recipe(MINIMAL_GRPO + """
                grpo:
                  loss_agg: token_mean
                """));
        assertHas(msg, "r.yaml:9: grpo.loss_agg: 'token_mean' is not allowed; allowed values: token-mean,"
                + " seq-mean-token-mean, seq-mean-token-sum, seq-mean-token-sum-norm; did you mean token-mean?");
    }

    @Test
    void scalarWhereAListIsNeeded() {
        String msg = error(recipe("""
                method: sft
                model: {path: m}
                data:
                  train: data/train.jsonl
                optim: {lr: 1.0e-5}
                """));
        assertHas(msg, "r.yaml:4: data.train: expected a list of string, got string \"data/train.jsonl\""
                + " (write a list: [data/train.jsonl] or one '- item' per line)");
    }

    @Test
    void sectionThatIsNotAMapping() {
        String msg = error(recipe(MINIMAL_GRPO + "grpo: 8\n"));
        assertHas(msg, "r.yaml:8: grpo: expected a mapping (section), got integer 8");
    }

    @Test
    void missingRequiredKeysAreAllReported() {
        String msg = error(recipe("""
                model:
                  path: m
                data:
                  shuffle: false
                """));
        assertHas(msg, "3 problems in recipe",
                "r.yaml:1: method: required key is missing: add 'method:' (one of: sft, grpo) at the top level",
                "r.yaml:3: data.train: required key is missing: add 'train:' (list of string) under 'data:'",
                "r.yaml:1: optim.lr: required key is missing: add 'lr:' (number) under 'optim:'");
    }

    @Test
    void nullOnARequiredKey() {
        String msg = error(recipe(MINIMAL_GRPO.replace("lr: 1.0e-6", "lr: ~")));
        assertHas(msg, "r.yaml:7: optim.lr: required key is null: set 'lr:' (number) under 'optim:'");
    }

    @Test
    void valueOutOfRange() {
        String msg = error(recipe(MINIMAL_GRPO + """
                grpo:
                  epsilon_low: 1.2
                  top_p: 0
                """));
        assertHas(msg, "r.yaml:9: grpo.epsilon_low: must be in (0, 1), got 1.2",
                "r.yaml:10: grpo.top_p: must be in (0, 1], got 0");
    }

    @Test
    void rangeAppliesToEveryListElement() {
        String msg = error(recipe(MINIMAL_GRPO.replace("lr: 1.0e-6", "lr: 1.0e-6\n  betas: [0.9, 1.0]")));
        assertHas(msg, "r.yaml:8: optim.betas[1]: must be in [0, 1), got 1.0");
    }

    @Test
    void modelPathAndConfigTogether() {
        String msg = error(recipe("""
                method: sft
                model:
                  path: models/tiny
                  config:
                    vocab_size: 100
                    hidden_size: 8
                    num_hidden_layers: 1
                    num_attention_heads: 2
                    intermediate_size: 16
                data: {train: [t.jsonl]}
                optim: {lr: 1.0e-5}
                """));
        assertHas(msg, "r.yaml:4: model.config: model.path and model.config are both set; choose one");
    }

    @Test
    void noModelAtAll() {
        String msg = error(recipe("""
                method: sft
                data: {train: [t.jsonl]}
                optim: {lr: 1.0e-5}
                """));
        assertHas(msg, "r.yaml (default): model: no model: set model.path");
    }

    @Test
    void groupOfOneWithAdvantageWeight() {
        String msg = error(recipe(MINIMAL_GRPO + """
                grpo:
                  num_generations: 1
                """));
        assertHas(msg, "r.yaml:9: grpo.num_generations: 1 completion per prompt, but weight: advantage compares"
                + " completions within a group, which needs at least 2");
    }

    @Test
    void groupOfOneIsFineForRejectionSampling() {
        Recipe r = Recipe.load(recipe(MINIMAL_GRPO + """
                grpo:
                  num_generations: 1
                  weight: reject
                """));
        assertTrue(r.grpo().numGenerations() == 1);
    }

    @Test
    void completionLongerThanTheSequence() {
        String msg = error(recipe(MINIMAL_GRPO + """
                grpo:
                  max_new_tokens: 1000
                """));
        assertHas(msg, "r.yaml:9: grpo.max_new_tokens: data.max_prompt_tokens 512 + max_new_tokens 1000 = 1512"
                + " exceeds data.max_seq_len 1024: raise data.max_seq_len to at least 1512");
    }

    @Test
    void crossKeyRulesAreAllReported() {
        String msg = error(recipe(MINIMAL_GRPO + """
                grpo:
                  loss_agg_constant: 512
                  beta: 0.01
                  kl_estimator: k1
                  mini_batch: 5
                  rewards:
                    - name: correctness
                    - name: correctness
                    - {name: overlong, buffer_len: 600}
                schedule:
                  lr_schedule: constant
                  min_lr_ratio: 0.1
                  max_steps: 4
                  warmup_steps: 5
                checkpoint:
                  every: 10
                  keep_every: 25
                eval:
                  every: 5
                """));
        assertHas(msg, "9 problems",
                "r.yaml:15: grpo.rewards[1]: reward 'correctness' is listed twice",
                "r.yaml:16: grpo.rewards[2].buffer_len: 600 is not less than grpo.max_new_tokens 512",
                "r.yaml:9: grpo.loss_agg_constant: is only used with loss_agg: seq-mean-token-sum-norm",
                "r.yaml:11: grpo.kl_estimator: k1 as a loss term has zero expected gradient",
                "r.yaml:12: grpo.mini_batch: 5 does not divide schedule.global_batch 32 (prompts per rollout batch):"
                        + " pick a divisor, e.g. 4",
                "r.yaml:21: schedule.warmup_steps: 5 warmup updates are more than the 4 optimizer updates of schedule.max_steps 4",
                "r.yaml:19: schedule.min_lr_ratio: only applies to lr_schedule: linear or cosine",
                "r.yaml:24: checkpoint.keep_every: 25 is not a multiple of checkpoint.every 10",
                "r.yaml:26: eval.every: needs eval.suite");
    }

    @Test
    void fromScratchModelShapeChecks() {
        String msg = error(recipe("""
                method: sft
                model:
                  config:
                    vocab_size: 100
                    hidden_size: 10
                    num_hidden_layers: 1
                    num_attention_heads: 4
                    num_key_value_heads: 3
                    intermediate_size: 16
                    max_position_embeddings: 512
                data: {train: [t.jsonl]}
                optim: {lr: 1.0e-5}
                """));
        assertHas(msg, "r.yaml:3: model.config: a model built from model.config needs a tokenizer",
                "r.yaml:7: model.config.num_attention_heads: hidden_size 10 is not divisible by num_attention_heads 4",
                "r.yaml:8: model.config.num_key_value_heads: 3 does not divide num_attention_heads 4",
                "r.yaml (default): data.max_seq_len: 1024 exceeds model.config.max_position_embeddings 512");
    }

    @Test
    void trainFilesMustBeJsonLines() {
        String msg = error(recipe("""
                method: sft
                model: {path: m}
                data:
                  train:
                    - a.jsonl
                    - b.parquet
                optim: {lr: 1.0e-5}
                """));
        assertHas(msg, "r.yaml:6: data.train[1]: 'b.parquet' is not a .jsonl or .jsonl.gz file");
    }

    @Test
    void promptTemplateWithoutPlaceholder() {
        String msg = error(recipe(MINIMAL_GRPO.replace("train: [data/train.jsonl]",
                "train: [data/train.jsonl]\n  prompt_template: \"Solve: {problem}\"")));
        assertHas(msg, "r.yaml:6: data.prompt_template: has no {prompt}");
    }

    @Test
    void unknownRewardName() {
        String msg = error(recipe(MINIMAL_GRPO + """
                grpo:
                  rewards:
                    - name: correct
                      weight: 2
                    - name: overlong
                """));
        assertHas(msg, "r.yaml:10: grpo.rewards[0].name: unknown 'correct'; allowed: correctness, format, overlong;"
                + " did you mean correctness?",
                "r.yaml:12: grpo.rewards[1].buffer_len: required key is missing: add 'buffer_len:' (integer)");
    }

    @Test
    void rewardParameterOfAnotherReward() {
        String msg = error(recipe(MINIMAL_GRPO + """
                grpo:
                  rewards:
                    - name: correctness
                      buffer_len: 100
                """));
        assertHas(msg, "r.yaml:11: grpo.rewards[0].buffer_len: unknown key; this key belongs elsewhere");
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        String msg = error(recipe("""
                method: grpo
                model:
                  path: m
                 data: x
                """));
        assertHas(msg, "r.yaml:4: YAML syntax error: expected <block end>, but found '<block mapping start>'"
                + " (while parsing a block mapping that starts at line 1); check the indentation");
    }

    @Test
    void tabIndentationAndUnclosedQuote() {
        assertHas(error(recipe("method: grpo\nmodel:\n\tpath: m\n")), "r.yaml:3: YAML syntax error: found character '\\t(TAB)'");
        assertHas(error(recipe(MINIMAL_GRPO + "run_dir: \"out\n")),
                "r.yaml:9: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar that starts at line 8)");
    }

    @Test
    void secondYamlDocumentIsRejected() {
        assertHas(error(recipe(MINIMAL_GRPO + "---\nseed: 3\n")), "r.yaml:9: a second YAML document (after a '---' line) starts here");
    }

    @Test
    void duplicateKeyNamesBothLines() {
        String msg = error(recipe(MINIMAL_GRPO + "method: sft\n"));
        assertHas(msg, "r.yaml:8: key 'method' is written twice in the same mapping (first at line 1)");
    }

    @Test
    void anchorsAreRejected() {
        String msg = error(recipe(MINIMAL_GRPO + """
                schedule: &s {max_steps: 3}
                """));
        assertHas(msg, "r.yaml:8: YAML anchors and aliases");
    }

    @Test
    void topLevelMustBeAMapping() {
        assertHas(error(recipe("- a\n- b\n")), "r.yaml:1: a recipe must be a YAML mapping");
    }

    @Test
    void missingFile() {
        assertHas(error(dir.resolve("nope.yaml")), "nope.yaml: recipe file not found");
    }
}
