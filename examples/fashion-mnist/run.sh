#!/usr/bin/env bash
# Fashion-MNIST worked example: store -> 784 -> 6272 gated SAE -> report with galleries.
#   apt-get install dataset-fashion-mnist      # Debian's copy of the dataset
#   examples/fashion-mnist/run.sh /tmp/fashion # then open /tmp/fashion/run/report/gallery.html
# About 10 minutes on 2 cores (training ~7; see docs/performance.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sae="$here/../../bin/sae"
out="${1:?usage: run.sh OUTPUT_DIR}"
data="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  echo "no Fashion-MNIST in $data: apt-get install dataset-fashion-mnist (or set FASHION_MNIST_DIR)" >&2
  exit 2
fi
mkdir -p "$out"
if [ ! -d "$out/store" ]; then
  "$sae" import-idx --images "$data/train-images-idx3-ubyte.gz" \
    --labels "$data/train-labels-idx1-ubyte.gz" --output "$out/store" \
    --label-names 'T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot'
fi
# train analyses the store and writes run/report: 28x28 galleries are recognised from d_in,
# and train.conf's analyze.label_column tags them MONO/POLY by class name.
"$sae" train --conf "$here/train.conf" --set input.path="$out/store" --set output.path="$out/run"
