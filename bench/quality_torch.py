#!/usr/bin/env python3
"""The PyTorch side of the quality bench (bench/quality.ts): a plain training loop of the same
network, settings and steps as one of our presets, on the same images, writing its samples for
Node to score with the same code as ours.

Run by bench/quality.ts:
  /usr/bin/python3 bench/quality_torch.py --data DATA.u8 --count N --size S --channels C \
      --net vanilla|dcgan --steps N --batch B --lr LR --z Z [--hidden1 H1 --hidden2 H2]
      [--base-filters F --max-filters M] [--diff-augment] --samples N --out SAMPLES.u8 [--threads T]
      [--sample-every K]

DATA.u8: N images, H×W×C uint8 (row-major, channels last). SAMPLES.u8: the same layout.
--sample-every K also writes SAMPLES.u8.STEP after every K steps (a quality curve); samples draw
their noise from a generator of their own, so the training run is the same with or without them.
Prints one JSON line: {"steps":..., "seconds":..., "loss_G":..., "loss_D":...}.
"""
import argparse, json, math, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def vanilla(z, h1, h2, pixels):
    # CONVENTIONS.md "Vanilla"; PyTorch's default init (kaiming-uniform a=sqrt(5)) as a plain loop has
    g = nn.Sequential(nn.Linear(z, h1), nn.BatchNorm1d(h1), nn.ReLU(True), nn.Linear(h1, h2), nn.BatchNorm1d(h2), nn.ReLU(True),
                      nn.Linear(h2, pixels), nn.Tanh())
    d = nn.Sequential(nn.Linear(pixels, h2), nn.LeakyReLU(0.2, True), nn.Linear(h2, h1), nn.LeakyReLU(0.2, True), nn.Linear(h1, 1))
    return g, d


def ladder(size, base, cap):
    n = round(math.log2(size / 4))
    return [min(cap, base * 2 ** (n - 1 - i)) for i in range(n)]


def dcgan(z, size, c, base, cap):
    # CONVENTIONS.md "DCGAN-32" generalised like src/models/dcgan/networks.ts; N(0, 0.02) init
    f = ladder(size, base, cap)
    g = [nn.Linear(z, 4 * 4 * f[0]), nn.Unflatten(1, (f[0], 4, 4)), nn.BatchNorm2d(f[0]), nn.ReLU(True)]
    for a, b in zip(f, f[1:]):
        g += [nn.ConvTranspose2d(a, b, 4, 2, 1), nn.BatchNorm2d(b), nn.ReLU(True)]
    g += [nn.ConvTranspose2d(f[-1], c, 4, 2, 1), nn.Tanh()]
    r = list(reversed(f))
    d, prev = [], c
    for i, b in enumerate(r):
        d += [nn.Conv2d(prev, b, 4, 2, 1)] + ([nn.BatchNorm2d(b)] if i > 0 else []) + [nn.LeakyReLU(0.2, True)]
        prev = b
    d += [nn.Flatten(), nn.Linear(4 * 4 * r[-1], 1)]
    G, D = nn.Sequential(*g), nn.Sequential(*d)
    for m in list(G.modules()) + list(D.modules()):
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(m.weight, 0, 0.02); nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1, 0.02); nn.init.zeros_(m.bias)
    return G, D


