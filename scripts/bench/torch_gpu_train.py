#!/usr/bin/env python3
"""PyTorch peer for `rift bench train --device cuda-bf16`: the same Qwen3-style decoder (per-head q/k RMSNorm,
GQA, RoPE theta 1e6, SwiGLU, untied LM head, init std 0.02) trained one step at a time on random tokens:
bf16 autocast over fp32 parameters, SDPA (flash) attention, fused AdamW, loss = mean next-token CE.
Prints one line `RESULT {json}` with tokens/s, ms/step and model TFLOP/s (the FLOP formula of
shared/bench/torch_cpu_bench.py: 6 N_nonemb tokens + 12 L H hd T^2 B)."""
import argparse, json, math, statistics, time
import torch, torch.nn as nn, torch.nn.functional as F

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

def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--config", default="qwen3-0.6b"); ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2); a = ap.parse_args()
    c = CONFIGS[a.config]; dev = "cuda"; torch.manual_seed(0)
    m = Model(c).to(dev)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-4, weight_decay=0.1, fused=True)
    B, T = c["batch"], c["seq"]
    data = torch.randint(0, c["vocab"], (B, T + 1), device=dev)
    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            logits = m(data[:, :-1])
        loss = F.cross_entropy(logits.float().view(-1, c["vocab"]), data[:, 1:].reshape(-1))
        loss.backward(); opt.step(); return loss
    for _ in range(a.warmup): step()
    torch.cuda.synchronize(); ts = []
    for _ in range(a.runs):
        t0 = time.perf_counter(); step(); torch.cuda.synchronize(); ts.append(time.perf_counter() - t0)
    n_all = sum(p.numel() for p in m.parameters()); n_mm = n_all - m.emb.weight.numel()
    fl = 6.0 * n_mm * B * T + 12.0 * c["layers"] * c["heads"] * c["hd"] * T * T * B
    t = statistics.median(ts)
    print("RESULT " + json.dumps(dict(kind="train", config=a.config, torch=torch.__version__, gpu=torch.cuda.get_device_name(),
        params=n_all, tokens_per_step=B * T, ms_per_step=1000 * t, tok_per_s=B * T / t, model_tflops=fl / t / 1e12)))

if __name__ == "__main__":
    main()
