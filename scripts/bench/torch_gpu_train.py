#!/usr/bin/env python3
"""PyTorch GPU peer for `rift bench train|logprob --device cuda|cuda-bf16` (rift runs it when python3 has torch with
CUDA): the same Qwen3-style decoder (per-head q/k RMSNorm, GQA, RoPE theta 1e6, SwiGLU, untied LM head, init std
0.02) on random tokens, SDPA (flash) attention, eager mode.
  --what train    one training step at a time: fused AdamW, loss = mean next-token CE. --dtype bf16 (default):
                  bf16 autocast over fp32 parameters; fp32: no autocast.
  --what logprob  GRPO-style log-probs of completions: forward over prompt + completion, log_softmax (fp32), gather
                  (B=4, prompt 64, completion seq - 64, as `rift bench logprob`), under torch.inference_mode;
                  --dtype bf16: the model's weights in bf16.
Prints one line `RESULT {json}` with tokens/s, ms and model TFLOP/s (the FLOP formulas of
shared/bench/torch_cpu_bench.py: train 6 N_nonemb tokens + 12 L H hd T^2 B, forward 2 N_nonemb tokens + 4 L H hd T^2 B).
Exits 3 with a message when torch or a CUDA GPU is missing. --device cpu runs the same code on the CPU (a smoke
test of this script on a machine without a GPU, e.g. `--device cpu --config tiny --runs 1 --warmup 0`; not a peer)."""
import argparse, json, math, statistics, sys, time
try:
    import torch, torch.nn as nn, torch.nn.functional as F
except ImportError as e:
    print(f"torch_gpu_train.py: needs PyTorch with CUDA ({e})", file=sys.stderr)
    sys.exit(3)

CONFIGS = {"qwen3-0.6b": dict(vocab=151936, d=1024, layers=28, heads=16, kv=8, hd=128, ffn=3072, seq=1024, batch=4),
           "small": dict(vocab=8192, d=512, layers=8, heads=8, kv=4, hd=64, ffn=1536, seq=512, batch=4),
           "tiny": dict(vocab=512, d=256, layers=4, heads=8, kv=4, hd=32, ffn=768, seq=256, batch=8)}

class RMSNorm(nn.Module):
    def __init__(self, n): super().__init__(); self.weight = nn.Parameter(torch.ones(n))
    def forward(self, x): return F.rms_norm(x, (x.shape[-1],), self.weight, 1e-6)

def rope(T, hd, dev):
    inv = 1.0 / (1e6 ** (torch.arange(0, hd, 2, device=dev, dtype=torch.float32) / hd))
    f = torch.outer(torch.arange(T, device=dev, dtype=torch.float32), inv)
    e = torch.cat([f, f], -1)
    return e.cos(), e.sin()

def rot(x): a, b = x.chunk(2, -1); return torch.cat([-b, a], -1)

class Block(nn.Module):
    def __init__(s, c):
        super().__init__(); d, H, K, hd, f = c["d"], c["heads"], c["kv"], c["hd"], c["ffn"]
        s.H, s.K, s.hd = H, K, hd
        s.n1, s.n2, s.qn, s.kn = RMSNorm(d), RMSNorm(d), RMSNorm(hd), RMSNorm(hd)
        s.q, s.k, s.v, s.o = nn.Linear(d, H*hd, False), nn.Linear(d, K*hd, False), nn.Linear(d, K*hd, False), nn.Linear(H*hd, d, False)
        s.g, s.u, s.dn = nn.Linear(d, f, False), nn.Linear(d, f, False), nn.Linear(f, d, False)
    def forward(s, x, cos, sin):
        B, T, _ = x.shape
        h = s.n1(x)
        q = s.qn(s.q(h).view(B, T, s.H, s.hd)).transpose(1, 2)
        k = s.kn(s.k(h).view(B, T, s.K, s.hd)).transpose(1, 2)
        v = s.v(h).view(B, T, s.K, s.hd).transpose(1, 2)
        cos, sin = cos.to(q.dtype), sin.to(q.dtype)  # a no-op under autocast; keeps a bf16 model (logprob) in bf16
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        x = x + s.o(a.transpose(1, 2).reshape(B, T, -1))
        h = s.n2(x)
        return x + s.dn(F.silu(s.g(h)) * s.u(h))

