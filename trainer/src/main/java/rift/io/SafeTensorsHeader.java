package rift.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * A parsed and fully validated safetensors header: every tensor entry, in header order, and the optional
 * {@code __metadata__} string map. Validation follows the reference implementation and is strict: the
 * tensors must tile the data section exactly (no overlap, no gap, no trailing bytes), so every byte of the
 * file is accounted for and a hostile header can never make a reader touch memory outside the file.
 */
record SafeTensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    /** Largest header accepted (the reference implementation's limit): bigger means a corrupt length prefix. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    // Nested duplicate keys (two "dtype"s in one entry) fail while reading the entry's tree; top-level
    // duplicates are detected by parse() itself so the message can name the tensor.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

    /**
     * Checks the little-endian length prefix {@code n} against the file size; the header is bytes
     * {@code [8, 8 + n)}. {@code file} only labels errors.
     */
    static void checkHeaderLength(String file, long n, long fileSize) {
        if (n < 0) {
            throw fail(file, "the header length prefix is " + Long.toUnsignedString(n)
                    + ", beyond any file (first 8 bytes corrupt or not a safetensors file)");
        }
        if (n > MAX_HEADER_BYTES) {
            throw fail(file, "the header length prefix says " + n + " bytes, over the " + MAX_HEADER_BYTES
                    + "-byte limit (corrupt file or not a safetensors file)");
        }
        if (8 + n > fileSize) {
            throw fail(file, "the header length prefix says " + n + " bytes but the file has only "
                    + (fileSize - 8) + " bytes after the prefix (truncated file?)");
        }
    }

    /**
     * Parses and validates header JSON {@code json} for a data section of {@code dataLength} bytes.
     * Throws RiftException naming {@code file} and the problem.
     */
    static SafeTensorsHeader parse(String file, byte[] json, long dataLength) {
        Map<String, JsonNode> entries = readTopLevel(file, json);
        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>(entries.size());
        for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) metadata = parseMetadata(file, e.getValue());
            else tensors.add(parseTensor(file, e.getKey(), e.getValue(), dataLength));
        }
        checkTiling(file, tensors, dataLength);
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        for (TensorInfo t : tensors) byName.put(t.name(), t);
        return new SafeTensorsHeader(Collections.unmodifiableMap(byName), metadata);
    }

    private static Map<String, JsonNode> readTopLevel(String file, byte[] json) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        try (JsonParser p = MAPPER.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) throw fail(file, "the header is empty (expected a JSON object)");
            if (first != JsonToken.START_OBJECT) {
                throw fail(file, "the header is not a JSON object (expected '{' first)");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                JsonNode value = p.readValueAsTree();
                if (entries.putIfAbsent(key, value) != null) {
                    throw fail(file, "the header names \"" + key + "\" twice (duplicate tensor name)");
                }
            }
            if (t != JsonToken.END_OBJECT) throw fail(file, "the header's JSON object is not closed");
            if (p.nextToken() != null) {
                throw fail(file, "the header has content after its JSON object (padding must be spaces)");
            }
        } catch (JacksonException e) {
            throw fail(file, "the header is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw fail(file, "the header could not be parsed: " + e.getMessage());
        }
        return entries;
    }

    private static Map<String, String> parseMetadata(String file, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw fail(file, "\"__metadata__\" must be a JSON object of strings, found " + kind(node));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw fail(file, "\"__metadata__\" entry \"" + e.getKey() + "\" must be a string, found "
                        + kind(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(out);
    }

    private static TensorInfo parseTensor(String file, String name, JsonNode node, long dataLength) {
        String where = "tensor \"" + name + "\"";
        if (node == null || !node.isObject()) throw fail(file, where + " must be a JSON object, found " + kind(node));
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw fail(file, where + ": \"dtype\" must be a string, found " + kind(dtypeNode));
        }
        DType dtype = DType.parse(dtypeNode.textValue());
        if (dtype == null) {
            throw fail(file, where + ": unknown dtype \"" + dtypeNode.textValue() + "\" (known: " + DType.known() + ")");
        }
        long[] shape = longArray(file, where, "shape", node.get("shape"), -1);
        long numel;
        try {
            numel = TensorInfo.elementCount(shape);
        } catch (ArithmeticException e) {
            throw fail(file, where + ": shape " + Arrays.toString(shape) + " has more elements than a long can count");
        }
        long[] offsets = longArray(file, where, "data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0], end = offsets[1];
        if (begin > end) {
            throw fail(file, where + ": data_offsets [" + begin + ", " + end + "] are reversed (begin > end)");
        }
        if (end > dataLength) {
            throw fail(file, where + ": data_offsets [" + begin + ", " + end + "] end past the data section, which has "
                    + dataLength + " bytes (truncated file?)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(numel, (long) dtype.size());
        } catch (ArithmeticException e) {
            throw fail(file, where + ": shape " + Arrays.toString(shape) + " of " + dtype + " has more bytes than a long can count");
        }
        if (end - begin != expected) {
            throw fail(file, where + ": data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** A JSON array of non-negative integers that fit a long; {@code length} -1 means any length. */
    private static long[] longArray(String file, String where, String field, JsonNode node, int length) {
        if (node == null || !node.isArray()) {
            throw fail(file, where + ": \"" + field + "\" must be an array of non-negative integers, found " + kind(node));
        }
        if (length >= 0 && node.size() != length) {
            throw fail(file, where + ": \"" + field + "\" must have " + length + " entries, found " + node.size());
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw fail(file, where + ": \"" + field + "\" entry " + i + " is " + v
                        + ", not a non-negative integer that fits a long");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /** The tensors must cover [0, dataLength) exactly once, as the format requires. */
    private static void checkTiling(String file, List<TensorInfo> tensors, long dataLength) {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < covered) {
                throw fail(file, "tensor \"" + t.name() + "\" at [" + t.begin() + ", " + t.end()
                        + ") overlaps tensor \"" + previous.name() + "\" at [" + previous.begin() + ", " + previous.end() + ")");
            }
            if (t.begin() > covered) {
                throw fail(file, "data bytes [" + covered + ", " + t.begin() + ") before tensor \"" + t.name()
                        + "\" belong to no tensor (the format requires the data section to be fully indexed)");
            }
            covered = t.end();
            previous = t;
        }
        if (covered != dataLength) {
            throw fail(file, "data bytes [" + covered + ", " + dataLength + ") after the last tensor belong to no tensor"
                    + " (the format requires the data section to be fully indexed)");
        }
    }

    private static String kind(JsonNode node) {
        if (node == null) return "nothing (missing)";
        if (node.isNull()) return "null";
        String text = node.toString();
        if (text.length() > 60) text = text.substring(0, 60) + "...";
        return node.getNodeType().toString().toLowerCase() + " " + text;
    }

    static RiftException fail(String file, String problem) {
        return new RiftException(file + ": bad safetensors file: " + problem);
    }
}
