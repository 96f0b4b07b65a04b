package rift.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rift.io.DType;
import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.cpu.CpuBackend;
import rift.model.Llama2cModel;
import rift.model.ModelIO;
import rift.model.Weights;
import rift.tokenizer.Llama2cTokenizer;

/** {@code rift import llama2c MODEL.bin --tokenizer TOKENIZER.bin --out DIR}: a llama2.c model as a Hugging Face directory. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Convert a model from another format into the Hugging Face layout.")
public final class ImportCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "FORMAT", description = "Source format: llama2c.")
    String format;

    @Parameters(index = "1", paramLabel = "MODEL", description = "The model file (llama2.c .bin).")
    Path model;

    @Option(names = "--tokenizer", required = true, description = "The llama2.c tokenizer.bin.")
    Path tokenizer;

    @Option(names = "--out", required = true, description = "Output directory (must not exist or be empty).")
    Path out;

    @Override
    public void run() {
        if (!format.equals("llama2c")) throw new RiftException("rift import: unknown format '" + format + "'; supported: llama2c");
        if (!Files.isRegularFile(model)) throw new RiftException(model + ": no such file");
        if (!Files.isRegularFile(tokenizer)) throw new RiftException(tokenizer + ": no such file (--tokenizer)");
        try {
            if (Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent()))
                throw new RiftException(out + ": exists and is not an empty directory; choose a new --out");
            Llama2cModel.Imported imp = Llama2cModel.read(model);
            Llama2cTokenizer tok = Llama2cTokenizer.read(tokenizer);
            if (tok.vocabSize() != imp.config().vocabSize())
                throw new RiftException(tokenizer + ": has " + tok.vocabSize() + " tokens but " + model + " has a vocabulary of "
                        + imp.config().vocabSize());
            // llama2.c separates documents with BOS, so generation stops at BOS as well as EOS (as run.c does)
            var c = imp.config();
            c = new rift.model.ModelConfig(c.arch(), c.vocabSize(), c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(), c.headDim(),
                    c.intermediateSize(), c.ropeTheta(), c.rmsNormEps(), c.tieWordEmbeddings(), c.maxPositionEmbeddings(), null, false, false,
                    Llama2cTokenizer.BOS, new int[] {Llama2cTokenizer.EOS, Llama2cTokenizer.BOS}, -1, c.initializerRange());
            Backend be = new CpuBackend();
            Weights w = Weights.zeros(c, be);
            for (Map.Entry<String, float[]> e : imp.tensors().entrySet()) be.upload(w.named().get(e.getKey()), e.getValue());
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, ".import-");
            ModelIO.save(tmp, c, w, be, DType.F32);
            tok.writeTo(tmp);
            if (Files.exists(out)) Files.delete(out);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("imported %s (%s, %,d parameters, %d layers, vocab %d) -> %s%n", model, c.arch().modelType, c.parameterCount(),
                    c.numLayers(), c.vocabSize(), out);
        } catch (IOException e) {
            throw new RiftException("rift import: " + e.getMessage());
        }
    }
}
