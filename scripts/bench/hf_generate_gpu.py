#!/usr/bin/env python3
"""GPU peer for `rift bench rollout|decode --device cuda|cuda-bf16` (rift runs it when python3 has torch with CUDA and
transformers): Hugging Face `generate` on a randomly initialised Qwen3ForCausalLM of rift's bench shape, on the GPU,
with no network (the model is built from a config, never downloaded).

The workload is rift's: a batch of random prompts (default 8 x 64 tokens), exactly --new-tokens new tokens each
(min_new_tokens = max_new_tokens, so EOS never ends a row early), sampled at temperature 1 with no top-k/top-p
(--greedy: greedy decoding, rift's `bench decode`), KV cache on, SDPA attention, eager (no torch.compile, no
static cache): plain `model.generate`, the baseline issue 7 names ("rollout decode >= 2x Hugging Face generate").
--dtype bf16 puts the weights in bf16 (rift's cuda-bf16); fp32 keeps them in fp32 (rift's cuda).

Prints one line `RESULT {json}` (kind "gen", mode "sampled" or "greedy") with the median seconds per generate call
and tokens/s = batch x new tokens / seconds. Exits 3 with a message when torch, transformers or a CUDA GPU is missing.
--device cpu runs the same code on the CPU: a smoke test of this script where there is no GPU (`--device cpu --config
tiny --new-tokens 8 --runs 1 --warmup 0`), not a peer.
"""
import argparse, json, statistics, sys, time

# vocab, d_model, layers, q heads, kv heads, head_dim, ffn: rift's BenchConfig and scripts/bench/torch_gpu_train.py
CONFIGS = {"qwen3-0.6b": dict(vocab=151936, d=1024, layers=28, heads=16, kv=8, hd=128, ffn=3072),
           "small": dict(vocab=8192, d=512, layers=8, heads=8, kv=4, hd=64, ffn=1536),
           "tiny": dict(vocab=512, d=256, layers=4, heads=8, kv=4, hd=32, ffn=768)}
BOS, EOS, PAD = 1, 2, 0  # rift's bench model: eos id 2


def build(c, dtype, max_positions, device, torch, Qwen3Config, Qwen3ForCausalLM):
    cfg = Qwen3Config(vocab_size=c["vocab"], hidden_size=c["d"], intermediate_size=c["ffn"], num_hidden_layers=c["layers"],
                      num_attention_heads=c["heads"], num_key_value_heads=c["kv"], head_dim=c["hd"],
                      max_position_embeddings=max_positions, rope_theta=1_000_000.0, rms_norm_eps=1e-6, tie_word_embeddings=False,
                      initializer_range=0.02, attention_bias=False, use_sliding_window=False, bos_token_id=BOS, eos_token_id=EOS,
                      pad_token_id=PAD, use_cache=True)
    try:
        cfg._attn_implementation = "sdpa"
    except Exception:  # older or newer transformers without the setter: its default (sdpa where available)
        pass
    # build straight on the GPU in the target dtype (initialising 0.75 B parameters on the CPU takes tens of seconds)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        with torch.device(device):
            model = Qwen3ForCausalLM(cfg)
    finally:
        torch.set_default_dtype(previous)
    return model.eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default="qwen3-0.6b", choices=sorted(CONFIGS))
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--prompt", type=int, default=64)
    ap.add_argument("--new-tokens", type=int, default=256)
    ap.add_argument("--dtype", default="bf16", choices=["bf16", "fp32"])
    ap.add_argument("--greedy", action="store_true", help="greedy decoding (rift bench decode) instead of sampling at T=1")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"], help="cpu: a smoke test of this script, not a peer")
    a = ap.parse_args()
    try:
        import torch
        import transformers
        from transformers import Qwen3Config, Qwen3ForCausalLM
    except ImportError as e:
        print(f"hf_generate_gpu.py: needs torch (CUDA) and transformers with Qwen3 ({e})", file=sys.stderr)
        sys.exit(3)
    if a.device == "cuda" and not torch.cuda.is_available():
        print(f"hf_generate_gpu.py: torch {torch.__version__} sees no CUDA GPU", file=sys.stderr)
        sys.exit(3)
    if a.batch < 1 or a.prompt < 1 or a.new_tokens < 1 or a.runs < 1 or a.warmup < 0:
        ap.error("--batch, --prompt, --new-tokens and --runs must be >= 1, --warmup >= 0")

    c = CONFIGS[a.config]
    torch.manual_seed(a.seed)
    dtype = torch.bfloat16 if a.dtype == "bf16" else torch.float32
    model = build(c, dtype, a.prompt + a.new_tokens, a.device, torch, Qwen3Config, Qwen3ForCausalLM)
    # random prompt ids above the special ids, as rift's bench draws random prompts
    prompt = torch.randint(3, c["vocab"], (a.batch, a.prompt), device=a.device)
    sync = torch.cuda.synchronize if a.device == "cuda" else (lambda: None)
    mask = torch.ones_like(prompt)
    kw = dict(max_new_tokens=a.new_tokens, min_new_tokens=a.new_tokens, use_cache=True, pad_token_id=PAD, eos_token_id=EOS)
    if a.greedy:
        kw.update(do_sample=False, temperature=None, top_k=None, top_p=None)
    else:
        kw.update(do_sample=True, temperature=1.0, top_k=0, top_p=1.0)  # top_k=0: generate's default is 50

    @torch.inference_mode()
    def once():
        sync()
        t0 = time.perf_counter()
        out = model.generate(input_ids=prompt, attention_mask=mask, **kw)
        sync()
        dt = time.perf_counter() - t0
        if out.shape != (a.batch, a.prompt + a.new_tokens):
            raise SystemExit(f"hf_generate_gpu.py: generate returned shape {tuple(out.shape)}, expected {(a.batch, a.prompt + a.new_tokens)}")
        return dt

    for _ in range(a.warmup):
        once()
    secs = [once() for _ in range(a.runs)]
    t = statistics.median(secs)
    tokens = a.batch * a.new_tokens
    print("RESULT " + json.dumps(dict(
        kind="gen", mode="greedy" if a.greedy else "sampled", config=a.config, dtype=a.dtype, batch=a.batch, prompt=a.prompt,
        new_tokens=a.new_tokens, sec=t, sec_min=min(secs), sec_max=max(secs), tok_per_s=tokens / t, ms_per_token_step=1000 * t / a.new_tokens,
        attn=getattr(model.config, "_attn_implementation", None), torch=torch.__version__, transformers=transformers.__version__,
        gpu=torch.cuda.get_device_name() if a.device == "cuda" else "cpu")), flush=True)


if __name__ == "__main__":
    main()
