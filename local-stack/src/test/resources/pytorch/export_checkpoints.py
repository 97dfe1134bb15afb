"""Trains a tiny ResNet with PyTorch, exports its checkpoints as splicelab imports and splices them itself.

For local-stack's EndToEndIT, run with Debian's /usr/bin/python3 (torch 1.13, onnx, numpy). The test writes the
training images and the splicer's evaluation subset as .npy files; this script

  * trains a ResNet-8-like network (widths w, 2w, 4w; one basic block per stage, a 1x1-convolution shortcut where the
    shape changes) with SGD and saves checkpoints at the given steps;
  * exports each checkpoint as one ONNX file per segment (torch.onnx.export, opset 13, BatchNorm kept as
    BatchNormalization nodes: eval mode, training=TrainingMode.PRESERVE, no constant folding) plus manifest.json, in
    the documented format (contract ImportManifest, with each segment's sha256 and shapes, which the import checks,
    and the descriptive format, architecture and source), zipped as step-<8 digits>.zip;
  * computes PyTorch's own hybrid grid of the checkpoints on the evaluation subset (every cut, every ordered pair,
    the splicer's metrics, and per image the predicted class and logit margin) into expected.json.

Segments: stem (conv-BN-ReLU), stage1, stage2, head (stage 3, global average pool, linear); cuts stem, stage1,
stage2. The network takes its own normalisation of the pixels (MEAN, STD), not the dataset's: the splicer converts.
"""
import argparse
import copy
import hashlib
import io
import json
import os
import sys
import zipfile

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from torch import nn

CUTS = ["stem", "stage1", "stage2"]
SEGMENTS = CUTS + ["head"]
MEAN = [0.05, -0.03, 0.02]
STD = [1.2, 0.9, 1.1]
OPSET = 13


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class Head(nn.Module):
    def __init__(self, cin, cout, classes):
        super().__init__()
        self.block = BasicBlock(cin, cout, 2)
        self.fc = nn.Linear(cout, classes)

    def forward(self, x):
        y = self.block(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1))


def network(channels, width, classes):
    """The segments, in order, as one ModuleList (the network is their composition)."""
    return nn.ModuleList([
        nn.Sequential(nn.Conv2d(channels, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU()),
        BasicBlock(width, width, 1),
        BasicBlock(width, 2 * width, 2),
        Head(2 * width, 4 * width, classes),
    ])


def run(segments, x, start=0, stop=None):
    for segment in list(segments)[start:stop]:
        x = segment(x)
    return x


def normalised(pixels):
    mean = torch.tensor(MEAN, dtype=torch.float32).view(1, -1, 1, 1)
    std = torch.tensor(STD, dtype=torch.float32).view(1, -1, 1, 1)
    return (pixels - mean) / std


def export_segment(segment, example):
    """One segment as ONNX bytes: one input with a symbolic batch dimension, one output, BatchNorm nodes kept."""
    buffer = io.BytesIO()
    torch.onnx.export(segment, example, buffer, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}}, opset_version=OPSET,
                      do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE)
    model = onnx.load_from_string(buffer.getvalue())
    onnx.checker.check_model(model)
    ops = {node.op_type for node in model.graph.node}
    if "BatchNormalization" not in ops:
        sys.exit("the exported segment lost its BatchNorm nodes: " + str(sorted(ops)))
    if len(model.graph.input) != 1 or len(model.graph.output) != 1:
        sys.exit("a segment must have one input and one output")
    return buffer.getvalue()


def export_checkpoint(segments, step, run_name, shape, classes, width, out):
    segments.eval()
    files = {}
    declared = []
    x = torch.zeros((2,) + tuple(shape))
    for name, segment in zip(SEGMENTS, segments):
        data = export_segment(segment, x)
        files[name + ".onnx"] = data
        with torch.no_grad():
            y = segment(x)
        # what the import checks before it stores anything: the file's SHA-256, its input and output shapes
        declared.append({"name": name, "file": name + ".onnx", "sha256": hashlib.sha256(data).hexdigest(),
                         "input": ["N"] + list(x.shape[1:]), "output": ["N"] + list(y.shape[1:])})
        x = y
    manifest = {"format": "splicelab-onnx-segments/1", "architecture": "resnet8 (widths %d/%d/%d)" % (width, 2 * width, 4 * width),
                "run": run_name, "step": step, "numClasses": classes,
                "input": {"shape": list(shape), "mean": MEAN, "std": STD},
                "segments": declared, "cuts": CUTS,
                "source": {"framework": "pytorch", "version": torch.__version__, "exporter": "torch.onnx.export",
                           "opset": OPSET, "script": "local-stack EndToEndIT"}}
    path = os.path.join(out, "step-%08d.zip" % step)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name, data in files.items():
            z.writestr(name, data)
    return path


def log_softmax(logits):
    z = logits.astype(np.float64)
    m = z.max(axis=1, keepdims=True)
    return z - (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))


