package rift.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rift.checkpoint.Checkpoint;
import rift.io.DType;
import rift.io.NewDirectory;
import rift.kernels.RiftException;
import rift.kernels.cpu.CpuBackend;
import rift.model.ModelIO;

/** {@code rift export CHECKPOINT --out DIR [--dtype bf16|fp32]}: a clean Hugging Face model directory. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a checkpoint as a clean Hugging Face directory (config.json, safetensors, tokenizer; no optimizer state).")
public final class ExportCommand implements Runnable {
    /** Tokenizer and chat-template files copied next to the weights when the checkpoint has them. */
    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
            "chat_template.jinja", "chat_template.json", "vocab.json", "merges.txt", "added_tokens.json");

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A checkpoint directory (run_dir/step-N) or a run directory (its latest).")
    Path checkpoint;

    @Option(names = "--out", required = true, description = "Output directory (must not exist or be empty).")
    Path out;

    @Option(names = "--dtype", description = "bf16 or fp32 (default ${DEFAULT-VALUE}).")
    String dtype = "bf16";

    @Override
    public void run() {
        DType d = switch (dtype) {
            case "bf16" -> DType.BF16;
            case "fp32" -> DType.F32;
            default -> throw new RiftException("--dtype must be bf16 or fp32, got '" + dtype + "'");
        };
        Checkpoint ck = rift.train.Training.readCheckpoint(checkpoint);
        Path step = ck.dir();
        var be = new CpuBackend();
        var w = ck.contents().weights();
        NewDirectory.write(out, "--out", dir -> {
            ModelIO.save(dir, w.config, w, be, d);
            for (String f : TOKENIZER_FILES)
                if (Files.isRegularFile(step.resolve(f))) Files.copy(step.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        });
        System.out.printf("exported %s (step %d, %s, %,d parameters) -> %s%n", step, ck.step(), dtype, w.config.parameterCount(), out);
    }
}
