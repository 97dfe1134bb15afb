"""Writes the ONNX fixtures of the gateway's import tests with PyTorch's own exporter, and the manifest.json an
exporter of a real training script would write next to them (descriptive fields the manifest format does not
know included). Run from this directory with Debian's Python: /usr/bin/python3 make_fixtures.py

  stem.onnx                        Conv 3->4 (3x3, stride 2) + ReLU: [N, 3, 32, 32] -> [N, 4, 16, 16]
  head.onnx                        global average pool + Linear 4->10: [N, 4, 16, 16] -> [N, 10]
  stem-fixed-batch.onnx            stem exported without dynamic axes: [2, 3, 32, 32] -> [2, 4, 16, 16]
  stem-initializers-as-inputs.onnx stem with its weights also listed as graph inputs (older exporters)
  two-inputs.onnx                  x + y: two graph inputs
  manifest.json                    a two-segment checkpoint (stem, head) with sha256 and shapes of each file
"""
import hashlib
import json

import torch

torch.manual_seed(0)


class Stem(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, stride=2, padding=1)

    def forward(self, x):
        return torch.relu(self.conv(x))


class Head(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 10)

    def forward(self, x):
        return self.fc(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(x, 1), 1))


class Add(torch.nn.Module):
    def forward(self, x, y):
        return x + y


def export(module, args, file, inputs, outputs, dynamic=True, **kw):
    axes = {n: {0: "N"} for n in inputs + outputs} if dynamic else None
    torch.onnx.export(module.eval(), args, file, input_names=inputs, output_names=outputs, dynamic_axes=axes,
                      opset_version=13, do_constant_folding=True, **kw)


stem, head = Stem(), Head()
export(stem, torch.zeros(2, 3, 32, 32), "stem.onnx", ["image"], ["features"])
export(head, torch.zeros(2, 4, 16, 16), "head.onnx", ["features"], ["logits"])
export(stem, torch.zeros(2, 3, 32, 32), "stem-fixed-batch.onnx", ["image"], ["features"], dynamic=False)
export(stem, torch.zeros(2, 3, 32, 32), "stem-initializers-as-inputs.onnx", ["image"], ["features"],
       keep_initializers_as_inputs=True)
export(Add(), (torch.zeros(2, 4), torch.zeros(2, 4)), "two-inputs.onnx", ["x", "y"], ["sum"])


def sha256(file):
    with open(file, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


manifest = {
    "format": "splicelab-onnx-segments/1",
    "architecture": "tiny-convnet",
    "source": "gateway/src/test/resources/onnx/make_fixtures.py",
    "exporter": {"name": "torch.onnx", "torch": torch.__version__, "opset": 13},
    "run": "pytorch-export",
    "step": 60,
    "numClasses": 10,
    "input": {"shape": [3, 32, 32], "mean": [0.4914, 0.4822, 0.4465], "std": [0.247, 0.2435, 0.2616],
              "scale": 255, "layout": "NCHW"},
    "segments": [
        {"name": "stem", "file": "stem.onnx", "sha256": sha256("stem.onnx"), "input": ["N", 3, 32, 32],
         "output": [-1, 4, 16, 16], "source": "model.stem", "parameters": 112},
        {"name": "head", "file": "head.onnx", "sha256": sha256("head.onnx"), "input": [None, 4, 16, 16],
         "output": ["N", 10], "source": "model.head"},
    ],
    "cuts": ["stem"],
}
# one field a line, each segment on one line: readable, and a test can replace a shape in it as text
fields = []
for key, value in manifest.items():
    if key == "segments":
        lines = ",\n".join("    " + json.dumps(s) for s in value)
        fields.append('  "segments": [\n' + lines + "\n  ]")
    else:
        fields.append("  " + json.dumps(key) + ": " + json.dumps(value))
with open("manifest.json", "w") as f:
    f.write("{\n" + ",\n".join(fields) + "\n}\n")
