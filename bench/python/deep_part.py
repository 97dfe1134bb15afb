#!/usr/bin/python3
"""PyTorch eager's own deep part against its own convolutions alone: the yardstick for the splicer bench's
"deep compute / its own convolutions alone".

A ResNet-20 (option A shortcuts, as splicelab builds it) on 1x28x28 inputs, random weights and BatchNorm statistics,
eval mode, no grad, 2 threads. For each stage cut (stem, stage1, stage2) the deep part (residual blocks, pooling,
linear head) runs on N features of the cut's shape in batches; then the same convolutions alone, chained. Both in
NCHW and channels-last, with BatchNorm kept and folded into the convolutions (torch.fx's fuser is not in 1.13's
Debian build everywhere, so folding is done by hand). Prints GFLOP/s and the ratio; best of --reps.

    /usr/bin/python3 bench/python/deep_part.py [--n 1000] [--batch 100] [--reps 4]
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from nan_study import Block  # the same ResNet-20 block (option A shortcut) as the NaN study


def fold(conv, bn):
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    folded = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding, bias=True)
    folded.weight.data = conv.weight * scale.reshape(-1, 1, 1, 1)
    folded.bias.data = bn.bias - bn.running_mean * scale
    return folded


def deep_blocks(widths=(16, 32, 64), n=3):
    blocks, cin = [], 16
    for s, w in enumerate(widths):
        for b in range(n):
            blocks.append(Block(cin, w, 2 if s > 0 and b == 0 else 1))
            cin = w
    for blk in blocks:
        for bn in (blk.bn1, blk.bn2):
            bn.running_mean.normal_(0, 0.2)
            bn.running_var.uniform_(0.3, 2.3)
            bn.weight.data.uniform_(0.5, 1.5)
            bn.bias.data.normal_(0, 0.2)
    return [blk.eval() for blk in blocks]


def folded_forward(blocks):
    pairs = [(fold(b.conv1, b.bn1), fold(b.conv2, b.bn2), b) for b in blocks]

    def run(x):
        for c1, c2, b in pairs:
            x = F.relu(c2(F.relu(c1(x))) + b.shortcut(x))
        return x
    return run, [c for p in pairs for c in p[:2]]


def timed(fn, xs, reps):
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        for x in xs:
            fn(x)
        best = min(best, time.perf_counter() - t0)
    return best


@torch.no_grad()
def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--reps", type=int, default=4)
    args = p.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    blocks = deep_blocks()
    head = nn.Linear(64, 10).eval()
    cuts = {"stem": (0, (16, 28, 28)), "stage1": (3, (16, 28, 28)), "stage2": (6, (32, 14, 14))}
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, N={args.n}, batch {args.batch}")
    for layout in ("nchw", "channels-last"):
        for folded in (False, True):
            t_deep = t_conv = flops = 0.0
            for cut, (first, shape) in cuts.items():
                part = blocks[first:]
                if folded:
                    body, convs = folded_forward(part)
                else:
                    body = nn.Sequential(*part)
                    convs = [c for b in part for c in (b.conv1, b.conv2)]
                xs = [torch.randn(args.batch, *shape) for _ in range(args.n // args.batch)]
                if layout == "channels-last":
                    xs = [x.contiguous(memory_format=torch.channels_last) for x in xs]

                def deep(x):
                    return head(F.adaptive_avg_pool2d(body(x), 1).flatten(1))

                def conv_only(x):
                    for c in convs:
                        x = c(x)
                    return x
                deep(xs[0])
                conv_only(xs[0])
                t_deep += timed(deep, xs, args.reps)
                t_conv += timed(conv_only, xs, args.reps)
                h = xs[0]
                for c in convs:
                    h = c(h)
                    flops += 2.0 * c.in_channels * c.kernel_size[0] * c.kernel_size[1] * h[0].numel() * args.n
            print(f"{layout:14s} BatchNorm {'folded' if folded else 'kept  '}: deep part {flops / t_deep / 1e9:6.1f} "
                  f"GFLOP/s, its convolutions alone {flops / t_conv / 1e9:6.1f} GFLOP/s, ratio {t_conv / t_deep:.3f}")


if __name__ == "__main__":
    main()
