#!/usr/bin/env python3
"""Golden outputs from Hugging Face transformers' own Qwen3 / Qwen2 / Llama code, for rift's parity tests.

Run where torch + transformers + safetensors are installed (the GPU machine has them; no GPU is needed):
    python3 hf_golden.py OUT_DIR && tar czf golden.tgz OUT_DIR   (one file to bring back)
For each architecture it writes OUT_DIR/<arch>/ with
  - the model as transformers saves it (config.json, model.safetensors, generation_config.json): tiny, random, fp32
  - golden.safetensors: input_ids [2,T] (int64), attention_mask [2,T] (row 1 left-padded), logits [2,T,V],
    hidden_states.{0..L} [2,T,D] (embedding output first, as transformers returns them), logprobs [2,T-1]
    (log-softmax of logits at t, gathered at input_ids[t+1]), loss [] (mean next-token cross-entropy over
    positions whose target is not padding), grad.<param name> for every parameter (d loss / d param)
  - golden.json: versions, configs and the loss, for humans.
Everything is float32, eager attention, a fixed seed: rerunning gives the same files.
"""
import json, os, sys

import torch
import transformers
from safetensors.torch import save_file

T, V, SEED = 24, 512, 1234


def configs():
    common = dict(vocab_size=V, hidden_size=64, intermediate_size=172, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                  rms_norm_eps=1e-6, rope_theta=10000.0, tie_word_embeddings=False,
                  bos_token_id=1, eos_token_id=2, pad_token_id=0)
    out = {}
    if hasattr(transformers, "Qwen3Config"):
        out["qwen3"] = (transformers.Qwen3Config(head_dim=16, attention_bias=False, **common),
                        transformers.Qwen3ForCausalLM)
        tied = dict(common, tie_word_embeddings=True)
        out["qwen3_tied"] = (transformers.Qwen3Config(head_dim=16, attention_bias=False, **tied),
                             transformers.Qwen3ForCausalLM)
    out["qwen2"] = (transformers.Qwen2Config(**common), transformers.Qwen2ForCausalLM)
    llama = dict(common, rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                       "high_freq_factor": 4.0, "original_max_position_embeddings": 64})
    out["llama3"] = (transformers.LlamaConfig(head_dim=16, **llama), transformers.LlamaForCausalLM)
    return out


def golden(arch, config, cls, root):
    torch.manual_seed(SEED)
    config._attn_implementation = "eager"
    model = cls(config).float().eval()
    d = os.path.join(root, arch)
    model.save_pretrained(d, safe_serialization=True)
    g = torch.Generator().manual_seed(SEED + 1)
    ids = torch.randint(3, V, (2, T), generator=g)
    mask = torch.ones(2, T, dtype=torch.long)
    ids[1, :5] = 0          # row 1: five pad tokens on the left
    mask[1, :5] = 0
    model.zero_grad()
    out = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    logits = out.logits.float()
    lp = torch.log_softmax(logits[:, :-1], dim=-1).gather(-1, ids[:, 1:].unsqueeze(-1)).squeeze(-1)
    valid = mask[:, 1:].bool()
    loss = -(lp * valid).sum() / valid.sum()
    loss.backward()
    tensors = {"input_ids": ids, "attention_mask": mask, "logits": logits.detach(),
               "logprobs": lp.detach(), "loss": loss.detach().reshape(())}
    for i, h in enumerate(out.hidden_states):
        tensors[f"hidden_states.{i}"] = h.detach().float()
    for name, p in model.named_parameters():
        if p.grad is not None:
            tensors[f"grad.{name}"] = p.grad.detach().float()
    # rift addition: the same loss over positions whose query AND target are real tokens (a pad query's
    # output is undefined in transformers and absent in rift), and its gradients
    model.zero_grad()
    out2 = model(input_ids=ids, attention_mask=mask)
    lp2 = torch.log_softmax(out2.logits.float()[:, :-1], dim=-1).gather(-1, ids[:, 1:].unsqueeze(-1)).squeeze(-1)
    valid2 = (mask[:, 1:] * mask[:, :-1]).bool()
    loss2 = -(lp2 * valid2).sum() / valid2.sum()
    loss2.backward()
    tensors["loss_real"] = loss2.detach().reshape(())
    for name, p in model.named_parameters():
        if p.grad is not None:
            tensors[f"grad_real.{name}"] = p.grad.detach().float()
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(d, "golden.safetensors"))
    info = {"arch": arch, "transformers": transformers.__version__, "torch": torch.__version__,
            "seed": SEED, "T": T, "loss": float(loss), "config": config.to_dict()}
    with open(os.path.join(d, "golden.json"), "w") as f:
        json.dump(info, f, indent=1, default=str)
    print(f"{arch}: loss {float(loss):.6f}, {len(tensors)} tensors -> {d}")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "hf_golden"
    os.makedirs(root, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    for arch, (config, cls) in configs().items():
        try:
            golden(arch, config, cls, root)
        except Exception as e:  # one architecture failing must not hide the others
            print(f"{arch}: FAILED {type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
