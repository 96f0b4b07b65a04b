package rift.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rift.checkpoint.Checkpoint;
import rift.checkpoint.CheckpointReader;
import rift.io.DType;
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
        Path step = Files.exists(checkpoint.resolve("DONE")) ? checkpoint
                : CheckpointReader.latestComplete(checkpoint).orElseThrow(() -> new RiftException(checkpoint
                        + ": not a complete checkpoint (step-N with DONE) nor a run directory holding one"));
        try {
            if (Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent()))
                throw new RiftException(out + ": exists and is not an empty directory; choose a new --out");
            var be = new CpuBackend();
            Checkpoint ck = CheckpointReader.read(step, be);
            var w = ck.contents().weights();
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, ".export-");
            ModelIO.save(tmp, w.config, w, be, d);
            for (String f : TOKENIZER_FILES)
                if (Files.isRegularFile(step.resolve(f))) Files.copy(step.resolve(f), tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            if (Files.exists(out)) Files.delete(out);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("exported %s (step %d, %s, %,d parameters) -> %s%n", step, ck.step(), dtype, w.config.parameterCount(), out);
        } catch (IOException e) {
            throw new RiftException("rift export: " + e.getMessage());
        }
    }
}
