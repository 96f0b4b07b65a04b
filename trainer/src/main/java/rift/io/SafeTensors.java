package rift.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header
 * length N, N bytes of JSON header ({@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, ...}}
 * with offsets relative to the data section and an optional {@code "__metadata__"} string map), padded
 * with spaces, then the raw little-endian tensor bytes. For a model directory (one file, or HF shards plus
 * an index) use {@link TensorStore}.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /**
     * Memory-maps and validates {@code file}. A malformed or hostile file gives a RiftException naming the
     * file and the problem; nothing of the data section is read until a tensor is asked for.
     */
    public static SafeTensorsReader open(Path file) {
        return SafeTensorsReader.open(file);
    }

    /**
     * Writes {@code tensors} in the given order with {@code metadata} as {@code __metadata__} (omitted when
     * empty). The file is written under a temporary name in the same directory, fsynced and renamed over
     * {@code file}, so a crash never leaves a partial file at {@code file}. The output is deterministic.
     */
    public static void write(Path file, List<TensorEntry> tensors, Map<String, String> metadata) {
        SafeTensorsWriter.write(file, tensors, metadata);
    }

    /** {@link #write(Path, List, Map)} with no metadata. */
    public static void write(Path file, List<TensorEntry> tensors) {
        write(file, tensors, Map.of());
    }
}
