"""Generate gated-SAE test vectors (float64 and float32) with torch autograd.

Usage: /usr/bin/python3 make_vectors.py [outdir]   (run from this folder)
Writes vectors_caseA_f64.json, vectors_caseA_f32.json, vectors_caseB_f64.json, vectors_caseB_f32.json
"""
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gated_ref as G  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
ADAM = dict(lr=1e-3, beta1=0.0, beta2=0.999, eps=1e-8)

CASES = {
    "A": dict(d_in=8, d_sae=32, batch=16, l1_coefficient=0.1, seed=1234, unit_dec=False, margin=1e-3),
    "B": dict(d_in=64, d_sae=256, batch=64, l1_coefficient=1e-3, seed=4321, unit_dec=True, margin=1e-4),
}


def draw(cfg, seed):
    n, m, B = cfg["d_in"], cfg["d_sae"], cfg["batch"]
    g = torch.Generator().manual_seed(seed)
    rn = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)  # noqa: E731
    x = rn(B, n) + 0.2
    b_dec = 0.2 * rn(n)
    W_enc = rn(n, m) / math.sqrt(n)
    b_gate = 0.3 * rn(m)
    r_mag = 0.3 * rn(m)
    b_mag = 0.3 * rn(m)
    W_dec = rn(m, n)
    W_dec = W_dec / W_dec.norm(dim=1, keepdim=True)
    if not cfg["unit_dec"]:
        W_dec = W_dec * (0.5 + torch.rand(m, 1, generator=g, dtype=torch.float64))
    # engineered features: 0 = gate never open, 1 = gate always open, 2 = gate open but magnitude <= 0
    b_gate[0] = -4.0
    b_gate[1] = 4.0
    b_gate[2] = 4.0
    b_mag[2] = -4.0
    p = dict(W_enc=W_enc, b_gate=b_gate, r_mag=r_mag, b_mag=b_mag, W_dec=W_dec, b_dec=b_dec)
    # round everything to float32-representable values so both files share identical inputs
    p = {k: v.float().double() for k, v in p.items()}
    return x.float().double(), p


def margins(x, p):
    out = G.forward_saelens(p, x, 0.0)
    return float(out["pi_gate"].abs().min()), float(out["pi_mag"].abs().min())


def compute(x, p, lam, dtype):
    x = x.to(dtype)
    p = {k: v.to(dtype) for k, v in p.items()}
    res = {"x": x}
    res.update(p)
    out_s, grads_s = G.autograd(p, x, lam, aux_detach=False)
    out_d, grads_d = G.autograd(p, x, lam, aux_detach=True)
    for k in ["x_c", "pi_gate", "f_gate", "pi_mag", "f_mag", "f", "x_hat", "pi_gate_relu",
              "W_dec_norms", "x_hat_gate", "mse_loss", "l1_loss", "aux_loss", "total_loss"]:
        assert torch.equal(out_s[k], out_d[k])
        res[k] = out_s[k]
    variants = {}
    for name, grads in (("saelens", grads_s), ("detach", grads_d)):
        for k in G.PARAM_NAMES:
            res[f"grad.{name}.{k}"] = grads[k]
        res[f"grad.{name}.total_norm"] = torch.norm(torch.stack([torch.norm(g) for g in grads.values()]))
        gp = dict(grads)
        gp["W_dec"] = G.remove_parallel_component(p["W_dec"], grads["W_dec"])
        res[f"grad.{name}_proj.W_dec"] = gp["W_dec"]
        variants[name] = (grads, True)
        variants[name + "_proj"] = (gp, True)
    clipped, _ = G.clip_grad_norm(grads_s, 1.0)
    variants["saelens_v6"] = (clipped, False)
    for vname, (grads, renorm) in variants.items():
        new = {k: G.adam_first_step(p[k], grads[k], **ADAM) for k in G.PARAM_NAMES}
        if renorm:
            res[f"step.{vname}.W_dec_before_renorm"] = new["W_dec"]
            new["W_dec"] = G.renorm_rows(new["W_dec"])
        for k in G.PARAM_NAMES:
            res[f"step.{vname}.{k}"] = new[k]
    return res, (out_s, grads_s, grads_d)


