#!/usr/bin/env bash
# The experiment a paper would print (issue #20): on Fashion-MNIST, for the same width n and the
# same epochs, train and evaluate
#   optEq     the OptEq layer z = tanh(WᵀW z + Ux + b), ‖W‖₂ <= 0.95 after every step;
#   explicit  the same layer with W = 0 (max_norm 0): z = tanh(Ux + b), a one-hidden-layer MLP,
#             so the comparison is exact (same code, same data order, same readout);
#   l1-prior  the OptEq layer with an ℓ1 prior on z (weight L1): σ becomes the prox of f + λ|z|,
#             which sets small units exactly to zero (the prior as architecture, MATH.md).
# and writes a Markdown table (test accuracy, parameters, forward iterations per image, the
# fraction of zero entries of z*, seconds per epoch) to OUT (default docs/experiments/results.md).
#
#   docs/experiments/fashion_mnist.sh [EPOCHS=10] [TRAIN_LIMIT=0 (all 60 000)] [N=256] [L1=0.01] [SCHEDULE=constant]
#
# Lesson 16's full-set settings (test accuracy 0.885): docs/experiments/fashion_mnist.sh 10 0 512 0.01 cosine
#
# Needs Debian's dataset-fashion-mnist (or OPTEQ_DATASETS) and a built `opteq` (OPTEQ, default
# build/app/opteq). Settings as the reference: Adam lr 1e-3, batch 128, Picard-family solver
# (Anderson) to 1e-6, the exact implicit gradient (MATH.md §7), seed 1. Deterministic for a
# machine and thread count.
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=${1:-10}
limit=${2:-0}
n=${3:-256}
l1=${4:-0.01}
schedule=${5:-constant}
opteq=${OPTEQ:-build/app/opteq}
out=${OUT:-docs/experiments/results.md}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$opteq" ] || { echo "error: $opteq not found: build first (bash .ci/setup build)" >&2; exit 2; }

# An untrained scene: W, U, b all zero (the trainer draws fresh weights: no readout yet), the
# training settings, and for the ℓ1 variant the regulariser.
scene() {  # name max_norm l1-weight
  python3 - "$1" "$2" "$3" "$n" "$epochs" "$limit" "$schedule" > "$work/$1.opteq.json" <<'PY'
import json, sys
name, max_norm, l1, n, epochs, limit, schedule = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
d = 784
data = {"dataset": "fashion-mnist"}
if limit > 0: data["train_limit"] = limit
model = {"layers": [{"size": n, "activation": {"type": "tanh"}}],
         "W": [[0.0] * n for _ in range(n)], "U": [[0.0] * d for _ in range(n)], "b": [0.0] * n}
if l1 > 0: model["regularizers"] = [{"type": "l1", "weight": l1}]
print(json.dumps({"format": "opteq-scene", "version": 1, "title": "Fashion-MNIST: " + name,
                  "model": model, "input": [0.0] * d,
                  "solver": {"method": "anderson", "tol": 1e-6, "max_iter": 500},
                  "training": {"data": data, "loss": "cross_entropy", "optimizer": "adam", "lr": 1e-3,
                               "batch": 128, "epochs": epochs, "seed": 1, "gradient": "implicit",
                               "max_norm": max_norm, "weight_decay": 0.0, "lr_schedule": schedule}}))
PY
}

scene optEq 0.95 0
scene explicit 0 0
scene l1-prior 0.95 "$l1"

rows=""
for name in optEq explicit l1-prior; do
  echo "== $name: training $epochs epochs" >&2
  "$opteq" train "$work/$name.opteq.json" --out "$work/$name.trained.opteq.json" --log "$work/$name.log.csv" --json > "$work/$name.train.json"
  "$opteq" evaluate "$work/$name.trained.opteq.json" --json > "$work/$name.eval.json"
  rows+=$(python3 - "$work" "$name" "$n" <<'PY'
import csv, json, sys
work, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
e = json.load(open(f"{work}/{name}.eval.json"))
log = list(csv.DictReader(open(f"{work}/{name}.log.csv")))
secs = [float(r["seconds"]) for r in log]
d, K = 784, len(e["per_class_accuracy"])
params = n * d + n + K * n + K + (0 if name == "explicit" else n * n)
per_epoch = " ".join(f"{float(r['test_accuracy']):.3f}" for r in log)
print(f"| {name} | {e['test_accuracy']:.4f} | {params} | {e['iterations_mean']:.1f} | {e['zero_fraction']:.3f} | "
      f"{sum(secs)/len(secs):.1f} (min {min(secs):.1f}) | {per_epoch} |")
PY
)$'\n'
done

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
{
  echo "# Fashion-MNIST: an OptEq layer, the explicit layer (W = 0), and an ℓ1 prior"
  echo
  echo "n = $n tanh units, $epochs epochs, training images: $([ "$limit" -gt 0 ] && echo "first $limit" || echo "all 60 000"), test: all 10 000;"
  echo "Adam lr 1e-3, batch 128, Anderson to 1e-6, exact implicit gradient, seed 1; ℓ1 weight $l1."
  echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores. Written by \`docs/experiments/fashion_mnist.sh $epochs $limit $n $l1\` on $(date -u +%Y-%m-%d)."
  echo
  echo "| layer | test accuracy | parameters | forward iterations per image | zero entries of z* | seconds per epoch | test accuracy per epoch |"
  echo "|---|---|---|---|---|---|---|"
  printf "%s" "$rows"
} > "$out"
cat "$out"
