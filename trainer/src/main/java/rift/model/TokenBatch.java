package rift.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch of token sequences, flattened: N tokens, each with its RoPE position, and S sequences given by
 * {@code seqStart} (S+1 offsets, as flash-attention's cu_seqlens). Attention stays inside a sequence,
 * so variable-length batches carry no padding at all and packed documents never see each other.
 * Padded [B, T] batches with an attention mask convert with {@link #fromPadded}.
 */
public record TokenBatch(int[] tokens, int[] positions, int[] seqStart) {

    public TokenBatch {
        if (tokens.length != positions.length) throw new IllegalArgumentException("tokens and positions differ in length");
        if (seqStart.length < 1 || seqStart[0] != 0 || seqStart[seqStart.length - 1] != tokens.length)
            throw new IllegalArgumentException("seqStart must run from 0 to N");
        for (int s = 1; s < seqStart.length; s++)
            if (seqStart[s] < seqStart[s - 1]) throw new IllegalArgumentException("seqStart must not decrease");
    }

    public int size() {
        return tokens.length;
    }

    public int sequences() {
        return seqStart.length - 1;
    }

    public int length(int s) {
        return seqStart[s + 1] - seqStart[s];
    }

    /** Sequences packed one after another; each restarts at position 0. */
    public static TokenBatch of(List<int[]> sequences) {
        int n = 0;
        for (int[] s : sequences) n += s.length;
        int[] tokens = new int[n], pos = new int[n], starts = new int[sequences.size() + 1];
        int at = 0;
        for (int i = 0; i < sequences.size(); i++) {
            int[] s = sequences.get(i);
            System.arraycopy(s, 0, tokens, at, s.length);
            for (int t = 0; t < s.length; t++) pos[at + t] = t;
            at += s.length;
            starts[i + 1] = at;
        }
        return new TokenBatch(tokens, pos, starts);
    }

    public static TokenBatch of(int[]... sequences) {
        return of(List.of(sequences));
    }

    /**
     * A padded batch ids [B][T] with mask [B][T] (1 = real token). Masked tokens are dropped. With
     * {@code positionsFromMask} each row's positions count its real tokens (what generation does);
     * without, a token keeps its column index as position (what a plain transformers forward does).
     */
    public static TokenBatch fromPadded(int[][] ids, int[][] mask, boolean positionsFromMask) {
        List<Integer> tok = new ArrayList<>(), pos = new ArrayList<>();
        int[] starts = new int[ids.length + 1];
        for (int b = 0; b < ids.length; b++) {
            int real = 0;
            for (int t = 0; t < ids[b].length; t++) {
                if (mask[b][t] == 0) continue;
                tok.add(ids[b][t]);
                pos.add(positionsFromMask ? real : t);
                real++;
            }
            starts[b + 1] = tok.size();
        }
        return new TokenBatch(tok.stream().mapToInt(Integer::intValue).toArray(), pos.stream().mapToInt(Integer::intValue).toArray(), starts);
    }

    /** Next-token targets: target[i] = tokens[i+1] inside a sequence, -1 at each sequence's last token. */
    public int[] nextTokenTargets() {
        int[] t = new int[tokens.length];
        for (int s = 0; s < sequences(); s++) {
            for (int i = seqStart[s]; i < seqStart[s + 1]; i++) t[i] = i + 1 < seqStart[s + 1] ? tokens[i + 1] : -1;
        }
        return t;
    }
}
