"""Speed reference for one full gated-SAE training step in PyTorch (CPU).

One step = zero_grad -> forward (+losses) -> backward -> [optional W_dec grad projection]
           -> torch.optim.Adam.step (betas (0, 0.999), eps 1e-8, lr 1e-3) -> W_dec row renorm.

Examples (run with Debian's python, not pyenv):
  /usr/bin/python3 bench/bench_torch.py                                   # defaults below
  /usr/bin/python3 bench/bench_torch.py --shapes 64,256,4096 --threads 1,2 --impl saelens,fused
  /usr/bin/python3 bench/bench_torch.py --shapes 768,24576,4096 --warmup 1 --steps 10 --json out.json
  /usr/bin/python3 bench/bench_torch.py --blas reference ...   # Netlib reference BLAS (slow)

--impl saelens : literal SAELens 6.18 graph: gate product x_c@W_enc, separate magnitude product
                 x_c@(W_enc*exp(r_mag)), and calculate_aux_loss recomputes x_c@W_enc (3 encoder GEMMs).
--impl fused   : one shared encoder GEMM pi = x_c@W_enc; pi_gate = pi + b_gate,
                 pi_mag = pi*exp(r_mag) + b_mag (same math).
--aux saelens  : aux reconstruction not detached (SAELens); --aux detach : W_dec/b_dec detached (paper).

FLOP accounting (unit U = 2*B*d_in*d_sae flops = one [B,d_in]x[d_in,d_sae]-sized GEMM):
  saelens impl: forward 5 U (gate enc, mag enc, decoder, aux enc, aux decoder)
                backward 8 U with --aux saelens (decoder dF,dW_dec; mag enc dW,dx_c; aux enc dW,dx_c;
                aux decoder dG,dW_dec), 7 U with --aux detach.            -> 13 U / 12 U per step
  fused impl:   forward 3 U, backward 6 U / 5 U                            -> 9 U / 8 U per step
  minimal:      8 U / 7 U (as fused, but grad b_dec through x_c done as a mat-vec:
                db_dec -= (sum_b dPi) @ W_enc^T instead of a full dx_c GEMM)
Element-wise work (Adam, renorm, ReLU, masks, norms) is not counted.

Contention handling: for every step the CPU used by OTHER processes is measured from /proc/stat
(foreign_cores). The median is taken over "clean" steps (foreign_cores < --clean-threshold, default
cores - threads + 0.25, i.e. our threads plus the others fit on the cores) when at
least --steps of them are found within --max-steps post-warm-up steps, otherwise over all measured
steps (reported as used=all). --wait-quiet N waits up to N s for a quiet machine before each config.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

BLAS_DIRS = {"openblas": "/usr/lib/x86_64-linux-gnu/openblas-openmp",
             "reference": "/usr/lib/x86_64-linux-gnu/blas"}


def loaded_blas():
    libs = set()
    with open("/proc/self/maps") as fh:
        for line in fh:
            path = line.split()[-1]
            if "blas" in path or "lapack" in path:
                libs.add(path)
    return sorted(libs)


HZ = os.sysconf("SC_CLK_TCK")


def busy_seconds():
    """Machine-wide non-idle CPU seconds (all cores) from /proc/stat."""
    with open("/proc/stat") as fh:
        v = [int(t) for t in fh.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return (sum(v[:8]) - idle) / HZ


def wait_for_quiet(max_wait_s, threshold, window=2.0):
    """Wait until other processes use < threshold cores over a window (or max_wait_s passes)."""
    t0 = time.perf_counter()
    while True:
        b0, c0, w0 = busy_seconds(), time.process_time(), time.perf_counter()
        time.sleep(window)
        foreign = (busy_seconds() - b0 - (time.process_time() - c0)) / (time.perf_counter() - w0)
        if foreign < threshold or time.perf_counter() - t0 > max_wait_s:
            return foreign, time.perf_counter() - t0


def gemm_units(impl, aux):
    if impl == "saelens":
        return (5, 8 if aux == "saelens" else 7)
    return (3, 6 if aux == "saelens" else 5)


def run_single(a):
    import torch

    torch.set_num_threads(a.threads)
    n, m, B = a.d_in, a.d_sae, a.batch
    torch.manual_seed(a.seed)
    dt = torch.float32
    # SAELens-style init: W_dec random rows, unit norm; W_enc = W_dec^T; biases zero
    W_dec = torch.randn(m, n, dtype=dt)
    W_dec /= W_dec.norm(dim=1, keepdim=True)
    P = {"W_enc": W_dec.t().contiguous(), "b_gate": torch.zeros(m, dtype=dt), "r_mag": torch.zeros(m, dtype=dt),
         "b_mag": torch.zeros(m, dtype=dt), "W_dec": W_dec, "b_dec": torch.zeros(n, dtype=dt)}
    P = {k: torch.nn.Parameter(v) for k, v in P.items()}
    x = torch.randn(B, n, dtype=dt)
    lam = a.l1
    detach = a.aux == "detach"
    opt = torch.optim.Adam(list(P.values()), lr=1e-3, betas=(0.0, 0.999), eps=1e-8)

    def fwd_saelens():
        x_c = x - P["b_dec"]
        pi_gate = x_c @ P["W_enc"] + P["b_gate"]
        f_gate = (pi_gate > 0).to(dt)
        pi_mag = x_c @ (P["W_enc"] * P["r_mag"].exp()) + P["b_mag"]
        f = f_gate * torch.relu(pi_mag)
        x_hat = f @ P["W_dec"] + P["b_dec"]
        mse = torch.nn.functional.mse_loss(x_hat, x, reduction="none").sum(dim=-1).mean()
        x_c2 = x - P["b_dec"]
        g = torch.relu(x_c2 @ P["W_enc"] + P["b_gate"])
        l1 = lam * torch.sum(g * P["W_dec"].norm(dim=1), dim=-1).mean()
        Wd = P["W_dec"].detach() if detach else P["W_dec"]
        bd = P["b_dec"].detach() if detach else P["b_dec"]
        aux = (g @ Wd + bd - x).pow(2).sum(dim=-1).mean()
        return mse + l1 + aux

    def fwd_fused():
        x_c = x - P["b_dec"]
        pi = x_c @ P["W_enc"]
        pi_gate = pi + P["b_gate"]
        pi_mag = torch.addcmul(P["b_mag"], pi, P["r_mag"].exp())
        f = (pi_gate > 0).to(dt) * torch.relu(pi_mag)
        x_hat = torch.addmm(P["b_dec"], f, P["W_dec"])
        mse = (x_hat - x).pow(2).sum(dim=-1).mean()
        g = torch.relu(pi_gate)
        l1 = lam * (g * P["W_dec"].norm(dim=1)).sum(dim=-1).mean()
        Wd = P["W_dec"].detach() if detach else P["W_dec"]
        bd = P["b_dec"].detach() if detach else P["b_dec"]
        aux = (torch.addmm(bd, g, Wd) - x).pow(2).sum(dim=-1).mean()
        return mse + l1 + aux

    fwd = fwd_saelens if a.impl == "saelens" else fwd_fused
    rows = []
    quiet = wait_for_quiet(a.wait_quiet, a.clean_threshold) if a.wait_quiet > 0 else (None, 0.0)
    max_steps = max(a.max_steps, a.steps)
    it = 0
    while True:
        b0 = busy_seconds()
        w0, c0 = time.perf_counter(), time.process_time()
        opt.zero_grad(set_to_none=True)
        loss = fwd()
        w1 = time.perf_counter()
        loss.backward()
        w2 = time.perf_counter()
        if a.proj:
            with torch.no_grad():
                Wd, gW = P["W_dec"], P["W_dec"].grad
                gW -= (gW * Wd).sum(dim=1, keepdim=True) * Wd  # SAELens formula (rows are unit norm)
        opt.step()
        w3 = time.perf_counter()
        with torch.no_grad():
            P["W_dec"].div_(P["W_dec"].norm(dim=1, keepdim=True))
        w4, c4 = time.perf_counter(), time.process_time()
        foreign = (busy_seconds() - b0 - (c4 - c0)) / (w4 - w0)
        rows.append(dict(step=it, wall=w4 - w0, cpu=c4 - c0, fwd=w1 - w0, bwd=w2 - w1, opt=w3 - w2,
                         renorm=w4 - w3, loss=float(loss), foreign_cores=foreign))
        it += 1
        measured = rows[a.warmup:]
        clean = [r for r in measured if r["foreign_cores"] < a.clean_threshold]
        if len(clean) >= a.steps or (len(measured) >= a.steps and it >= a.warmup + max_steps):
            break
    measured = rows[a.warmup:]
    clean = [r for r in measured if r["foreign_cores"] < a.clean_threshold]
    meas = clean if len(clean) >= a.steps else measured
    med = statistics.median(r["wall"] for r in meas)
    kf, kb = gemm_units(a.impl, a.aux)
    U = 2.0 * B * n * m
    kmin = 8 if a.aux == "saelens" else 7
    res = dict(d_in=n, d_sae=m, batch=B, threads=a.threads, impl=a.impl, aux=a.aux, proj=a.proj,
               warmup=a.warmup, steps=a.steps, torch=torch.__version__, blas=loaded_blas(),
               median_step_s=med, min_step_s=min(r["wall"] for r in meas),
               mean_step_s=statistics.mean(r["wall"] for r in meas),
               median_cpu_s=statistics.median(r["cpu"] for r in meas),
               median_fwd_s=statistics.median(r["fwd"] for r in meas),
               median_bwd_s=statistics.median(r["bwd"] for r in meas),
               median_opt_s=statistics.median(r["opt"] for r in meas),
               median_renorm_s=statistics.median(r["renorm"] for r in meas),
               tokens_per_s=B / med, gemm_units_fwd=kf, gemm_units_bwd=kb,
               gflop_per_step_executed=(kf + kb) * U / 1e9,
               gflops_executed=(kf + kb) * U / med / 1e9,
               gflop_per_step_minimal=kmin * U / 1e9, gflops_minimal_equiv=kmin * U / med / 1e9,
               maxrss_gib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20,
               loadavg=os.getloadavg(), first_loss=rows[0]["loss"], last_loss=rows[-1]["loss"],
               n_measured=len(measured), n_clean=len(clean), used="clean" if meas is clean else "all",
               clean_threshold=a.clean_threshold, pre_wait_foreign_cores=quiet[0], pre_wait_s=quiet[1],
               median_foreign_cores_used=statistics.median(r["foreign_cores"] for r in meas),
               median_wall_all_s=statistics.median(r["wall"] for r in measured),
               step_walls=[round(r["wall"], 5) for r in rows],
               step_foreign=[round(r["foreign_cores"], 3) for r in rows])
    print("RESULT " + json.dumps(res), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shapes", default="64,256,4096 768,6144,4096 768,24576,4096",
                    help="space- or ';'-separated d_in,d_sae,batch triples")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--impl", default="saelens,fused", help="comma list of saelens,fused")
    ap.add_argument("--aux", default="saelens", choices=["saelens", "detach"])
    ap.add_argument("--proj", action="store_true", help="remove W_dec grad component parallel to rows before Adam")
    ap.add_argument("--l1", type=float, default=1e-3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-steps", type=int, default=30,
                    help="measure up to this many post-warm-up steps looking for --steps clean ones")
    ap.add_argument("--clean-threshold", type=float, default=-1.0,
                    help="a step is 'clean' if other processes used < this many cores during it; "
                         "default (-1) = cores - threads + 0.25, i.e. no core is oversubscribed")
    ap.add_argument("--wait-quiet", type=float, default=0.0,
                    help="before each configuration wait up to this many seconds for a quiet machine")
    ap.add_argument("--blas", default="system", choices=["system", "openblas", "reference"],
                    help="system = whatever libblas.so.3 alternative is active; others set LD_LIBRARY_PATH")
    ap.add_argument("--json", default=None, help="append results (one JSON object per line) to this file")
    ap.add_argument("--single", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--d_in", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--d_sae", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.single:
        a.threads = int(a.threads)
        if a.clean_threshold < 0:
            a.clean_threshold = max(0.25, (os.cpu_count() or 1) - a.threads + 0.25)
        return run_single(a)
    env = dict(os.environ)
    if a.blas != "system":
        env["LD_LIBRARY_PATH"] = BLAS_DIRS[a.blas] + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    shapes = [tuple(int(v) for v in s.split(",")) for s in a.shapes.replace(";", " ").split()]
    out = []
    for (n, m, B) in shapes:
        for impl in a.impl.split(","):
            for t in a.threads.split(","):
                cmd = [sys.executable, os.path.abspath(__file__), "--single", "--d_in", str(n), "--d_sae", str(m),
                       "--batch", str(B), "--threads", t, "--impl", impl, "--aux", a.aux, "--l1", str(a.l1),
                       "--steps", str(a.steps), "--warmup", str(a.warmup), "--seed", str(a.seed),
                       "--max-steps", str(a.max_steps), "--clean-threshold", str(a.clean_threshold),
                       "--wait-quiet", str(a.wait_quiet)]
                if a.proj:
                    cmd.append("--proj")
                p = subprocess.run(cmd, env=env, capture_output=True, text=True)
                line = [l for l in p.stdout.splitlines() if l.startswith("RESULT ")]
                if p.returncode != 0 or not line:
                    print(f"FAILED shape={n},{m},{B} impl={impl} threads={t} rc={p.returncode}\n{p.stderr[-2000:]}",
                          flush=True)
                    continue
                r = json.loads(line[0][7:])
                r["blas_mode"] = a.blas
                out.append(r)
                print(f"d_in={n:5d} d_sae={m:6d} B={B:5d} impl={impl:7s} aux={a.aux:7s} thr={t} "
                      f"median={r['median_step_s']:.4f}s (fwd {r['median_fwd_s']:.3f} bwd {r['median_bwd_s']:.3f} "
                      f"adam {r['median_opt_s']:.3f} renorm {r['median_renorm_s']:.4f}) cpu={r['median_cpu_s']:.3f}s "
                      f"tok/s={r['tokens_per_s']:.0f} GFLOP/s exec={r['gflops_executed']:.1f} "
                      f"(K={r['gemm_units_fwd'] + r['gemm_units_bwd']}) minimal-equiv={r['gflops_minimal_equiv']:.1f} "
                      f"rss={r['maxrss_gib']:.2f}GiB load={r['loadavg'][0]:.2f} "
                      f"steps used={r['used']} clean={r['n_clean']}/{r['n_measured']} "
                      f"foreign={r['median_foreign_cores_used']:.2f} median_all={r['median_wall_all_s']:.4f}s", flush=True)
                if a.json:
                    with open(a.json, "a") as fh:
                        fh.write(json.dumps(r) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
