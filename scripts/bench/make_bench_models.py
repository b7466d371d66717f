#!/usr/bin/python3
"""ONNX models with the exact architectures of the OpenCV dnn_superres peers (../shared/peers/models),
with random weights: for speed comparisons on the same network only (their output is noise).

  /usr/bin/python3 scripts/bench/make_bench_models.py [--out out/bench-models]

Writes, for scale in 2, 3, 4 (layers read from the peers' TensorFlow graphs; TF 'SAME' padding):
  fsrcnn_xS.onnx        FSRCNN d=56 s=12 m=4: conv5x5 1->56, conv1x1 56->12, 4x conv3x3 12->12,
                        conv1x1 12->56 (PReLU after each), conv1x1 56->S*S, depth-to-space (as the
                        peer FSRCNN_xS.pb: its last layer is a sub-pixel convolution, not a deconvolution)
  fsrcnn-small_xS.onnx  FSRCNN-small d=32 s=5 m=1, same layout (FSRCNN-small_xS.pb)
  espcn_xS.onnx         ESPCN: conv5x5 1->64 ReLU, conv3x3 64->32 ReLU, conv3x3 32->S*S,
                        depth-to-space, tanh (ESPCN_xS.pb)
  fsrcnn-deconv_xS.onnx FSRCNN as in the paper: the same body, last layer ConvTranspose 9x9,
                        stride S, pads 4, output_padding S-1 (no OpenCV peer file has it)
All take and give one channel (luma) and carry vsr.colour=y, vsr.scale, vsr.arch in metadata_props,
so the engine runs them on the Y plane. Needs Debian's python3-torch and python3-onnx."""
import argparse
import os

import onnx
import torch
from torch import nn


class Fsrcnn(nn.Module):
    def __init__(self, scale, d, s, m, deconv):
        super().__init__()
        layers = [nn.Conv2d(1, d, 5, padding=2), nn.PReLU(d), nn.Conv2d(d, s, 1), nn.PReLU(s)]
        for _ in range(m):
            layers += [nn.Conv2d(s, s, 3, padding=1), nn.PReLU(s)]
        layers += [nn.Conv2d(s, d, 1), nn.PReLU(d)]
        if deconv:
            layers += [nn.ConvTranspose2d(d, 1, 9, stride=scale, padding=4, output_padding=scale - 1)]
        else:
            # The peer: conv without bias, depth-to-space, then one bias value; a bias per phase with
            # one shared value is the same arithmetic.
            conv = nn.Conv2d(d, scale * scale, 1)
            with torch.no_grad():
                conv.bias.fill_(conv.bias[0].item())
            layers += [conv, nn.PixelShuffle(scale)]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body(x)


class Espcn(nn.Module):
    def __init__(self, scale):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 64, 5, padding=2), nn.ReLU(), nn.Conv2d(64, 32, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(32, scale * scale, 3, padding=1), nn.PixelShuffle(scale), nn.Tanh())

    def forward(self, x):
        return self.body(x)


def export(model, path, scale, arch):
    model.eval()
    # Distinct slopes per channel, as trained weights have: the engine runs a PRelu whose slopes are
    # all equal (PyTorch's initial 0.25) as a cheaper LeakyRelu, which would flatter the timing.
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.PReLU):
                m.weight.uniform_(0.0, 0.5)
    x = torch.rand(1, 1, 24, 32)
    torch.onnx.export(model, x, path, opset_version=13, input_names=['input'], output_names=['output'],
                      dynamic_axes={'input': {2: 'height', 3: 'width'}, 'output': {2: 'out_height', 3: 'out_width'}})
    m = onnx.load(path)
    for key, value in (('vsr.colour', 'y'), ('vsr.scale', str(scale)), ('vsr.range', '0-1'),
                       ('vsr.arch', arch), ('vsr.trained_on', 'random weights (speed benchmarks only)')):
        p = m.metadata_props.add()
        p.key, p.value = key, value
    onnx.checker.check_model(m)
    onnx.save(m, path)
    print(path)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=os.path.join(root, 'out', 'bench-models'))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    for scale in (2, 3, 4):
        models = {
            'fsrcnn': (Fsrcnn(scale, 56, 12, 4, deconv=False), 'fsrcnn-d56-s12-m4-subpixel'),
            'fsrcnn-small': (Fsrcnn(scale, 32, 5, 1, deconv=False), 'fsrcnn-d32-s5-m1-subpixel'),
            'espcn': (Espcn(scale), 'espcn-64-32-tanh-out'),
            'fsrcnn-deconv': (Fsrcnn(scale, 56, 12, 4, deconv=True), 'fsrcnn-d56-s12-m4-deconv9'),
        }
        for name, (model, arch) in models.items():
            export(model, os.path.join(args.out, f'{name}_x{scale}.onnx'), scale, arch)


if __name__ == '__main__':
    main()
