package rift.eval.ifeval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import rift.kernels.RiftException;

/**
 * One IFEval prompt (a line of input_data.jsonl) with its instructions already built and checked.
 *
 * @param key          the record's key
 * @param prompt       the prompt text
 * @param instructions one checker per entry of instruction_id_list, in order
 */
public record IfEvalRecord(int key, String prompt, List<Instruction> instructions) {
    public IfEvalRecord {
        instructions = List.copyOf(instructions);
    }

    /** Builds a record from its JSON fields; {@code where} names the source in errors. */
    public static IfEvalRecord of(int key, String prompt, List<String> instructionIds, List<JsonNode> kwargs, String where) {
        if (instructionIds.size() != kwargs.size()) {
            throw new RiftException(where + ": instruction_id_list has " + instructionIds.size()
                    + " entries but kwargs has " + kwargs.size() + "; give one kwargs object per instruction");
        }
        List<Instruction> built = new ArrayList<>();
        for (int i = 0; i < instructionIds.size(); i++) built.add(Instructions.build(instructionIds.get(i), kwargs.get(i), where));
        return new IfEvalRecord(key, prompt, built);
    }

    public List<String> instructionIds() {
        return instructions.stream().map(Instruction::id).toList();
    }
}
