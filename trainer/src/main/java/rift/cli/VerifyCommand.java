package rift.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import rift.kernels.RiftException;
import rift.verify.MathVerifier;
import rift.verify.Verdict;
import rift.verify.VerifyMode;

/**
 * {@code rift verify}: checks a response's final answer against a reference and prints the verdict as
 * JSON ({@code correct}, {@code extracted}, {@code normalized}, {@code reason}); with {@code --batch}
 * one verdict line per JSONL record ({@code response}, {@code reference}, optional {@code mode}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a model response's final answer against a reference answer (math or GSM8K) and print the verdict as JSON.")
public final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--response", description = "The model's response text (the answer is taken from it).")
    String response;

    @Option(names = "--reference", description = "The reference answer, or a solution ending in #### N or with a boxed answer.")
    String reference;

    @Option(names = "--mode", defaultValue = "math", description = "math (boxed answer first) or gsm8k (#### N first, then the last number). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--batch", paramLabel = "FILE.jsonl",
            description = "Verify every line of a JSONL file with fields response, reference and optional mode; prints one JSON line per input line.")
    Path batch;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        MathVerifier verifier = new MathVerifier();
        if (batch != null) {
            if (response != null || reference != null) {
                throw new RiftException("rift verify: give either --batch FILE or --response and --reference, not both");
            }
            runBatch(verifier, out);
        } else {
            if (response == null || reference == null) {
                throw new RiftException("rift verify: --response and --reference are both required (or use --batch FILE.jsonl)");
            }
            VerifyMode m = VerifyMode.parse(mode, "rift verify --mode");
            out.println(JSON.writeValueAsString(verifier.verify(response, reference, m)));
        }
        out.flush();
        return 0;
    }

    private void runBatch(MathVerifier verifier, PrintWriter out) throws IOException {
        VerifyMode defaultMode = VerifyMode.parse(mode, "rift verify --mode");
        try (BufferedReader in = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String where = batch + ":" + lineNo;
                JsonNode rec;
                try {
                    rec = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new RiftException(where + ": not valid JSON (" + e.getOriginalMessage()
                            + "); each line must be an object like {\"response\": \"...\", \"reference\": \"...\"}");
                }
                if (rec == null || !rec.isObject()) {
                    throw new RiftException(where + ": expected a JSON object with fields response, reference and optional mode");
                }
                String resp = textField(rec, "response", where);
                String ref = textField(rec, "reference", where);
                VerifyMode m = rec.hasNonNull("mode") ? VerifyMode.parse(textField(rec, "mode", where), where + ": field mode") : defaultMode;
                Verdict v = verifier.verify(resp, ref, m);
                out.println(JSON.writeValueAsString(v));
            }
        } catch (NoSuchFileException e) {
            throw new RiftException("rift verify --batch: file not found: " + batch);
        }
    }

    private static String textField(JsonNode rec, String field, String where) {
        JsonNode n = rec.get(field);
        if (n == null || n.isNull()) {
            throw new RiftException(where + ": missing field \"" + field + "\" (each line needs response and reference strings)");
        }
        // references are sometimes numbers in JSONL files (e.g. AMC answers): accept them as their text
        if (n.isNumber() && !field.equals("response")) return n.asText();
        if (!n.isTextual()) throw new RiftException(where + ": field \"" + field + "\" must be a string, got " + n.getNodeType());
        return n.asText();
    }
}