def check_against_torch_optim(p, grads, dtype):
    """Confirm adam_first_step == torch.optim.Adam and clip == torch clip_grad_norm_ (bitwise)."""
    leaf = {k: torch.nn.Parameter(v.to(dtype).clone()) for k, v in p.items()}
    for k in G.PARAM_NAMES:
        leaf[k].grad = grads[k].to(dtype).clone()
    opt = torch.optim.Adam(list(leaf.values()), lr=ADAM["lr"], betas=(ADAM["beta1"], ADAM["beta2"]), eps=ADAM["eps"])
    opt.step()
    worst = 0.0
    for k in G.PARAM_NAMES:
        mine = G.adam_first_step(p[k].to(dtype), grads[k].to(dtype), **ADAM)
        worst = max(worst, float((mine - leaf[k].detach()).abs().max()))
    leaf2 = {k: torch.nn.Parameter(v.to(dtype).clone()) for k, v in p.items()}
    for k in G.PARAM_NAMES:
        leaf2[k].grad = grads[k].to(dtype).clone()
    torch.nn.utils.clip_grad_norm_(list(leaf2.values()), 1.0)
    mine, _ = G.clip_grad_norm({k: grads[k].to(dtype) for k in G.PARAM_NAMES}, 1.0)
    worst_clip = max(float((mine[k] - leaf2[k].grad).abs().max()) for k in G.PARAM_NAMES)
    return worst, worst_clip


def stats(res):
    pg = res["pi_gate"]
    pm = res["pi_mag"]
    gate = pg > 0
    return {
        "frac_gate_open": float(gate.double().mean()),
        "frac_gate_open_and_mag_positive": float((gate & (pm > 0)).double().mean()),
        "frac_gate_open_but_mag_nonpositive": float((gate & (pm <= 0)).double().mean()),
        "features_never_open_in_batch": int((~gate).all(0).sum()),
        "features_always_open_in_batch": int(gate.all(0).sum()),
        "min_abs_pi_gate": float(pg.abs().min()),
        "min_abs_pi_mag": float(pm.abs().min()),
        "W_dec_row_norm_min": float(res["W_dec_norms"].min()),
        "W_dec_row_norm_max": float(res["W_dec_norms"].max()),
    }


def to_json(res, cfg, dtype_name, extra):
    tensors = {}
    for k, v in res.items():
        v = v.detach()
        tensors[k] = {"shape": list(v.shape), "data": [float(a) for a in v.reshape(-1).tolist()]}
    config = dict(cfg)
    config.update(extra)
    config["dtype"] = dtype_name
    return {"config": config, "tensors": tensors}