class Model(nn.Module):
    def __init__(s, c):
        super().__init__(); s.c = c
        s.emb = nn.Embedding(c["vocab"], c["d"]); s.blocks = nn.ModuleList(Block(c) for _ in range(c["layers"]))
        s.norm = RMSNorm(c["d"]); s.head = nn.Linear(c["d"], c["vocab"], False)
        for m in s.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)): nn.init.normal_(m.weight, std=0.02)
    def forward(s, idx):
        cos, sin = rope(idx.shape[1], s.c["hd"], idx.device)
        x = s.emb(idx)
        for b in s.blocks: x = b(x, cos, sin)
        return s.head(s.norm(x))

def sync(dev):
    if dev == "cuda": torch.cuda.synchronize()

def timed(fn, warmup, runs, dev):
    for _ in range(warmup): fn()
    sync(dev); ts = []
    for _ in range(runs):
        t0 = time.perf_counter(); fn(); sync(dev); ts.append(time.perf_counter() - t0)
    return statistics.median(ts)

def train(a, c, m, dev, bf16):
    opt = torch.optim.AdamW(m.parameters(), lr=1e-4, weight_decay=0.1, fused=True)
    B, T = c["batch"], c["seq"]
    data = torch.randint(0, c["vocab"], (B, T + 1), device=dev)
    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast(dev, dtype=torch.bfloat16, enabled=bf16):
            logits = m(data[:, :-1])
        loss = F.cross_entropy(logits.float().view(-1, c["vocab"]), data[:, 1:].reshape(-1))
        loss.backward(); opt.step(); return loss
    t = timed(step, a.warmup, a.runs, dev)
    n_all = sum(p.numel() for p in m.parameters()); n_mm = n_all - m.emb.weight.numel()
    fl = 6.0 * n_mm * B * T + 12.0 * c["layers"] * c["heads"] * c["hd"] * T * T * B
    return dict(kind="train", params=n_all, tokens_per_step=B * T, ms_per_step=1000 * t, tok_per_s=B * T / t, model_tflops=fl / t / 1e12)

def logprob(a, c, m, dev, bf16):
    B = a.batch or (8 if a.config == "tiny" else 4)
    P = a.prompt
    N = 256 if a.config == "tiny" else c["seq"] - P
    T = P + N
    seq = torch.randint(0, c["vocab"], (B, T), device=dev)
    m.eval()
    if bf16:  # inference peer in bf16 weights (as rift's bf16 storage), not autocast over fp32 parameters
        m = m.to(torch.bfloat16); bf16 = False
    @torch.inference_mode()
    def lp():
        with torch.autocast(dev, dtype=torch.bfloat16, enabled=bf16):
            logits = m(seq[:, :-1])                                     # (B, T-1, V)
        logp = torch.log_softmax(logits[:, P - 1:].float(), dim=-1)     # rows predicting completion tokens
        return logp.gather(-1, seq[:, P:].unsqueeze(-1)).squeeze(-1)    # (B, N)
    t = timed(lp, a.warmup, a.runs, dev)
    n_all = sum(p.numel() for p in m.parameters()); n_mm = n_all - m.emb.weight.numel()
    fl = 2.0 * n_mm * B * (T - 1) + 4.0 * c["layers"] * c["heads"] * c["hd"] * (T - 1) ** 2 * B
    return dict(kind="logprob", batch=B, prompt=P, completion=N, ms=1000 * t, completion_tok_per_s=B * N / t, model_tflops=fl / t / 1e12)

def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--config", default="qwen3-0.6b", choices=sorted(CONFIGS))
    ap.add_argument("--what", default="train", choices=["train", "logprob"])
    ap.add_argument("--dtype", default="bf16", choices=["bf16", "fp32"])
    ap.add_argument("--batch", type=int, default=0, help="logprob: sequences (default 4, tiny 8)")
    ap.add_argument("--prompt", type=int, default=64, help="logprob: prompt tokens")
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"], help="cpu: a smoke test of this script, not a peer")
    ap.add_argument("--runs", type=int, default=5); ap.add_argument("--warmup", type=int, default=2); a = ap.parse_args()
    if a.device == "cuda" and not torch.cuda.is_available():
        print("torch_gpu_train.py: torch " + torch.__version__ + " sees no CUDA GPU", file=sys.stderr); sys.exit(3)
    c = CONFIGS[a.config]; dev = a.device; torch.manual_seed(0)
    with torch.device(dev):
        m = Model(c)
    bf16 = a.dtype == "bf16"
    r = (train if a.what == "train" else logprob)(a, c, m, dev, bf16)
    r.update(config=a.config, dtype=a.dtype, torch=torch.__version__, gpu=torch.cuda.get_device_name() if dev == "cuda" else "cpu")
    print("RESULT " + json.dumps(r), flush=True)

if __name__ == "__main__":
    main()
