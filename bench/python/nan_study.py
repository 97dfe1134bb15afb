#!/usr/bin/env python3
"""The non-finite step study's PyTorch side (issue 12, see bench/README.md): the trainer's network and step in
PyTorch eager, seed after seed, counting steps whose loss or gradients are NaN or infinite and naming the
parameters. The network is splicelab's default ResNet-20 (option A shortcuts: subsample and zero-pad channels)
at a width multiplier, He-normal (fan-in) initialisation as the trainer's Xavier(GAUSSIAN, IN, 2), SGD with
the trainer's defaults (learning rate 0.05, momentum 0.9, L2 weight decay 5e-4), batch 128 in a seeded order,
Fashion-MNIST normalised as splicelab does with the dataset's default augmentation (horizontal flip). A faulty
step is not applied (its gradients are dropped), as in the trainer; the run goes on.

The instruction set is the environment's: ATEN_CPU_CAPABILITY (avx512, avx2; Debian's 1.13 picks AVX2 when
unset) and DNNL_MAX_CPU_ISA (oneDNN 2.6's convolutions; ALL when unset).

    /usr/bin/python3 bench/python/nan_study.py [--seeds 30] [--steps 100] [--width 0.5] [--first-seed 1]
    /usr/bin/python3 bench/python/nan_study.py --kernel REPS IN OUT     (one convolution, NaN in freed memory)
"""
import argparse
import datetime
import gzip
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class Block(nn.Module):
    """A basic block with splicelab's option A shortcut (x[:, :, ::s, ::s], zero channels split around it)."""

    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.stride, self.extra = stride, c_out - c_in

    def shortcut(self, x):
        s = x[:, :, ::self.stride, ::self.stride] if self.stride > 1 else x
        if self.extra > 0:
            before = self.extra // 2
            s = F.pad(s, (0, 0, 0, 0, before, self.extra - before))
        return s

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + self.shortcut(x))


def resnet20(width, channels=1, classes=10):
    w = [max(1, round(c * width)) for c in (16, 32, 64)]
    layers = [nn.Conv2d(channels, w[0], 3, 1, 1, bias=False), nn.BatchNorm2d(w[0]), nn.ReLU()]
    c_in = w[0]
    for s in range(3):
        for b in range(3):
            layers.append(Block(c_in, w[s], 2 if s > 0 and b == 0 else 1))
            c_in = w[s]
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c_in, classes)]
    net = nn.Sequential(*layers)
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return net


def run(seed, steps, width, x, y):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = resnet20(width)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    names = [n for n, _ in model.named_parameters()]
    faults, loss_value = [], float("nan")
    order = rng.permutation(len(x))
    for step in range(1, steps + 1):
        at = (step - 1) * 128 % (len(x) - 128)
        idx = torch.from_numpy(order[at:at + 128])
        xb = x[idx]
        flip = torch.from_numpy(rng.random(128) < 0.5)
        xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
        loss = F.cross_entropy(model(xb), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        bad = [n for n, p in zip(names, model.parameters()) if not torch.isfinite(p.grad).all()]
        if not torch.isfinite(loss) or bad:
            faults.append((step, float(loss), bad))
            continue  # not applied, as in the trainer
        opt.step()
        loss_value = float(loss)
    return faults, loss_value


def kernel(reps, c_in, c_out, dirty):
    """One 3x3 convolution (padding 1, batch 128, 28x28): forward and backward with a random upstream gradient,
    NaN left in freed memory before each repetition (dirty), as NanStudyBench's kernel mode does."""
    torch.manual_seed(1)
    bad = {"output": 0, "weight gradient": 0, "input gradient": 0}
    for _ in range(reps):
        if dirty:
            junk = [torch.full((128, 16, 28, 28), float("nan")) for _ in range(8)]
            del junk
        x = torch.randn(128, c_in, 28, 28, requires_grad=True)
        w = (torch.randn(c_out, c_in, 3, 3) * 0.3).requires_grad_()
        y = F.conv2d(x, w, padding=1)
        bad["output"] += 0 if torch.isfinite(y).all() else 1
        y.backward(torch.randn_like(y))
        bad["weight gradient"] += 0 if torch.isfinite(w.grad).all() else 1
        bad["input gradient"] += 0 if torch.isfinite(x.grad).all() else 1
    return bad


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=30)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--width", type=float, default=0.5)
    p.add_argument("--first-seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--results", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results"))
    p.add_argument("--kernel", nargs=3, type=int, metavar=("REPS", "IN", "OUT"),
                   help="only the one-convolution check, NaN left in freed memory")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.kernel:
        reps, c_in, c_out = a.kernel
        print(f"torch {torch.__version__}, ATEN_CPU_CAPABILITY={os.environ.get('ATEN_CPU_CAPABILITY')}, "
              f"DNNL_MAX_CPU_ISA={os.environ.get('DNNL_MAX_CPU_ISA')}: conv 3x3 pad 1, mb128 ic{c_in} oc{c_out} "
              f"28x28, {reps} repetitions, NaN left in freed memory before each")
        for what, n in kernel(reps, c_in, c_out, True).items():
            print(f"repetitions with a non-finite {what}: {n} of {reps}", flush=True)
        return
    lines = [f"# nan-study-torch, {datetime.datetime.now().isoformat()}, torch {torch.__version__}, "
             f"{torch.get_num_threads()} threads",
             f"# ATEN_CPU_CAPABILITY={os.environ.get('ATEN_CPU_CAPABILITY')}, "
             f"DNNL_MAX_CPU_ISA={os.environ.get('DNNL_MAX_CPU_ISA')}, "
             + [l.strip() for l in torch.__config__.show().splitlines() if "capability" in l][0],
             f"ResNet-20 width {a.width}, fashion-mnist, batch 128, {a.steps} steps, seeds {a.first_seed}.."
             f"{a.first_seed + a.seeds - 1}, SGD lr 0.05 momentum 0.9 weight decay 5e-4, flip"]
    for line in lines:
        print(line, flush=True)
    x = torch.from_numpy(((read_idx(f"{DATA}/train-images-idx3-ubyte.gz").astype(np.float32) / 255 - MEAN) / STD)
                         [:, None].copy())
    y = torch.from_numpy(read_idx(f"{DATA}/train-labels-idx1-ubyte.gz").astype(np.int64))
    faulty, total, start = 0, 0, time.time()
    for seed in range(a.first_seed, a.first_seed + a.seeds):
        t0 = time.time()
        faults, loss = run(seed, a.steps, a.width, x, y)
        faulty += 1 if faults else 0
        total += len(faults)
        line = f"seed {seed:3d}: {len(faults)} non-finite steps, last loss {loss:.4f}, {time.time() - t0:.1f} s" + (
            " " + str([f"step {s}: loss {l}, {len(b)} gradients, first {b[:1]}" for s, l, b in faults])
            if faults else "")
        lines.append(line)
        print(line, flush=True)
    for label, value in (("seeds", a.seeds), ("seeds with a non-finite step", faulty),
                         ("non-finite steps (not applied)", total), ("steps trained", a.seeds * a.steps),
                         ("wall time s", round(time.time() - start, 1))):
        lines.append(f"{label:48s} {value}")
        print(lines[-1], flush=True)
    os.makedirs(a.results, exist_ok=True)
    path = os.path.join(a.results, "nan-study-torch-" + datetime.datetime.now().strftime("%Y%m%d-%H%M%S") + ".txt")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("written to", path)


if __name__ == "__main__":
    main()
