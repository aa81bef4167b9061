"""Independent check of the JSON test vectors using only numpy (float64), no torch.

Usage: /usr/bin/python3 verify_vectors.py vectors_caseA_f64.json [...more files]
Recomputes forward, losses, both gradient variants, projections, the Adam steps and renorm from the
stored inputs and prints the max abs difference per stored tensor (and the worst relative one).
A tensor passes if max|mine-ref| <= atol + rtol*max|ref| (f64: 1e-12/1e-12, f32 files: 1e-6/1e-6, i.e. the
float32 torch results are compared with exact float64 math on the same float32-representable inputs).
"""
import json
import sys

import numpy as np

P = ["W_enc", "b_gate", "r_mag", "b_mag", "W_dec", "b_dec"]


def load(path):
    j = json.load(open(path))
    t = {k: np.array(v["data"], dtype=np.float64).reshape(v["shape"]) for k, v in j["tensors"].items()}
    return j["config"], t


def recompute(cfg, t):
    lam = cfg["l1_coefficient"]
    a = cfg["adam"]
    x = t["x"]
    W_enc, b_gate, r_mag, b_mag, W_dec, b_dec = (t[k] for k in P)
    B = x.shape[0]
    out = {}
    e = np.exp(r_mag)
    x_c = x - b_dec
    pi_gate = x_c @ W_enc + b_gate
    gate = (pi_gate > 0).astype(float)
    pi_mag = x_c @ (W_enc * e) + b_mag
    f_mag = np.maximum(pi_mag, 0)
    f = gate * f_mag
    x_hat = f @ W_dec + b_dec
    g = np.maximum(pi_gate, 0)
    norms = np.sqrt((W_dec ** 2).sum(1))
    x_hat_gate = g @ W_dec + b_dec
    out.update(x_c=x_c, pi_gate=pi_gate, f_gate=gate, pi_mag=pi_mag, f_mag=f_mag, f=f, x_hat=x_hat,
               pi_gate_relu=g, W_dec_norms=norms, x_hat_gate=x_hat_gate)
    out["mse_loss"] = np.array(((x_hat - x) ** 2).sum(1).mean())
    out["l1_loss"] = np.array(lam * (g * norms).sum(1).mean())
    out["aux_loss"] = np.array(((x_hat_gate - x) ** 2).sum(1).mean())
    out["total_loss"] = out["mse_loss"] + out["l1_loss"] + out["aux_loss"]
    grads = {}
    for variant, detach in (("saelens", False), ("detach", True)):
        dxh = 2 * (x_hat - x) / B
        ds = 2 * (x_hat_gate - x) / B
        d = {}
        d["W_dec"] = f.T @ dxh + lam * (g.sum(0) / B)[:, None] * W_dec / norms[:, None]
        d["b_dec"] = dxh.sum(0)
        dpm = (dxh @ W_dec.T) * gate * (pi_mag > 0)
        dWm = x_c.T @ dpm
        dpg = (ds @ W_dec.T + lam / B * norms[None, :]) * (pi_gate > 0)
        d["W_enc"] = dWm * e + x_c.T @ dpg
        d["r_mag"] = (dWm * W_enc).sum(0) * e
        d["b_mag"] = dpm.sum(0)
        d["b_gate"] = dpg.sum(0)
        if not detach:
            d["W_dec"] = d["W_dec"] + g.T @ ds
            d["b_dec"] = d["b_dec"] + ds.sum(0)
        d["b_dec"] = d["b_dec"] - (dpm @ (W_enc * e).T + dpg @ W_enc.T).sum(0)
        for k in P:
            out[f"grad.{variant}.{k}"] = d[k]
        out[f"grad.{variant}.total_norm"] = np.array(np.sqrt(sum((v ** 2).sum() for v in d.values())))
        u = W_dec / norms[:, None]
        dp = dict(d)
        dp["W_dec"] = d["W_dec"] - (d["W_dec"] * u).sum(1, keepdims=True) * u
        out[f"grad.{variant}_proj.W_dec"] = dp["W_dec"]
        grads[variant] = d
        grads[variant + "_proj"] = dp
    tn = np.sqrt(sum((v ** 2).sum() for v in grads["saelens"].values()))
    c = min(1.0, 1.0 / (tn + 1e-6))
    grads["saelens_v6"] = {k: v * c for k, v in grads["saelens"].items()}

    def adam(p, gr):  # step 1 from zero state
        m = (1 - a["beta1"]) * gr
        v = (1 - a["beta2"]) * gr * gr
        return p - a["lr"] / (1 - a["beta1"]) * m / (np.sqrt(v) / np.sqrt(1 - a["beta2"]) + a["eps"])

    for variant, gr in grads.items():
        new = {k: adam(t[k], gr[k]) for k in P}
        if variant != "saelens_v6":
            out[f"step.{variant}.W_dec_before_renorm"] = new["W_dec"]
            new["W_dec"] = new["W_dec"] / np.sqrt((new["W_dec"] ** 2).sum(1, keepdims=True))
        for k in P:
            out[f"step.{variant}.{k}"] = new[k]
    return out


def main(paths):
    ok = True
    for path in paths:
        cfg, t = load(path)
        out = recompute(cfg, t)
        skip_rows = cfg["stats"]["detach_proj_ill_conditioned_W_dec_rows"]
        worst_abs, worst_rel, missing, failed = (0.0, ""), (0.0, ""), [], []
        atol, rtol = (1e-12, 1e-12) if cfg["dtype"] == "float64" else (1e-6, 1e-6)
        for k, ref in t.items():
            if k in P or k == "x":
                continue
            if k not in out:
                missing.append(k)
                continue
            mine = out[k]
            if k.startswith("step.detach_proj.W_dec"):
                keep = [i for i in range(ref.shape[0]) if i not in skip_rows]
                mine, ref = mine[keep], ref[keep]
            d = float(np.abs(mine - ref).max())
            scale = float(np.abs(ref).max()) if ref.size else 0.0
            r = d / max(scale, 1e-30)
            if d > atol + rtol * scale:
                failed.append(k)
            if d > worst_abs[0]:
                worst_abs = (d, k)
            if r > worst_rel[0]:
                worst_rel = (r, k)
        status = "OK" if not failed and not missing else "CHECK"
        ok &= status == "OK"
        print(f"{path}: dtype={cfg['dtype']} tensors={len(t)} worst_abs={worst_abs[0]:.3e} ({worst_abs[1]}) "
              f"worst_rel={worst_rel[0]:.3e} ({worst_rel[1]}) missing={missing} failed={failed} -> {status} "
              f"(pass if maxabs <= {atol:g} + {rtol:g}*max|ref| per tensor)")
    return ok


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1:]) else 1)
