#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fashion-MNIST training speed (issue #20): opteq against the numpy and PyTorch peers of the same
# algorithm (tests/bench/peers.py fmnist-numpy / fmnist-torch), in alternating rounds (opteq,
# numpy, torch, opteq, …) so that a busy moment does not decide a ratio; prints min and median
# seconds per epoch of each, iterations per batch and test accuracy. All start from the same
# initial weights (written by opteq_train_bench --peer-dir) with the same threads.
#
#   tests/bench/run_train_peers.sh [BUILD_DIR] [DATA_DIR] [LIMIT] [ROUNDS] [EPOCHS] [PEERS] [OPTEQ_ARGS...]
#   e.g. tests/bench/run_train_peers.sh build /tmp/fmnist 10000 3 1 numpy,torch --method anderson
# DATA_DIR holds X_train.npy, y_train.npy, X_test.npy, y_test.npy (uint8 pixels or floats in
# [0, 1]); when it does not, they are made once from the dataset-fashion-mnist package's IDX files
# (under $OPTEQ_DATASETS, default /usr/share/datasets). LIMIT 0 is the full training set.
# Threads: OMP_NUM_THREADS (default 2). The peers take opteq's data order (its first round writes
# each epoch's order, drawn from the same seed every round) so their test accuracy is comparable
# batch for batch; PEER_ORDER=own lets them draw their own permutations instead.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}; data=${2:-/tmp/fmnist}; limit=${3:-10000}; rounds=${4:-3}; epochs=${5:-1}; peers=${6:-numpy,torch}
shift $(( $# < 6 ? $# : 6 ))
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
py=/usr/bin/python3; [ -x "$py" ] || py=python3
bench=${OPTEQ_TRAIN_BENCH:-$build/tests/bench/opteq_train_bench}   # a copy keeps a rebuild out of a run
dir=$(mktemp -d /tmp/opteq-fmnist-peers-XXXXXX)
trap 'rm -rf "$dir"' EXIT
if [ ! -f "$data/X_train.npy" ]; then
  # Once: the Debian package's gzipped IDX files (dataset-fashion-mnist) as uint8 .npy files.
  mkdir -p "$data"
  "$py" - "${OPTEQ_DATASETS:-/usr/share/datasets}/fashion-mnist" "$data" <<'PY'
import gzip, os, sys, numpy as np
src, dst = sys.argv[1], sys.argv[2]
for name, out, offset in [("train-images-idx3-ubyte", "X_train", 16), ("train-labels-idx1-ubyte", "y_train", 8),
                          ("t10k-images-idx3-ubyte", "X_test", 16), ("t10k-labels-idx1-ubyte", "y_test", 8)]:
    a = np.frombuffer(gzip.open(os.path.join(src, name + ".gz")).read(), dtype=np.uint8, offset=offset)
    np.save(os.path.join(dst, out + ".npy"), a.reshape(-1, 784) if offset == 16 else a)
PY
fi
"$bench" fmnist "$data" --limit "$limit" --epochs 0 --peer-dir "$dir" "$@"
out="$dir/results.jsonl"
for r in $(seq 1 "$rounds"); do
  order=(); [ "$r" = 1 ] && [ "${PEER_ORDER:-opteq}" != own ] && order=(--peer-dir "$dir")
  "$bench" fmnist "$data" --limit "$limit" --epochs "$epochs" "${order[@]}" "$@" | grep '^{' | sed "s/^{/{\"round\": $r, /" | tee -a "$out"
  for p in ${peers//,/ }; do
    "$py" "$here/peers.py" "fmnist-$p" "$dir" "$epochs" | sed "s/^{/{\"round\": $r, /" | tee -a "$out"
  done
done
echo "machine: $(lscpu | grep 'Model name' | sed 's/.*: *//'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), OMP_NUM_THREADS=$OMP_NUM_THREADS"
"$py" - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
impls = [i for i in dict.fromkeys(r.get("impl") for r in rows) if i]
ours = [r["seconds"] for r in rows if r.get("impl") == "opteq"]
print("seconds per epoch of the training steps (evaluation excluded); fw/b, adj/b: products per batch, for opteq the")
print("equivalent Σ column iterations / batch (each column stops on its own), for the peers the whole batch's iterations")
print("(they stop when the batch's largest step <= tol)")
print("%-6s %9s %9s %7s %7s %9s" % ("impl", "min", "median", "fw/b", "adj/b", "test acc"))
for i in impls:
    rs = [r for r in rows if r.get("impl") == i]
    t = [r["seconds"] for r in rs]
    last = rs[-1]
    line = "%-6s %9.3f %9.3f %7.2f %7.2f %9.4f" % (i, min(t), statistics.median(t), statistics.mean(r["forward_per_batch"] for r in rs),
                                                  statistics.mean(r["adjoint_per_batch"] for r in rs), last["test_accuracy"])
    if i != "opteq" and ours:
        line += "   opteq is %.1fx (min) / %.1fx (median) faster" % (min(t) / min(ours), statistics.median(t) / statistics.median(ours))
    print(line)
PY
