/**
 * Benchmarks of the training step (docs/architecture.md §8): tokens/s, GFLOP/s against the dense
 * floor of one encoder GEMM, the measured SGEMM throughput of this machine, L0 and memory peaks.
 */
package org.gsae.core.bench;
