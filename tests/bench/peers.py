#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Peer implementations for opteq_bench: what a user would write instead, timed on the same data.

    peers.py basins DIR   vectorised numpy basin map of a 2-D scene (Picard, per-cell stop)
    peers.py train DIR    one epoch of moons in PyTorch as TorchDEQ trains (adjoint in a backward
                          hook), and a decision map of a grid of inputs
    peers.py predict DIR  plain PyTorch fixed-point loop over a batch of inputs (TorchDEQ's
                          naive solver: Z <- tanh(A Z + C) until the batch's largest residual <= tol)

DIR holds the problem as .npy files written by opteq_bench (W.npy, c.npy / C.npy, grid.npy).
Prints one JSON object: {"seconds": best of the repeats, "iterations": ..., ...}, or
{"skipped": "why"} when numpy / torch is missing. Never needed by the tests or CI.
"""
import json
import os
import sys
import time


def best_of(f, repeats):
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


def main():
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
    sys.exit(main())
