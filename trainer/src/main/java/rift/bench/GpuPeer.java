package rift.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPU peers in scripts/bench, PyTorch on the same GPU as rift, run as child processes like {@link Peer}:
 * torch_gpu_train.py (train, logprob) and hf_generate_gpu.py (Hugging Face generate: rollout, decode).
 * When python3 with torch and CUDA is missing the peer is skipped with the exact command to run by hand.
 */
final class GpuPeer {
    private GpuPeer() {}

    static final String TRAIN = "torch_gpu_train.py", GENERATE = "hf_generate_gpu.py";

    /** The RESULT object of kind {@code kind}, or null (after saying why on stderr). */
    static JsonNode run(String python, String script, String kind, String... args) {
        Path path = Peer.locateAbove("scripts/bench/" + script);
        List<String> cmd = new ArrayList<>();
        cmd.add(python);
        cmd.add(path == null ? "scripts/bench/" + script : path.toString());
        cmd.addAll(List.of(args));
        if (path == null) {
            System.err.println("rift bench: scripts/bench/" + script + " not found (run from the checkout or set rift.home); the GPU peer is: "
                    + String.join(" ", cmd));
            return null;
        }
        System.err.println("rift bench: running the GPU peer: " + String.join(" ", cmd));
        for (JsonNode n : Peer.runCommand(cmd, "The GPU peer needs python3 with torch (CUDA) and, for generate, transformers;"
                + " pass --peer-python PATH, or run the command above by hand"))
            if (n.path("kind").asText().equals(kind)) return n;
        System.err.println("rift bench: the GPU peer gave no " + kind + " result; to run it by hand: " + String.join(" ", cmd));
        return null;
    }
}