def main():
    os.makedirs(OUT, exist_ok=True)
    summary = {}
    for cname, cfg in CASES.items():
        seed = cfg["seed"]
        while True:
            x, p = draw(cfg, seed)
            mg, mm = margins(x, p)
            if min(mg, mm) > cfg["margin"]:
                break
            seed += 1
        lam = cfg["l1_coefficient"]
        res64, (out64, gs64, gd64) = compute(x, p, lam, torch.float64)
        res32, _ = compute(x, p, lam, torch.float32)
        # independent manual backward (numpy float64) vs autograd float64
        man = {}
        for name, det, ag in (("saelens", False, gs64), ("detach", True, gd64)):
            losses, mg_ = G.manual_grads_np({k: v.numpy() for k, v in p.items()}, x.numpy(), lam, det)
            man[f"grad_{name}_max_abs_diff_manual_vs_autograd_f64"] = max(
                float(np.abs(mg_[k] - ag[k].numpy()).max()) for k in G.PARAM_NAMES)
            man["loss_max_abs_diff_manual_vs_autograd_f64"] = max(
                abs(losses[k] - float(out64[k])) for k in losses)
        adam_diff64, clip_diff64 = check_against_torch_optim(p, gs64, torch.float64)
        adam_diff32, clip_diff32 = check_against_torch_optim(p, {k: v for k, v in ((k, res32[f"grad.saelens.{k}"]) for k in G.PARAM_NAMES)}, torch.float32)
        # float32 vs float64 differences per tensor (guides tolerances)
        f32_vs_f64 = {}
        for k in res64:
            a, b = res32[k].double(), res64[k]
            d = float((a - b).abs().max()) if a.numel() else 0.0
            scale = float(b.abs().max()) if b.numel() else 0.0
            f32_vs_f64[k] = {"max_abs_diff": d, "max_abs_ref": scale}
        # Adam-step sensitivity: elements whose f32 update differs from f64 update by > 1e-6
        adam_sens = {}
        for k in res64:
            if k.startswith("step."):
                adam_sens[k] = int(((res32[k].double() - res64[k]).abs() > 1e-6).sum())
        st = stats(res64)
        f_dead = (res64["f"] == 0).all(0)
        g_alive = (res64["pi_gate_relu"] != 0).any(0)
        st["detach_proj_ill_conditioned_W_dec_rows"] = [int(i) for i in torch.nonzero(f_dead & g_alive).flatten()]
        st["note_ill_conditioned"] = ("rows j with f[:,j]==0 for the whole batch but relu(pi_gate)[:,j]!=0: in the "
                                      "'detach' variant their W_dec gradient is purely the l1 norm term, which is parallel "
                                      "to w_j, so the projected gradient is 0 in exact arithmetic; roundoff residue "
                                      "(~1e-17 f64, ~1e-8 f32) is amplified by Adam's g/(|g|+eps), so step.detach_proj.W_dec "
                                      "rows listed here are not meaningful to compare across precisions")
        common = {
            "case": cname, "seed_used": seed,
            "adam": dict(ADAM, weight_decay=0.0, amsgrad=False, step=1, state="zero-initialised"),
            "apply_b_dec_to_input": True,
            "layout": "row-major; x [batch,d_in], W_enc [d_in,d_sae], W_dec [d_sae,d_in]",
            "inputs_identical_across_f32_f64_files": True,
            "stats": st,
            "torch_version": torch.__version__,
            "grad_variants": {
                "saelens": "aux reconstruction NOT detached (SAELens 6.18.0 gated_sae.py calculate_aux_loss)",
                "detach": "aux reconstruction uses W_dec.detach(), b_dec.detach() (paper / brief)",
                "*_proj": "W_dec grad with component parallel to each row removed: g - (g.u)u, u=w/|w|",
            },
            "step_variants": {
                "detach": "Adam(grad.detach) then W_dec rows renormalised to unit norm",
                "detach_proj": "Adam(grad.detach with W_dec grad projected) then renorm",
                "saelens": "Adam(grad.saelens) then renorm",
                "saelens_proj": "Adam(grad.saelens with W_dec grad projected) then renorm",
                "saelens_v6": "clip_grad_norm_(all grads, 1.0) then Adam(grad.saelens), NO renorm (SAELens v6 trainer)",
            },
        }
        checks = dict(man, adam_vs_torch_optim_max_abs_diff_f64=adam_diff64,
                      adam_vs_torch_optim_max_abs_diff_f32=adam_diff32,
                      clip_vs_torch_max_abs_diff_f64=clip_diff64, clip_vs_torch_max_abs_diff_f32=clip_diff32)
        j64 = to_json(res64, cfg, "float64", dict(common, checks=checks))
        j32 = to_json(res32, cfg, "float32", dict(common, f32_vs_f64=f32_vs_f64,
                                                    adam_elements_f32_vs_f64_absdiff_gt_1em6=adam_sens))
        for dname, j in (("f64", j64), ("f32", j32)):
            path = os.path.join(OUT, f"vectors_case{cname}_{dname}.json")
            with open(path, "w") as fh:
                json.dump(j, fh)
        summary[cname] = dict(seed=seed, stats=st, checks=checks,
                              losses64={k: float(res64[k]) for k in ["mse_loss", "l1_loss", "aux_loss", "total_loss"]},
                              losses32={k: float(res32[k]) for k in ["mse_loss", "l1_loss", "aux_loss", "total_loss"]},
                              grad_norm64={v: float(res64[f"grad.{v}.total_norm"]) for v in ("saelens", "detach")},
                              f32_vs_f64_worst={k: v for k, v in f32_vs_f64.items() if not k.startswith("step.")},
                              adam_sens=adam_sens)
    with open(os.path.join(OUT, "vectors_summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)
    print(json.dumps({c: {k: v for k, v in s.items() if k not in ("f32_vs_f64_worst",)} for c, s in summary.items()}, indent=1))


if __name__ == "__main__":
    main()