def predictions(hybrid):
    """Per image: the predicted class (the first largest logit) and the top-1 minus the top-2 logit, in float32."""
    top2 = np.sort(hybrid, axis=1)[:, -2:]
    return [{"predicted": int(p), "logitMargin": float(m)}
            for p, m in zip(hybrid.argmax(axis=1), (top2[:, 1] - top2[:, 0]).astype(np.float32))]


def metrics(hybrid, labels, deep, shallow_pred, feats_a, feats_b):
    """The splicer's metrics of one cell (splicer-service HybridMetrics and RunGrid), from float32 logits."""
    h = hybrid.argmax(axis=1)
    d = deep.argmax(axis=1)
    accuracy = float((h == labels).mean())
    deep_accuracy = float((d == labels).mean())
    log_h = log_softmax(hybrid)
    log_d = log_softmax(deep)
    out = {
        "accuracy": accuracy,
        "agreementDeep": float((h == d).mean()),
        "agreementShallow": float((h == shallow_pred).mean()),
        "crossEntropy": float(-log_h[np.arange(len(labels)), labels].mean()),
        "klDeep": float((np.exp(log_d) * (log_d - log_h)).sum(axis=1).mean()),
    }
    # splicelab's chance rule (docs/science.md section 2): no relative accuracy when the deep donor is not above
    # chance, 1/K, by more than two standard errors sqrt(p (1 - p) / n)
    chance = 1.0 / hybrid.shape[1]
    at_chance = deep_accuracy <= chance + 2.0 * np.sqrt(chance * (1.0 - chance) / len(labels))
    if deep_accuracy > 0 and not at_chance:
        out["relativeAccuracy"] = accuracy / deep_accuracy
    a = feats_a.astype(np.float64)
    b = feats_b.astype(np.float64)
    norm = float((b * b).sum())
    out["relativeFeatureDistance"] = 0.0 if norm == 0 else float(np.sqrt(((a - b) ** 2).sum() / norm))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="directory of train-images.npy, train-labels.npy, eval-images.npy, "
                   "eval-labels.npy (images normalised with the dataset's mean and std, NCHW float32)")
    p.add_argument("--dataset-mean", required=True, help="the dataset's per-channel mean, comma-separated")
    p.add_argument("--dataset-std", required=True, help="the dataset's per-channel std, comma-separated")
    p.add_argument("--out", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--steps", default="0,30,60")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--width", type=int, default=4)
    p.add_argument("--seed", type=int, default=11)
    args = p.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    steps = sorted({int(s) for s in args.steps.split(",")})
    os.makedirs(args.out, exist_ok=True)
    dmean = torch.tensor([float(v) for v in args.dataset_mean.split(",")]).view(1, -1, 1, 1)
    dstd = torch.tensor([float(v) for v in args.dataset_std.split(",")]).view(1, -1, 1, 1)

    def load(name):
        return np.load(os.path.join(args.data, name))

    # the pixels, then this network's own normalisation of them
    train_x = normalised(torch.from_numpy(load("train-images.npy")) * dstd + dmean)
    train_y = torch.from_numpy(load("train-labels.npy").astype(np.int64))
    eval_x = normalised(torch.from_numpy(load("eval-images.npy")) * dstd + dmean)
    eval_y = load("eval-labels.npy").astype(np.int64)
    shape = tuple(train_x.shape[1:])

    segments = network(shape[0], args.width, args.classes)
    optimizer = torch.optim.SGD(segments.parameters(), lr=0.05, momentum=0.9)
    order = torch.Generator().manual_seed(args.seed)
    snapshots = {}
    zips = []
    step = 0
    batch = 32
    perm = torch.randperm(len(train_y), generator=order)
    at = 0
    while True:
        if step in steps:
            snapshots[step] = copy.deepcopy(segments).eval()
            zips.append(export_checkpoint(segments, step, args.run, shape, args.classes, args.width, args.out))
        if step >= steps[-1]:
            break
        if at + batch > len(perm):
            perm = torch.randperm(len(train_y), generator=order)
            at = 0
        idx = perm[at:at + batch]
        at += batch
        segments.train()
        loss = F.cross_entropy(run(segments, train_x[idx]), train_y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1

    cells = []
    with torch.no_grad():
        plain = {s: run(n, eval_x).numpy() for s, n in snapshots.items()}
        for cut_index, cut in enumerate(CUTS, start=1):
            feats = {s: run(n, eval_x, 0, cut_index) for s, n in snapshots.items()}
            for a in steps:
                for b in steps:
                    hybrid = run(snapshots[b], feats[a], cut_index).numpy()
                    cells.append({"cut": cut, "shallowStep": a, "deepStep": b, "samples": int(len(eval_y)),
                                  "metrics": metrics(hybrid, eval_y, plain[b], plain[a].argmax(axis=1),
                                                     feats[a].numpy(), feats[b].numpy()),
                                  "predictions": predictions(hybrid)})
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump({"run": args.run, "steps": steps, "cuts": CUTS, "zips": [os.path.basename(z) for z in zips],
                   "cells": cells}, f, indent=1)
    print("exported %d checkpoints of %s and %d cells of PyTorch's own grid to %s"
          % (len(zips), args.run, len(cells), args.out))


if __name__ == "__main__":
    main()
