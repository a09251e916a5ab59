"""An independent PyTorch implementation of RRDBNet (Real-ESRGAN layout, with the x2/x1
pixel-unshuffle variants) and SRVGGNetCompact, for the #24 parity check (scripts/esrgan-parity.ts).

It reads the .safetensors file with its own few lines (json + numpy, no safetensors package),
loads the state dict with load_state_dict(strict=True) into modules written from the published
architectures, runs one image and writes the output as raw float32 HWC in [0, 1] (clamped, as
Real-ESRGAN's inference does).

  /usr/bin/python3 scripts/esrgan_parity.py --weights M.safetensors --arch rrdbnet|srvgg \
      --input IMG.f32 --height H --width W --output OUT.f32 [--scale S] [--threads N]
"""
import argparse
import json
import struct

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

DTYPES = {"F32": np.float32, "F16": np.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        if entry["dtype"] == "BF16":
            u16 = np.frombuffer(data[begin:end], dtype="<u2").astype(np.uint32) << 16
            values = u16.view(np.float32)
        else:
            values = np.frombuffer(data[begin:end], dtype=np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<")).astype(np.float32)
        out[name] = torch.from_numpy(values.reshape(entry["shape"]).copy())
    return out


class DenseBlock(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        for i in range(1, 6):
            setattr(self, f"conv{i}", nn.Conv2d(nf + (i - 1) * gc, gc if i < 5 else nf, 3, 1, 1))

    def forward(self, x):
        feats = [x]
        for i in range(1, 5):
            feats.append(F.leaky_relu(getattr(self, f"conv{i}")(torch.cat(feats, 1)), 0.2))
        return self.conv5(torch.cat(feats, 1)) * 0.2 + x


class RRDB(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        self.rdb1, self.rdb2, self.rdb3 = DenseBlock(nf, gc), DenseBlock(nf, gc), DenseBlock(nf, gc)

    def forward(self, x):
        return self.rdb3(self.rdb2(self.rdb1(x))) * 0.2 + x


class RRDBNet(nn.Module):
    def __init__(self, in_ch, out_ch, nf, nb, gc, ups, unshuffle):
        super().__init__()
        self.unshuffle = unshuffle
        self.conv_first = nn.Conv2d(in_ch * unshuffle * unshuffle, nf, 3, 1, 1)
        self.body = nn.Sequential(*[RRDB(nf, gc) for _ in range(nb)])
        self.conv_body = nn.Conv2d(nf, nf, 3, 1, 1)
        self.ups = ups
        for i in range(1, ups + 1):
            setattr(self, f"conv_up{i}", nn.Conv2d(nf, nf, 3, 1, 1))
        self.conv_hr = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_last = nn.Conv2d(nf, out_ch, 3, 1, 1)

    def forward(self, x):
        if self.unshuffle > 1:
            x = F.pixel_unshuffle(x, self.unshuffle)
        feat = self.conv_first(x)
        feat = feat + self.conv_body(self.body(feat))
        for i in range(1, self.ups + 1):
            feat = F.leaky_relu(getattr(self, f"conv_up{i}")(F.interpolate(feat, scale_factor=2, mode="nearest")), 0.2)
        return self.conv_last(F.leaky_relu(self.conv_hr(feat), 0.2))


class SRVGGNetCompact(nn.Module):
    def __init__(self, in_ch, out_ch, nf, nconv, upscale):
        super().__init__()
        self.upscale = upscale
        layers = [nn.Conv2d(in_ch, nf, 3, 1, 1), nn.PReLU(num_parameters=nf)]
        for _ in range(nconv):
            layers += [nn.Conv2d(nf, nf, 3, 1, 1), nn.PReLU(num_parameters=nf)]
        layers.append(nn.Conv2d(nf, out_ch * upscale * upscale, 3, 1, 1))
        self.body = nn.ModuleList(layers)
        self.upsampler = nn.PixelShuffle(upscale)

    def forward(self, x):
        out = x
        for layer in self.body:
            out = layer(out)
        return self.upsampler(out) + F.interpolate(x, scale_factor=self.upscale, mode="nearest")


def build(arch, sd, scale):
    if arch == "srvgg":
        nf, in_ch = sd["body.0.weight"].shape[:2]
        last = max(int(k.split(".")[1]) for k in sd if k.endswith(".weight"))
        return SRVGGNetCompact(in_ch, in_ch, nf, (last - 2) // 2, scale)
    nf, in_total = sd["conv_first.weight"].shape[:2]
    out_ch = sd["conv_last.weight"].shape[0]
    nb = len({k.split(".")[1] for k in sd if k.startswith("body.")})
    gc = sd["body.0.rdb1.conv1.weight"].shape[0]
    ups = len({k.split(".")[0] for k in sd if k.startswith("conv_up")})
    unshuffle = int(round((in_total // out_ch) ** 0.5))
    return RRDBNet(out_ch, out_ch, nf, nb, gc, ups, unshuffle)


def main():
    p = argparse.ArgumentParser()
    for flag in ("--weights", "--arch", "--input", "--output"):
        p.add_argument(flag, required=True)
    p.add_argument("--height", type=int, required=True)
    p.add_argument("--width", type=int, required=True)
    p.add_argument("--scale", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    sd = read_safetensors(a.weights)
    net = build(a.arch, sd, a.scale).eval()
    net.load_state_dict(sd, strict=True)
    img = np.fromfile(a.input, dtype="<f4").reshape(a.height, a.width, 3)
    x = torch.from_numpy(img.copy()).permute(2, 0, 1).unsqueeze(0)
    if isinstance(net, RRDBNet) and net.unshuffle > 1:
        # Real-ESRGAN pads to a multiple of the unshuffle factor (reflect) and crops back
        m = net.unshuffle
        ph, pw = (m - a.height % m) % m, (m - a.width % m) % m
        x = F.pad(x, (0, pw, 0, ph), mode="reflect") if ph or pw else x
    with torch.no_grad():
        y = net(x)[:, :, : a.height * a.scale, : a.width * a.scale].clamp(0, 1)
    y.squeeze(0).permute(1, 2, 0).contiguous().numpy().astype("<f4").tofile(a.output)


if __name__ == "__main__":
    main()
