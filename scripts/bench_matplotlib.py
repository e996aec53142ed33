#!/usr/bin/env python3
"""The article's four figures drawn with matplotlib, as the article draws
them but with theta_0 as the start: the peer sgdplot is measured against.
Usage: bench_matplotlib.py OUTDIR"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def cost(theta):
    return 0.5 * (theta - 1) ** 2 + 0.5


def draw(lr, outdir, epochs=10, init=-1.0):
    thetas = [init]
    for _ in range(epochs):
        thetas.append(thetas[-1] - lr * (thetas[-1] - 1))
    losses = [cost(t) for t in thetas]
    fig = plt.figure(figsize=(10, 10), dpi=100)
    xs = [-1 + 4 * i / 99 for i in range(100)]
    plt.plot(xs, [cost(x) for x in xs])
    plt.plot(thetas, losses, "ro-")
    plt.scatter([1], [0.5], s=300, c="r", marker="*")
    plt.text(1.0, 0.55, "min")
    plt.text(thetas[0] + 0.1, losses[0], "start")
    plt.text(thetas[-1] + 0.1, losses[-1] - 0.05, "end")
    plt.xlabel("theta")
    plt.ylabel("loss")
    plt.title("lr = %g" % lr)
    fig.savefig("%s/lr-%g.png" % (outdir, lr))
    plt.close(fig)


for lr in (0.05, 0.33, 1.87, 2.18):
    draw(lr, sys.argv[1])
