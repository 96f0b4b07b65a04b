package rift.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * Reads a llama2.c model file (the legacy v0 format of Karpathy's run.c: seven int32 header fields
 * dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size (negative = separate classifier),
 * seq_len, then fp32 arrays) into Hugging Face Llama tensors. llama2.c applies RoPE to adjacent pairs;
 * transformers rotates the two halves of each head, so q and k rows are permuted exactly as
 * transformers' convert_llama_weights_to_hf does, which makes both layouts compute the same function.
 */
public final class Llama2cModel {
    private Llama2cModel() {}

    public record Imported(ModelConfig config, Map<String, float[]> tensors) {}

    public static Imported read(Path file) {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < 28) throw new RiftException(file + ": too short for a llama2.c model (needs a 28-byte header)");
            if (ch.size() > Integer.MAX_VALUE) throw new RiftException(file + ": llama2.c files over 2 GiB are not supported");
            buf = ByteBuffer.allocate((int) ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining()) if (ch.read(buf) < 0) break;
            buf.flip();
        } catch (IOException e) {
            throw new RiftException(file + ": cannot read (" + e.getMessage() + ")");
        }
        int dim = buf.getInt(), hidden = buf.getInt(), layers = buf.getInt(), heads = buf.getInt(), kvHeads = buf.getInt(),
                vocabRaw = buf.getInt(), seqLen = buf.getInt();
        boolean shared = vocabRaw > 0;
        int vocab = Math.abs(vocabRaw);
        if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocab == 0 || seqLen <= 0 || dim % heads != 0
                || heads % kvHeads != 0)
            throw new RiftException(file + ": implausible llama2.c header (dim " + dim + ", hidden " + hidden + ", layers " + layers
                    + ", heads " + heads + "/" + kvHeads + ", vocab " + vocabRaw + ", seq_len " + seqLen + "); is this a llama2.c .bin?");
        int hd = dim / heads, kvDim = kvHeads * hd;
        long need = (long) vocab * dim + layers * (2L * dim + 2L * dim * dim + 2L * dim * kvDim + 3L * dim * hidden) + dim
                + (long) seqLen * hd + (shared ? 0 : (long) vocab * dim);
        if (buf.remaining() / 4 < need)
            throw new RiftException(file + ": has " + buf.remaining() / 4 + " floats after the header, the header implies " + need);
        ModelConfig c = new ModelConfig(ModelConfig.Arch.LLAMA, vocab, dim, layers, heads, kvHeads, hd, hidden, 10000.0, 1e-5f, shared,
                seqLen, null, false, false, 1, new int[] {2}, -1, 0.02);
        var fb = buf.asFloatBuffer();
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("model.embed_tokens.weight", take(fb, (long) vocab * dim));
        float[][] attNorm = split(take(fb, (long) layers * dim), layers);
        float[][] wq = split(take(fb, (long) layers * dim * dim), layers);
        float[][] wk = split(take(fb, (long) layers * kvDim * dim), layers);
        float[][] wv = split(take(fb, (long) layers * kvDim * dim), layers);
        float[][] wo = split(take(fb, (long) layers * dim * dim), layers);
        float[][] ffnNorm = split(take(fb, (long) layers * dim), layers);
        float[][] w1 = split(take(fb, (long) layers * hidden * dim), layers);
        float[][] w2 = split(take(fb, (long) layers * dim * hidden), layers);
        float[][] w3 = split(take(fb, (long) layers * hidden * dim), layers);
        float[] finalNorm = take(fb, dim);
        take(fb, (long) seqLen * hd); // freq_cis_real and freq_cis_imag (seq_len x hd/2 each): RoPE is recomputed
        float[] cls = shared ? null : take(fb, (long) vocab * dim);
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            t.put(p + "input_layernorm.weight", attNorm[l]);
            t.put(p + "self_attn.q_proj.weight", pairsToHalves(wq[l], heads, hd, dim));
            t.put(p + "self_attn.k_proj.weight", pairsToHalves(wk[l], kvHeads, hd, dim));
            t.put(p + "self_attn.v_proj.weight", wv[l]);
            t.put(p + "self_attn.o_proj.weight", wo[l]);
            t.put(p + "post_attention_layernorm.weight", ffnNorm[l]);
            t.put(p + "mlp.gate_proj.weight", w1[l]);
            t.put(p + "mlp.down_proj.weight", w2[l]);
            t.put(p + "mlp.up_proj.weight", w3[l]);
        }
        t.put("model.norm.weight", finalNorm);
        if (!shared) t.put("lm_head.weight", cls);
        return new Imported(c, t);
    }

    private static float[] take(java.nio.FloatBuffer fb, long n) {
        float[] a = new float[Math.toIntExact(n)];
        fb.get(a);
        return a;
    }

    private static float[][] split(float[] all, int parts) {
        int each = all.length / parts;
        float[][] out = new float[parts][];
        for (int i = 0; i < parts; i++) out[i] = java.util.Arrays.copyOfRange(all, i * each, (i + 1) * each);
        return out;
    }

    /**
     * Output rows of each head, ordered as adjacent pairs (2i, 2i+1), reordered to halves: new row j < hd/2
     * takes old row 2j, new row hd/2 + j takes old row 2j + 1.
     */
    static float[] pairsToHalves(float[] w, int heads, int hd, int in) {
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++)
            for (int j = 0; j < hd / 2; j++) {
                System.arraycopy(w, (h * hd + 2 * j) * in, out, (h * hd + j) * in, in);
                System.arraycopy(w, (h * hd + 2 * j + 1) * in, out, (h * hd + hd / 2 + j) * in, in);
            }
        return out;
    }
}
