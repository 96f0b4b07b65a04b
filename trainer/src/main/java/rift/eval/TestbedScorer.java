package rift.eval;

import java.util.List;
import java.util.Map;
import rift.testbed.Item;
import rift.testbed.TestbedFiles;

/**
 * The synthetic testbed's own checkers ({@link rift.testbed.Family#check}): records are the eval files
 * written by {@code rift data synth} ({@code eval/<family>.jsonl.gz}); each is rebuilt into a testbed
 * {@link Item} (whose reference answer must pass its own checker) and the response is judged by its
 * family's checker. Reports {@code acc}.
 */
public final class TestbedScorer implements GenerationScorer {
    @Override
    public String type() {
        return "testbed";
    }

    @Override
    public String metric() {
        return "acc";
    }

    @Override
    public List<String> requiredFields() {
        return List.of();
    }

    @Override
    public Object prepare(EvalItem item) {
        return TestbedFiles.fromEvalRecord(item.record(), item.where());
    }

    @Override
    public Judgement judge(EvalItem item, String response) {
        Item it = (Item) item.payload();
        return Judgement.of(null, it.family().check(it, response), Map.of("family", it.family().key()));
    }
}
