"""PyTorch baseline for `train` on Fashion-MNIST: the same recipe, end to end, in one script.

The recipe (gated-sae-tf's quickstart widths, examples/fashion-mnist/train.conf's schedule):
784 -> 6272 gated SAE (paper variant: detached aux decoder, decoder-parallel gradient removed,
unit-norm decoder rows), 468 steps of 256 shuffled rows (2 epochs of 60,000 images scaled to
[0, 1]), Adam (betas 0, 0.999; eps 1e-8), lr 1e-3 with 100 warm-up steps and a cosine decay to
0.1x, lambda 1 reached after 200 steps, global-norm clipping at 1.0, b_dec initialised at the
data mean. Prints the wall time of the training loop and of the whole script.

  /usr/bin/python3 bench/fashion_torch.py [--threads 2] [--data /usr/share/datasets/fashion-mnist]

Debian's python3-torch with libopenblas0-openmp installed (without OpenBLAS torch falls back
to the reference BLAS, about 9x slower).
"""
import argparse
import gzip
import math
import time

T_START = time.perf_counter()
import numpy as np  # noqa: E402
import torch  # noqa: E402


def images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    n, rows, cols = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols).astype(np.float32) / 255.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=468)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--expansion", type=int, default=8)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x_all = torch.from_numpy(images(a.data + "/train-images-idx3-ubyte.gz"))
    N, n = x_all.shape
    m = a.expansion * n
    W_dec = torch.randn(m, n)
    W_dec /= W_dec.norm(dim=1, keepdim=True)
    P = {"W_enc": W_dec.t().contiguous(), "b_gate": torch.zeros(m), "r_mag": torch.zeros(m),
         "b_mag": torch.zeros(m), "W_dec": W_dec, "b_dec": x_all.mean(dim=0)}
    P = {k: torch.nn.Parameter(v) for k, v in P.items()}
    opt = torch.optim.Adam(list(P.values()), lr=1e-3, betas=(0.0, 0.999), eps=1e-8)
    warm, lam_warm, lam_max, lr_max, end_ratio = 100, 200, 1.0, 1e-3, 0.1

    def lr_at(t):
        if t < warm:
            return lr_max * (t + 1) / warm
        frac = (t - warm) / max(1, a.steps - warm)
        return lr_max * (end_ratio + (1 - end_ratio) * 0.5 * (1 + math.cos(math.pi * frac)))

    perm = torch.randperm(N)
    t0 = time.perf_counter()
    for t in range(a.steps):
        start = (t * a.batch) % N
        if start + a.batch > N:
            perm = torch.randperm(N)
            start = 0
        x = x_all[perm[start:start + a.batch]]
        lam = lam_max * min(1.0, (t + 1) / lam_warm)
        for g in opt.param_groups:
            g["lr"] = lr_at(t)
        opt.zero_grad(set_to_none=True)
        x_c = x - P["b_dec"]
        pi = x_c @ P["W_enc"]
        pi_gate = pi + P["b_gate"]
        pi_mag = torch.addcmul(P["b_mag"], pi, P["r_mag"].exp())
        f = (pi_gate > 0).to(x.dtype) * torch.relu(pi_mag)
        x_hat = torch.addmm(P["b_dec"], f, P["W_dec"])
        mse = (x_hat - x).pow(2).sum(dim=-1).mean()
        g_act = torch.relu(pi_gate)
        l1 = lam * (g_act * P["W_dec"].norm(dim=1)).sum(dim=-1).mean()
        aux = (torch.addmm(P["b_dec"].detach(), g_act, P["W_dec"].detach()) - x).pow(2).sum(dim=-1).mean()
        loss = mse + l1 + aux
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(P.values()), 1.0)
        with torch.no_grad():
            Wd, gW = P["W_dec"], P["W_dec"].grad
            gW -= (gW * Wd).sum(dim=1, keepdim=True) * Wd
        opt.step()
        with torch.no_grad():
            P["W_dec"].div_(P["W_dec"].norm(dim=1, keepdim=True))
        if (t + 1) % 100 == 0 or t + 1 == a.steps:
            l0 = (pi_gate > 0).float().sum(dim=-1).mean().item()
            print(f"step {t + 1}/{a.steps} loss={loss.item():.4f} L0={l0:.1f}", flush=True)
    train_s = time.perf_counter() - t0
    print(f"training: {train_s:.1f} s ({a.steps * a.batch / train_s:.0f} tok/s); "
          f"whole script: {time.perf_counter() - T_START:.1f} s; torch {torch.__version__}, "
          f"{a.threads} threads", flush=True)


if __name__ == "__main__":
    main()
