/**
 * The paper's drift probes as pure math on arrays (paper.md §4.1-§4.3, Implementable spec items 7-8).
 *
 * <ul>
 *   <li>{@link rift.probe.TokenShift}: KL (k1 estimate), average token rank shift, shifted-token counts,
 *       URIAL buckets and the rank-shift-by-position curve, from per-token log-probs and ranks of the tuned
 *       model's own responses under both models ({@link rift.probe.ScoredResponse}).</li>
 *   <li>{@link rift.probe.PcaShift}: per-layer PCA shift and the centroid distance d, from mean-pooled
 *       hidden states; {@link rift.probe.Pca} is sklearn's PCA in float64 on {@link rift.probe.SymmetricEigen}.</li>
 *   <li>{@link rift.probe.ProbeRunner}: the probes on real models over a suite (the {@code rift probe} command):
 *       the tuned model's greedy responses teacher-forced through both models ({@link rift.probe.TeacherForcing}),
 *       the pooled hidden states of both models on one left-padded batch of texts
 *       ({@link rift.probe.PooledHiddenStates}, flash-attention-2 pad semantics), probes.json
 *       ({@link rift.probe.ProbeJson}) and the printed table ({@link rift.probe.ProbeTable}).</li>
 * </ul>
 *
 * <p>The model-running side belongs to the caller. To reproduce the paper's PCA features exactly: tokenise
 * the K texts (dataset fields joined by two spaces, no chat template) with the BASE tokenizer as one batch,
 * left padding (pad = eos), truncation to 128 tokens, pad to the longest text of the batch; run both models
 * on that same batch; take hidden_states[0..num_layers] (0 = embedding output) including the pad positions,
 * and pool with {@code maskPadding = false}. For the token probes: teacher-force prompt + response through
 * each model and record, for every response token, the natural-log probability and the 1-based rank of the
 * actual token.
 */
package rift.probe;
