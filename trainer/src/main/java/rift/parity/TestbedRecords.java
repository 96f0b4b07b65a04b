package rift.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import rift.data.DataFiles;
import rift.kernels.RiftException;

/** The first records of data/testbed/math_sft.jsonl.gz (prompt, completion, answer): the parity run's data. */
record TestbedRecords(List<String> lines, List<String> prompts, List<String> completions) {
    static final String FILE = "data:testbed/math_sft.jsonl.gz";

    static TestbedRecords read(int count) {
        Path file = DataFiles.resolve(FILE);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>(), prompts = new ArrayList<>(), completions = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line;
            while (lines.size() < count && (line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                JsonNode n = json.readTree(line);
                lines.add(line);
                prompts.add(n.path("prompt").asText());
                completions.add(n.path("completion").asText());
            }
        } catch (IOException e) {
            throw new RiftException(file + ": cannot read the parity data (" + e.getMessage() + ")");
        }
        if (lines.size() < count) throw new RiftException(file + ": has " + lines.size() + " records, the parity run needs " + count);
        return new TestbedRecords(lines, prompts, completions);
    }

    /** Writes the records as one JSONL file (the recipes' data.train). */
    Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve("parity-data.jsonl");
            Files.write(f, lines, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new RiftException(dir + ": cannot write the parity data (" + e.getMessage() + ")");
        }
    }
}
