#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Peer implementations for opteq_bench: what a user would write instead, timed on the same data.

    peers.py basins DIR   vectorised numpy basin map of a 2-D scene (Picard, per-cell stop)
    peers.py train DIR    one epoch of moons in PyTorch as TorchDEQ trains (adjoint in a backward
                          hook), and a decision map of a grid of inputs
    peers.py predict DIR  plain PyTorch fixed-point loop over a batch of inputs (TorchDEQ's
                          naive solver: Z <- tanh(A Z + C) until the batch's largest residual <= tol)
    peers.py fmnist-numpy DIR [EPOCHS]  Fashion-MNIST training (issue #20) in numpy, and
    peers.py fmnist-torch DIR [EPOCHS]  the same in PyTorch: n tanh units, Adam, batch 128, Picard
                          forward and adjoint to tol (the batch's largest column residual), the exact
                          implicit gradient of MATH.md §7, ‖W‖₂ <= max_norm after every step, float64.
                          DIR (written by opteq_train_bench fmnist --peer-dir) holds the initial
                          W, U, b, V, c, settings.npy and data.txt naming the .npy data directory.
                          Prints one JSON line per epoch (seconds of the training steps, iterations
                          per batch, test accuracy).

DIR holds the problem as .npy files written by opteq_bench (W.npy, c.npy / C.npy, grid.npy).
Prints one JSON object: {"seconds": best of the repeats, "iterations": ..., ...}, or
{"skipped": "why"} when numpy / torch is missing. Never needed by the tests or CI.
"""
import json
import os
import sys
import time


def warn_reference_blas():
    """numpy and torch on Debian use whichever libblas.so.3 the alternatives name: without
    libopenblas0-pthread that is the reference BLAS, ~8x slower at these products (a 512x512 by
    512x2048 product: 137 ms against 9 ms with OpenBLAS), which would inflate every ratio."""
    try:
        import numpy  # noqa: F401  (loads the BLAS)
        with open("/proc/self/maps") as maps:
            text = maps.read()
        if not any(name in text for name in ("openblas", "libblis", "libmkl", "atlas")):
            print("peers.py: warning: numpy runs on the reference BLAS; install libopenblas0-pthread "
                  "for a fair peer (ratios against the reference BLAS are ~8x too kind)", file=sys.stderr)
    except (ImportError, OSError):
        pass


def best_of(f, repeats):
    # OPTEQ_PEER_REPEATS=1: one run per call, for benches that alternate rounds with opteq.
    repeats = int(os.environ.get("OPTEQ_PEER_REPEATS", repeats))
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def basins(d):
    import numpy as np
    W = np.load(os.path.join(d, "W.npy"))
    c = np.load(os.path.join(d, "c.npy")).reshape(-1)
    g = np.load(os.path.join(d, "grid.npy")).reshape(-1)   # x0, x1, y0, y1, nx, ny, tol, max_iter
    x0, x1, y0, y1, nx, ny, tol, max_iter = g
    nx, ny, max_iter = int(nx), int(ny), int(max_iter)
    A = W.T @ W

    def run():
        xs = np.linspace(x0, x1, nx)
        ys = np.linspace(y0, y1, ny)
        S, T = np.meshgrid(xs, ys)
        z1 = S.ravel().copy()
        z2 = T.ravel().copy()
        idx = np.arange(z1.size)
        end1 = np.full(z1.size, np.nan)
        end2 = np.full(z1.size, np.nan)
        its = np.zeros(z1.size, dtype=np.int64)
        for k in range(max_iter + 1):
            t1 = np.tanh(A[0, 0] * z1 + A[0, 1] * z2 + c[0])
            t2 = np.tanh(A[1, 0] * z1 + A[1, 1] * z2 + c[1])
            r = np.hypot(t1 - z1, t2 - z2)
            done = (r <= tol) | (k >= max_iter)
            if done.any():
                end1[idx[done]] = z1[done]
                end2[idx[done]] = z2[done]
                its[idx[done]] = k
                keep = ~done
                idx, z1, z2, t1, t2 = idx[keep], z1[keep], z2[keep], t1[keep], t2[keep]
                if idx.size == 0:
                    break
            z1, z2 = t1, t2
        return its

    secs, its = best_of(run, 5)
    return {"seconds": secs, "iterations": int(its.sum()), "cells": int(its.size)}


def predict(d):
    import numpy as np
    import torch
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1)))
    W = torch.from_numpy(np.load(os.path.join(d, "W.npy")))
    C = torch.from_numpy(np.load(os.path.join(d, "C.npy")))   # n × N, one bias column per input
    tol, max_iter = [float(v) for v in np.load(os.path.join(d, "settings.npy")).reshape(-1)]
    A = W.T @ W

    def run():
        with torch.no_grad():
            Z = torch.zeros_like(C)
            k = 0
            for k in range(int(max_iter) + 1):
                TZ = torch.tanh(A @ Z + C)
                res = torch.linalg.vector_norm(TZ - Z, dim=0).max().item()
                if res <= tol:
                    break
                Z = TZ
            return k

    secs, k = best_of(run, 3)
    return {"seconds": secs, "iterations": k, "torch": torch.__version__}


def train(d):
    """One epoch of training as TorchDEQ does it: the forward fixed point without grad, one step
    of f with grad from z*, and the adjoint fixed point g = J^T g + grad in a backward hook
    (vector-Jacobian products by autograd); Adam; W rescaled to max_norm after each step. Then a
    decision map: the forward solve of a grid of inputs in one batch."""
    import numpy as np
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1)))
    P = {k: torch.from_numpy(np.load(os.path.join(d, k + ".npy"))).clone().requires_grad_() for k in ("W", "U", "b", "V", "c")}
    X = torch.from_numpy(np.load(os.path.join(d, "X.npy")))
    y = torch.from_numpy(np.load(os.path.join(d, "y.npy"))).long().reshape(-1)
    G = torch.from_numpy(np.load(os.path.join(d, "grid.npy")))   # 2 × M inputs of the decision map
    tol, max_iter, lr, batch, max_norm = [float(v) for v in np.load(os.path.join(d, "settings.npy")).reshape(-1)]
    W, U, b, V, c = P["W"], P["U"], P["b"], P["V"], P["c"]
    opt = torch.optim.Adam(list(P.values()), lr=lr)
    gen = torch.Generator().manual_seed(1)
    N, B = X.shape[0], int(batch)
    counts = {"forward": 0, "adjoint": 0}

    def solve(step, z, stat):
        for _ in range(int(max_iter)):
            nz = step(z)
            done = torch.linalg.vector_norm(nz - z, dim=0).max().item() <= tol
            z = nz
            counts[stat] += 1
            if done:
                break
        return z

    def epoch():
        perm = torch.randperm(N, generator=gen)
        for i in range(0, N, B):
            idx = perm[i:i + B]
            xb, yb = X[idx].T, y[idx]
            cb = U @ xb + b.reshape(-1, 1)
            f = lambda z: torch.tanh(W.T @ (W @ z) + cb)
            with torch.no_grad():
                zs = solve(f, torch.zeros(W.shape[1], xb.shape[1], dtype=X.dtype), "forward")
            z = f(zs)                                   # re-engage autograd at the fixed point
            z0 = zs.clone().requires_grad_()
            f0 = f(z0)

            def hook(grad):
                # g = J^T g + grad, J = ∂f/∂z at z*: the implicit gradient's adjoint.
                step = lambda g: torch.autograd.grad(f0, z0, g, retain_graph=True)[0] + grad
                return solve(step, grad, "adjoint")

            z.register_hook(hook)
            loss = F.cross_entropy((V @ z + c.reshape(-1, 1)).T, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            with torch.no_grad():
                s = torch.linalg.matrix_norm(W, 2)
                if s > max_norm:
                    W.mul_(max_norm / s)

    def decision_map():
        with torch.no_grad():
            cg = U @ G + b.reshape(-1, 1)
            z = solve(lambda z: torch.tanh(W.T @ (W @ z) + cg), torch.zeros(W.shape[1], G.shape[1], dtype=X.dtype), "forward")
            return (V @ z + c.reshape(-1, 1)).argmax(0)

    epoch()   # warm-up (and Adam's first steps)
    counts["forward"] = counts["adjoint"] = 0
    secs, _ = best_of(epoch, 5)
    iters = dict(counts)
    map_secs, _ = best_of(decision_map, 3)
    with torch.no_grad():
        acc = ((V @ solve(lambda z: torch.tanh(W.T @ (W @ z) + U @ X.T + b.reshape(-1, 1)), torch.zeros(W.shape[1], N, dtype=X.dtype), "forward")
                + c.reshape(-1, 1)).argmax(0) == y).double().mean().item()
    return {"seconds": secs, "map_seconds": map_secs, "train_accuracy": acc, "iterations_5_epochs": iters, "torch": torch.__version__}


def fmnist(d, lib, epochs):
    """The same algorithm as opteq's Trainer, written as a user of numpy or torch would: whole-batch
    Picard loops (stop when the batch's largest column step <= tol), the adjoint the same way, the
    gradient formulas of MATH.md §7, Adam (β1 0.9, β2 0.999, ε 1e-8, bias-corrected), ‖W‖₂ from the
    largest eigenvalue of WᵀW (which the next step needs anyway), W rescaled when above max_norm."""
    import numpy as np
    threads = int(os.environ.get("OMP_NUM_THREADS", "2"))
    ld = lambda k: np.load(os.path.join(d, k + ".npy"))
    tol, max_iter, lr, batch, max_norm, seed = [float(v) for v in ld("settings").reshape(-1)]
    data = open(os.path.join(d, "data.txt")).read().split()
    ddir, limit = data[0], int(data[1])
    X = np.load(os.path.join(ddir, "X_train.npy"))
    y = np.load(os.path.join(ddir, "y_train.npy")).astype(np.int64).reshape(-1)
    Xt = np.load(os.path.join(ddir, "X_test.npy"))
    yt = np.load(os.path.join(ddir, "y_test.npy")).astype(np.int64).reshape(-1)
    if limit > 0:
        X, y = X[:limit], y[:limit]
    # One sample per column, float64 in [0, 1], made once (as opteq's trainer does).
    X = np.ascontiguousarray((X.reshape(X.shape[0], -1) / 255.0 if X.dtype == np.uint8 else X).T, dtype=np.float64)
    Xt = np.ascontiguousarray((Xt.reshape(Xt.shape[0], -1) / 255.0 if Xt.dtype == np.uint8 else Xt).T, dtype=np.float64)
    P = {k: ld(k).astype(np.float64) for k in ("W", "U", "b", "V", "c")}
    P["b"] = P["b"].reshape(-1, 1)
    P["c"] = P["c"].reshape(-1, 1)
    N, B = X.shape[1], int(batch)
    rng = np.random.default_rng(int(seed))
    if lib == "torch":
        import torch
        torch.set_num_threads(threads)
        T = lambda a: torch.from_numpy(np.ascontiguousarray(a))
        X, Xt = T(X), T(Xt)
        y, yt = T(y), T(yt)
        P = {k: T(v) for k, v in P.items()}
        tanh, norm_cols, zeros_like = torch.tanh, (lambda M: torch.linalg.vector_norm(M, dim=0)), torch.zeros_like
        top_eig = lambda A: torch.linalg.eigvalsh(A)[-1].item()
        sqrt, exp = torch.sqrt, torch.exp
        take = lambda M, idx: M[:, T(idx)]
        takev = lambda v, idx: v[T(idx)]
        version = torch.__version__
    else:
        tanh, norm_cols, zeros_like = np.tanh, (lambda M: np.linalg.norm(M, axis=0)), np.zeros_like
        top_eig = lambda A: float(np.linalg.eigvalsh(A)[-1])
        sqrt, exp = np.sqrt, np.exp
        take = lambda M, idx: M[:, idx]
        takev = lambda v, idx: v[idx]
        version = np.__version__
    M = {k: zeros_like(v) for k, v in P.items()}
    S = {k: zeros_like(v) for k, v in P.items()}
    step_count = [0]
    epoch_count = [0]

    def picard(f, z):
        for k in range(1, int(max_iter) + 1):
            nz = f(z)
            done = float(norm_cols(nz - z).max()) <= tol
            z = nz
            if done:
                return z, k
        return z, int(max_iter)

    def forward(A, C):
        return picard(lambda z: tanh(A @ z + C), zeros_like(C))

    def softmax_grad(Yb, yb):
        Yb = Yb - Yb.max(0, keepdims=True) if lib == "numpy" else Yb - Yb.max(0, keepdim=True).values
        p = exp(Yb)
        p = p / p.sum(0)
        p[yb, range(p.shape[1])] -= 1.0
        return p / p.shape[1]

    def epoch():
        W, U, b, V, c = P["W"], P["U"], P["b"], P["V"], P["c"]
        A = W.T @ W
        fw = adj = 0
        # The same batches as opteq when it wrote this epoch's order (train_bench --peer-dir with
        # epochs > 0), else a permutation of our own.
        given = os.path.join(d, "order_%d.npy" % (epoch_count[0] + 1))
        order = np.load(given).reshape(-1).astype(np.int64) if os.path.exists(given) else rng.permutation(N)
        epoch_count[0] += 1
        for i in range(0, N, B):
            idx = order[i:i + B]
            xb, yb = take(X, idx), takev(y, idx)
            C = U @ xb + b                                   # U x + b once per batch
            Z, kf = forward(A, C)
            Vpre = A @ Z + C
            D = 1.0 - tanh(Vpre) ** 2
            dY = softmax_grad(V @ Z + c, yb)
            GZ = V.T @ dY
            G, ka = picard(lambda g: D * (A @ g + GZ), D * GZ)
            fw, adj = fw + kf, adj + ka
            GA = G @ Z.T
            grads = {"W": W @ (GA + GA.T), "U": G @ xb.T, "b": G.sum(1, keepdims=True) if lib == "numpy" else G.sum(1, keepdim=True),
                     "V": dY @ Z.T, "c": dY.sum(1, keepdims=True) if lib == "numpy" else dY.sum(1, keepdim=True)}
            step_count[0] += 1
            t = step_count[0]
            for k, g in grads.items():
                M[k] *= 0.9
                M[k] += 0.1 * g
                S[k] *= 0.999
                S[k] += 0.001 * g * g
                P[k] -= lr * (M[k] / (1 - 0.9 ** t)) / (sqrt(S[k] / (1 - 0.999 ** t)) + 1e-8)
            W = P["W"]
            A = W.T @ W
            s = top_eig(A) ** 0.5
            if s > max_norm:
                W *= max_norm / s
                A *= (max_norm / s) ** 2
            U, b, V, c = P["U"], P["b"], P["V"], P["c"]
        steps = (N + B - 1) // B
        return fw / steps, adj / steps

    def accuracy(Xs, ys):
        W, U, b, V, c = P["W"], P["U"], P["b"], P["V"], P["c"]
        Z, _ = forward(W.T @ W, U @ Xs + b)
        return float(((V @ Z + c).argmax(0) == ys).sum()) / Xs.shape[1]

    for e in range(epochs):
        t0 = time.perf_counter()
        fwb, adjb = epoch()
        secs = time.perf_counter() - t0
        print(json.dumps({"impl": lib, "epoch": e + 1, "seconds": round(secs, 4), "forward_per_batch": round(fwb, 2),
                          "adjoint_per_batch": round(adjb, 2), "test_accuracy": accuracy(Xt, yt), "N": N, "threads": threads,
                          "version": version}), flush=True)
    return None


def main():
    if len(sys.argv) >= 3 and sys.argv[1] in ("fmnist-numpy", "fmnist-torch"):
        try:
            fmnist(sys.argv[2], sys.argv[1].split("-")[1], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
        except ImportError as e:
            print(json.dumps({"skipped": "%s (install python3-numpy / python3-torch)" % e}))
        return 0
    if len(sys.argv) != 3 or sys.argv[1] not in ("basins", "predict", "train"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        result = {"basins": basins, "predict": predict, "train": train}[sys.argv[1]](sys.argv[2])
    except ImportError as e:
        result = {"skipped": "%s (install python3-numpy / python3-torch)" % e}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    warn_reference_blas()
    sys.exit(main())
