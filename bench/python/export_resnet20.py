#!/usr/bin/env python3
"""Trains a CIFAR-style ResNet-20 on Fashion-MNIST with PyTorch and exports checkpoints the way a user of
another framework would hand them to splicelab: one ONNX file per segment (stem, stage1, stage2, head; BatchNorm
kept as separate nodes, opset 13, dynamic batch) and a manifest.json in splicelab's import format, carrying the
descriptive fields real exporters add (format, architecture, input.scale, per-segment shapes and sha256, source).
Each checkpoint is written as <out>/step-<step>.zip. Debian's python3-torch is enough; nothing here is a
dependency of the services.

    /usr/bin/python3 bench/python/export_resnet20.py --out DIR [--checkpoints 6] [--every 50] [--seed 1]
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import struct
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530  # splicelab's fashion-mnist normalisation (DatasetInfo)


class Block(nn.Module):
    """A basic residual block with a projection shortcut (1x1 conv + BN) where the shape changes."""

    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = nn.Identity() if stride == 1 and c_in == c_out else nn.Sequential(
            nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + self.shortcut(x))


class Head(nn.Module):
    def __init__(self, c_in, classes):
        super().__init__()
        self.fc = nn.Linear(c_in, classes)

    def forward(self, x):
        return self.fc(x.mean(dim=(2, 3)))


def resnet20(channels=1, classes=10):
    segments = [("stem", nn.Sequential(nn.Conv2d(channels, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16),
                                       nn.ReLU()))]
    c_in = 16
    for s, c_out in enumerate((16, 32, 64)):
        blocks = []
        for i in range(3):
            blocks.append(Block(c_in, c_out, 2 if s > 0 and i == 0 else 1))
            c_in = c_out
        segments.append((f"stage{s + 1}", nn.Sequential(*blocks)))
    # stage3 and the head form the last segment, so the cuts are the three stage boundaries
    last = segments.pop()
    segments.append(("head", nn.Sequential(last[1], Head(64, classes))))
    return nn.Sequential(__import__("collections").OrderedDict(segments))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def export(model, step, seed, out):
    model.eval()
    files, segments, manifest_segments = {}, [], []
    x = torch.zeros(2, 1, 28, 28)
    for name, segment in model.named_children():
        buf = io.BytesIO()
        with torch.no_grad():
            y = segment(x)
        torch.onnx.export(segment, x, buf, opset_version=13, input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, do_constant_folding=False,
                          training=torch.onnx.TrainingMode.EVAL)
        data = buf.getvalue()
        files[f"{name}.onnx"] = data
        manifest_segments.append({"name": name, "file": f"{name}.onnx", "input": [-1] + list(x.shape[1:]),
                                  "output": [-1] + list(y.shape[1:]), "sha256": hashlib.sha256(data).hexdigest(),
                                  "opset": 13})
        x = y
    manifest = {"format": "splicelab-onnx-segments/1", "architecture": "resnet20-b", "run": f"pytorch-seed{seed}",
                "step": step, "numClasses": 10,
                "input": {"shape": [1, 28, 28], "mean": [MEAN], "std": [STD], "scale": 1 / 255},
                "segments": manifest_segments, "cuts": ["stem", "stage1", "stage2"],
                "source": {"framework": "pytorch", "version": torch.__version__, "dataset": "fashion-mnist"}}
    path = os.path.join(out, f"step-{step:05d}.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, indent=1))
        for name, data in files.items():
            z.writestr(name, data)
    model.train()
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--checkpoints", type=int, default=6)
    p.add_argument("--every", type=int, default=50)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    x = torch.from_numpy(((read_idx(f"{DATA}/train-images-idx3-ubyte.gz").astype(np.float32) / 255 - MEAN) / STD)
                         [:, None].copy())
    y = torch.from_numpy(read_idx(f"{DATA}/train-labels-idx1-ubyte.gz").astype(np.int64))
    model = resnet20()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    rng = np.random.default_rng(a.seed)
    step = 0
    for k in range(a.checkpoints):
        target = k * a.every
        while step < target:
            idx = torch.from_numpy(rng.choice(len(x), a.batch, replace=False))
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        print(f"step {step}: {export(model, step, a.seed, a.out)}", flush=True)


if __name__ == "__main__":
    main()