def diff_augment(x):
    """DiffAugment (Zhao et al. 2020): colour, translation (1/8), cutout (1/2), NCHW in [-1, 1]."""
    n = x.shape[0]
    x = x + (torch.rand(n, 1, 1, 1) - 0.5)
    mean = x.mean(dim=1, keepdim=True)
    x = (x - mean) * (torch.rand(n, 1, 1, 1) * 2) + mean
    mean = x.mean(dim=[1, 2, 3], keepdim=True)
    x = (x - mean) * (torch.rand(n, 1, 1, 1) + 0.5) + mean
    h, w = x.shape[2], x.shape[3]
    sh, sw = int(h * 0.125 + 0.5), int(w * 0.125 + 0.5)
    tx = torch.randint(-sh, sh + 1, (n,)); ty = torch.randint(-sw, sw + 1, (n,))
    padded = F.pad(x, (sw, sw, sh, sh))
    x = torch.stack([padded[i, :, sh + tx[i]: sh + tx[i] + h, sw + ty[i]: sw + ty[i] + w] for i in range(n)])
    ch, cw = int(h * 0.5 + 0.5), int(w * 0.5 + 0.5)
    ox = torch.randint(0, h + (1 - ch % 2), (n,)); oy = torch.randint(0, w + (1 - cw % 2), (n,))
    mask = torch.ones(n, 1, h, w)
    for i in range(n):
        x0, y0 = max(0, ox[i] - ch // 2), max(0, oy[i] - cw // 2)
        mask[i, :, x0:min(h, ox[i] - ch // 2 + ch), y0:min(w, oy[i] - cw // 2 + cw)] = 0
    return x * mask


def main():
    ap = argparse.ArgumentParser()
    for name, kind in [("data", str), ("count", int), ("size", int), ("channels", int), ("net", str), ("steps", int), ("batch", int),
                       ("lr", float), ("z", int), ("hidden1", int), ("hidden2", int), ("base-filters", int), ("max-filters", int),
                       ("samples", int), ("out", str), ("threads", int), ("seed", int), ("sample-every", int)]:
        ap.add_argument("--" + name, type=kind)
    ap.add_argument("--diff-augment", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads or 1)
    torch.manual_seed(a.seed or 0)
    np.random.seed(a.seed or 0)
    s, c = a.size, a.channels
    raw = np.fromfile(a.data, dtype=np.uint8).reshape(a.count, s, s, c)
    data = torch.from_numpy(raw.astype(np.float32) / 127.5 - 1).permute(0, 3, 1, 2).contiguous()  # NCHW
    flat = a.net == "vanilla"
    if flat:
        G, D = vanilla(a.z, a.hidden1, a.hidden2, s * s * c)
    else:
        G, D = dcgan(a.z, s, c, a.base_filters, a.max_filters)
    optG = torch.optim.Adam(G.parameters(), a.lr, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), a.lr, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(a.batch, 1), torch.zeros(a.batch, 1)
    aug = diff_augment if a.diff_augment else (lambda x: x)
    shape = lambda x: x.reshape(x.shape[0], -1) if flat else x
    image = lambda y: y.reshape(-1, c, s, s) if flat else y
    order, pos = torch.randperm(a.count), 0

    def write_samples(path):
        G.eval()  # samples with the running batch-norm statistics, as ours are drawn
        noise = torch.Generator().manual_seed(1_000_000)
        with torch.no_grad():
            out = torch.cat([image(G(torch.randn(min(250, a.samples - i), a.z, generator=noise))) for i in range(0, a.samples, 250)])
        G.train()
        u8 = ((out.permute(0, 2, 3, 1).clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).numpy()
        u8.tofile(path)

    sampling = 0.0
    t0 = time.time()
    for step in range(a.steps):
        if pos + a.batch > a.count:
            order, pos = torch.randperm(a.count), 0
        real = data[order[pos:pos + a.batch]]
        pos += a.batch
        z = torch.randn(a.batch, a.z)
        fake = image(G(z))
        optD.zero_grad()
        lossD = bce(D(shape(aug(real))), ones) + bce(D(shape(aug(fake.detach()))), zeros)
        lossD.backward(); optD.step()
        optG.zero_grad()
        lossG = bce(D(shape(aug(fake))), ones)
        lossG.backward(); optG.step()
        if (step + 1) % 100 == 0:
            print(f"pytorch step {step + 1}, {time.process_time():.0f} cpu s", file=sys.stderr, flush=True)
        if a.sample_every and (step + 1) % a.sample_every == 0 and step + 1 < a.steps:
            t1 = time.time()
            write_samples(f"{a.out}.{step + 1}")
            sampling += time.time() - t1
    seconds = time.time() - t0 - sampling
    write_samples(a.out)
    print(json.dumps({"steps": a.steps, "seconds": round(seconds, 1), "loss_G": round(lossG.item(), 4), "loss_D": round(lossD.item(), 4)}))


if __name__ == "__main__":
    main()
