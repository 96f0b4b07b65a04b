package rift.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rift.io.DType;
import rift.io.NewDirectory;
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
        Llama2cModel.Imported imp = Llama2cModel.read(model);
        Llama2cTokenizer tok = Llama2cTokenizer.read(tokenizer);
        if (tok.vocabSize() != imp.config().vocabSize())
            throw new RiftException(tokenizer + ": has " + tok.vocabSize() + " tokens but " + model + " has a vocabulary of "
                    + imp.config().vocabSize());
        // llama2.c separates documents with BOS, so generation stops at BOS as well as EOS (as run.c does)
        var c0 = imp.config();
        var c = new rift.model.ModelConfig(c0.arch(), c0.vocabSize(), c0.hiddenSize(), c0.numLayers(), c0.numHeads(), c0.numKvHeads(),
                c0.headDim(), c0.intermediateSize(), c0.ropeTheta(), c0.rmsNormEps(), c0.tieWordEmbeddings(), c0.maxPositionEmbeddings(),
                null, false, false, Llama2cTokenizer.BOS, new int[] {Llama2cTokenizer.EOS, Llama2cTokenizer.BOS}, -1, c0.initializerRange());
        Backend be = new CpuBackend();
        Weights w = Weights.zeros(c, be);
        for (Map.Entry<String, float[]> e : imp.tensors().entrySet()) be.upload(w.named().get(e.getKey()), e.getValue());
        NewDirectory.write(out, "--out", dir -> {
            ModelIO.save(dir, c, w, be, DType.F32);
            tok.writeTo(dir);
        });
        System.out.printf("imported %s (%s, %,d parameters, %d layers, vocab %d) -> %s%n", model, c.arch().modelType, c.parameterCount(),
                c.numLayers(), c.vocabSize(), out);
    }
}
