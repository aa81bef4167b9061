"""Per-step time of distributed training against the number of executors: a cost model.

docs/scaling.md explains it. Weak scaling: every executor has CORES cores and 4096 rows per
step, one Spark partition per core (gsae's default), so a step's global batch is 4096 E. The
constants are gsae's costs measured on the project's machine (2-core Intel Xeon, AVX-512,
loopback network; docs/performance.md), per core unless said:

  FLOPS   66.8e9  dense-floor FLOP/s of the training step per core (bench: 14,161 tok/s on
                  2 threads at 768 x 6144, batch 4096; a step's cost scales with d_in d_sae)
  MERGE   3.0e9   bytes/s a task adds float32 arrays (local-mode reduction: 37.7 MB in ~5 ms
                  on 2 threads)
  CODE    1.0e9   bytes/s a task turns float32 arrays into block bytes or back (gradient
                  slices: 18.9 MB in 15-47 ms)
  UPDATE  0.26e9  parameters/s of clip + projection + Adam + renorm per core (the driver's
                  update: 9.4 M parameters in 18 ms on 2 threads)
  JOB     0.06    seconds of Spark scheduling per job on a standalone cluster (local mode:
                  0.02); plus 1 ms per task the driver launches

Paths:
  driver  (gsae before #15) the driver broadcasts the parameters (torrent: about G out of the
          driver), receives every partition's gradient (P G in through one NIC), merges
          them on one core and updates all parameters on its cores; one job.
  sharded (gsae now) all-gather G into every executor, reduce-scatter: each executor sends its
          CORES partitions' slices and receives its shards' slices (CORES G each way per
          executor, whatever E), every shard task merges P slices of G/S and updates P/S
          parameters; the driver moves numbers only; three jobs (two without clipping).

  python3 bench/scaling_model.py            # the tables of docs/scaling.md
  python3 bench/scaling_model.py --cores 1  # the local-cluster check of docs/scaling.md
"""
import argparse

FLOPS, MERGE, CODE, UPDATE, JOB, PER_TASK = 66.8e9, 3.0e9, 1.0e9, 0.26e9, 0.06, 0.001
SHAPES = [(2304, 16384), (2304, 65536), (3072, 131072)]
EXECUTORS = [1, 2, 4, 8, 16, 32, 64, 128, 256]


def params(n, m):
    return 2 * n * m + 3 * m + n


def compute(n, m, cores, rows):
    return rows * 2 * n * m / (FLOPS * cores)


def driver_path(n, m, e, cores, rows, gbit, driver_cores):
    g = 4 * params(n, m)
    w = gbit * 1e9 / 8
    p = e * cores
    net = g / w + (p * g / w if e > 1 else 0)   # broadcast out; gradients in (local: in memory)
    merge = p * g / MERGE
    update = params(n, m) / (UPDATE * driver_cores)
    return compute(n, m, cores, rows) + net + merge + update + JOB + PER_TASK * p


def sharded_path(n, m, e, cores, rows, gbit, jobs=3):
    g = 4 * params(n, m)
    w = gbit * 1e9 / 8
    p = e * cores
    remote = (e - 1) / e
    # per executor, full duplex: in = its shards' slices from other executors + all-gather
    net = (cores * g * remote + g * remote) / w
    code = 2 * g / CODE            # a task encodes its gradient; decodes the gathered parameters
    merge = g / MERGE              # a shard task adds P slices of G/S (S = P)
    update = params(n, m) / (UPDATE * p)
    return compute(n, m, cores, rows) + net + code + merge + update + jobs * (JOB + PER_TASK * p)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--cores", type=int, default=8, help="cores per executor (default 8)")
    a.add_argument("--rows", type=int, default=4096, help="rows per executor per step")
    a.add_argument("--driver-cores", type=int, default=8)
    o = a.parse_args()
    for n, m in SHAPES:
        g = 4 * params(n, m)
        c = compute(n, m, o.cores, o.rows)
        print(f"\n{n} x {m}: {params(n, m) / 1e6:.1f} M parameters, gradient {g / 1e6:.0f} MB, "
              f"compute {c:.2f} s per step ({o.cores} cores, {o.rows} rows per executor)")
        print("| executors | driver 10 Gbit | driver 25 Gbit | sharded 10 Gbit | sharded 25 Gbit |"
              " sharded 25 Gbit, efficiency |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        for e in EXECUTORS:
            d10 = driver_path(n, m, e, o.cores, o.rows, 10, o.driver_cores)
            d25 = driver_path(n, m, e, o.cores, o.rows, 25, o.driver_cores)
            s10 = sharded_path(n, m, e, o.cores, o.rows, 10)
            s25 = sharded_path(n, m, e, o.cores, o.rows, 25)
            print(f"| {e} | {d10:.2f} s | {d25:.2f} s | {s10:.2f} s | {s25:.2f} s | {c / s25:.2f} |")


if __name__ == "__main__":
    main()
