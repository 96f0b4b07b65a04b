package rift.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test oracle: llama2.c's run.c tokenizer (build_tokenizer / encode / decode) transcribed to Java on
 * raw bytes, with its own file reader, independent of {@link Llama2cTokenizer}.
 */
final class Llama2cReference {
    final byte[][] vocab;
    final float[] scores;
    private final Map<String, Integer> sorted = new HashMap<>();   // str_lookup; keys are bytes as ISO-8859-1

    Llama2cReference(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        in.getInt(); // max_token_length
        List<byte[]> v = new ArrayList<>();
        List<Float> s = new ArrayList<>();
        while (in.hasRemaining()) {
            s.add(in.getFloat());
            byte[] b = new byte[in.getInt()];
            in.get(b);
            v.add(b);
        }
        vocab = v.toArray(new byte[0][]);
        scores = new float[s.size()];
        for (int i = 0; i < scores.length; i++) scores[i] = s.get(i);
        for (int i = 0; i < vocab.length; i++) sorted.put(key(vocab[i]), i);
    }

    private static String key(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private int lookup(byte[] b) {
        Integer id = sorted.get(key(b));
        return id == null ? -1 : id;
    }

    /** run.c encode(): BOS = 1 and EOS = 2 when asked. */
    int[] encode(String text, boolean bos, boolean eos) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[t.length + 3];
        int n = 0;
        if (bos) tokens[n++] = 1;
        if (t.length != 0) tokens[n++] = lookup(new byte[] {' '});
        byte[] buf = new byte[8];
        int len = 0;
        for (int c = 0; c < t.length; c++) {
            if ((t[c] & 0xC0) != 0x80) len = 0;           // ASCII or a leading byte: start a new character
            buf[len++] = t[c];
            boolean nextIsContinuation = c + 1 < t.length && (t[c + 1] & 0xC0) == 0x80;
            if (nextIsContinuation && len < 4) continue;
            int id = lookup(Arrays.copyOf(buf, len));
            if (id != -1) {
                tokens[n++] = id;
            } else {
                for (int i = 0; i < len; i++) tokens[n++] = (buf[i] & 0xFF) + 3;   // byte fallback
            }
            len = 0;
        }
        while (true) {                                    // merge the best-scoring adjacent pair
            float bestScore = -1e10f;
            int bestId = -1, bestIdx = -1;
            for (int i = 0; i < n - 1; i++) {
                byte[] a = vocab[tokens[i]], b = vocab[tokens[i + 1]];
                byte[] ab = Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, ab, a.length, b.length);
                int id = lookup(ab);
                if (id != -1 && scores[id] > bestScore) {
                    bestScore = scores[id];
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx == -1) break;
            tokens[bestIdx] = bestId;
            System.arraycopy(tokens, bestIdx + 2, tokens, bestIdx + 1, n - bestIdx - 2);
            n--;
        }
        if (eos) tokens[n++] = 2;
        return Arrays.copyOf(tokens, n);
    }

    /** run.c decode() over a sequence that starts with BOS: drop a leading space after BOS, raw bytes for <0xXX>. */
    String decodeAfterBos(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = 1;
        for (int id : ids) {
            byte[] piece = vocab[id];
            int from = (prev == 1 && piece.length > 0 && piece[0] == ' ') ? 1 : 0;
            String s = key(piece);
            if (s.matches("<0x[0-9A-F]{2}>")) out.write(Integer.parseInt(s.substring(3, 5), 16));
            else out.write(piece, from, piece.length - from);
            prev = id;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
