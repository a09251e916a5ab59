#!/usr/bin/env python3
"""PyTorch yardsticks: GAN Studio's training steps written again in PyTorch, on the CPU.

Run with Debian's python3-torch:
    /usr/bin/python3 bench/pytorch_yardsticks.py --net dcgan|cyclegan|esrgan [--threads N] [--steps N] [--warmup N]

Prints one JSON line: {"impl": "pytorch-cpu", "net": ..., "step_ms": ..., "steps_per_s": ..., "images_per_s": ...}.
bench/pairs.ts runs it alternately with our own step (bench/train-step.ts), so both see the same
machine. Each network is the one the app trains (shapes, losses, optimiser, batch), read from:
  dcgan     src/models/dcgan (preset default) = CONVENTIONS.md's DCGAN-32: batch 64, z 100, BCE
            with logits, Adam 2e-4 (0.5, 0.999); one step = D on real + fake, then G.
  cyclegan  src/models/cyclegan (preset small): 64², batch 4, 16 filters, 4 residual blocks,
            resize-convolution decoder, first layer without instance norm, PatchGAN with 3 strided
            layers, LSGAN, cycle λ 10, identity 0.5·λ, image pools of 50, Adam 2e-4 (0.5, 0.999),
            EMA of both generators after every step.
  esrgan    src/models/esrgan (preset small, its L1 phase): ×2 from 16² to 32², batch 8, 24
            filters, growth 12, one RRDB of 3 dense blocks, pixel shuffle, global residual over a
            bilinear upsample; L1 loss and the step's PSNR; Adam 5e-4 (0.9, 0.99).
Where ours does extra work (the DCGAN step runs G's forward twice and keeps an EMA of G), the
yardstick does not copy it: the comparison can only come out against us.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def params(*nets):
    """Trainable parameters: bench/pairs.ts checks they equal ours, so both sides train the same network."""
    return sum(p.numel() for net in nets for p in net.parameters())


# ---------------------------------------------------------------- DCGAN-32
def dcgan_step(batch=64, channels=3):
    z_dim = 100
    G = nn.Sequential(
        nn.Linear(z_dim, 4 * 4 * 256), nn.Unflatten(1, (256, 4, 4)), nn.BatchNorm2d(256), nn.ReLU(True),
        nn.ConvTranspose2d(256, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.ReLU(True),
        nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(True),
        nn.ConvTranspose2d(64, channels, 4, 2, 1), nn.Tanh(),
    )
    D = nn.Sequential(
        nn.Conv2d(channels, 64, 4, 2, 1), nn.LeakyReLU(0.2, True),
        nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2, True),
        nn.Conv2d(128, 256, 4, 2, 1), nn.BatchNorm2d(256), nn.LeakyReLU(0.2, True),
        nn.Flatten(), nn.Linear(4 * 4 * 256, 1),
    )
    opt_g = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(batch, channels, 32, 32) * 2 - 1
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)

    def step():
        fake = G(torch.randn(batch, z_dim))
        opt_d.zero_grad()
        loss_d = bce(D(real), ones) + bce(D(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = bce(D(fake), ones)
        loss_g.backward()
        opt_g.step()
        return loss_d.item() + loss_g.item()  # one sync per step, as ours

    return step, batch, params(G, D)


# ---------------------------------------------------------------- CycleGAN small
def conv(cin, cout, k, stride=1, pad=0):
    return nn.Conv2d(cin, cout, k, stride, pad)  # biases kept, as ours (instance norm has no shift)


def inorm(c):
    return nn.InstanceNorm2d(c, affine=False, eps=1e-5)


class ResBlock(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.body = nn.Sequential(nn.ReflectionPad2d(1), conv(w, w, 3), inorm(w), nn.ReLU(True),
                                  nn.ReflectionPad2d(1), conv(w, w, 3), inorm(w))

    def forward(self, x):
        return x + self.body(x)


def resnet_generator(c=3, f=16, blocks=4):
    layers = [nn.ReflectionPad2d(3), conv(c, f, 7), nn.ReLU(True)]  # plainEncoderLayers 1: no norm
    for w_in, w_out in ((f, 2 * f), (2 * f, 4 * f)):
        layers += [conv(w_in, w_out, 3, 2, 1), inorm(w_out), nn.ReLU(True)]
    layers += [ResBlock(4 * f) for _ in range(blocks)]
    for w_in, w_out in ((4 * f, 2 * f), (2 * f, f)):  # 'resize': nearest ×2, reflect, 3×3 conv
        layers += [nn.Upsample(scale_factor=2, mode='nearest'), nn.ReflectionPad2d(1), conv(w_in, w_out, 3), inorm(w_out), nn.ReLU(True)]
    layers += [nn.ReflectionPad2d(3), conv(f, c, 7), nn.Tanh()]
    return nn.Sequential(*layers)


def patch_discriminator(c=3, f=16, strided=3):
    layers, w_in, w = [], c, f
    for i in range(strided + 2):
        last = i == strided + 1
        layers.append(conv(w_in, 1 if last else w, 4, 2 if i < strided else 1, 1))
        if last:
            break
        if i > 0:
            layers.append(inorm(w))
        layers.append(nn.LeakyReLU(0.2, True))
        w_in, w = w, min(w * 2, f * 8)
    return nn.Sequential(*layers)


class ImagePool:
    """Shrivastava et al.: after `size` images, each new fake swaps with a stored one half the time."""

    def __init__(self, size=50):
        self.size, self.images = size, []

    def query(self, fakes):
        out = []
        for image in fakes.detach():
            if len(self.images) < self.size:
                self.images.append(image)
                out.append(image)
            elif torch.rand(1).item() > 0.5:
                i = int(torch.randint(0, self.size, (1,)).item())
                out.append(self.images[i])
                self.images[i] = image
            else:
                out.append(image)
        return torch.stack(out)


def cyclegan_step(batch=4, size=64):
    g_ab, g_ba = resnet_generator(), resnet_generator()
    d_a, d_b = patch_discriminator(), patch_discriminator()
    opt_g = torch.optim.Adam(list(g_ab.parameters()) + list(g_ba.parameters()), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(list(d_a.parameters()) + list(d_b.parameters()), 2e-4, betas=(0.5, 0.999))
    ema = [[p.detach().clone() for p in g.parameters()] for g in (g_ab, g_ba)]
    pool_a, pool_b = ImagePool(), ImagePool()
    real_a = torch.rand(batch, 3, size, size) * 2 - 1
    real_b = torch.rand(batch, 3, size, size) * 2 - 1
    lam, lam_id = 10.0, 0.5
    mse = lambda x, t: torch.mean((x - t) ** 2)
    l1 = lambda x, y: torch.mean(torch.abs(x - y))

    def step():
        for p in list(d_a.parameters()) + list(d_b.parameters()):
            p.requires_grad_(False)  # ours differentiates G's loss with respect to G's weights only
        opt_g.zero_grad()
        fake_b, fake_a = g_ab(real_a), g_ba(real_b)
        adv = mse(d_b(fake_b), 1) + mse(d_a(fake_a), 1)
        cycle = (l1(g_ba(fake_b), real_a) + l1(g_ab(fake_a), real_b)) * lam
        identity = (l1(g_ba(real_a), real_a) + l1(g_ab(real_b), real_b)) * lam * lam_id
        loss_g = adv + cycle + identity
        loss_g.backward()
        opt_g.step()
        for p in list(d_a.parameters()) + list(d_b.parameters()):
            p.requires_grad_(True)
        pooled_a, pooled_b = pool_a.query(fake_a), pool_b.query(fake_b)
        opt_d.zero_grad()
        loss_d = (mse(d_a(real_a), 1) + mse(d_a(pooled_a), 0)) * 0.5 + (mse(d_b(real_b), 1) + mse(d_b(pooled_b), 0)) * 0.5
        loss_d.backward()
        opt_d.step()
        with torch.no_grad():
            for shadow, g in zip(ema, (g_ab, g_ba)):
                for s, p in zip(shadow, g.parameters()):
                    s.mul_(0.999).add_(p, alpha=0.001)
        return loss_g.item() + loss_d.item()

    return step, batch, params(g_ab, g_ba, d_a, d_b)


# ---------------------------------------------------------------- ESRGAN small (L1 phase)
class DenseBlock(nn.Module):
    def __init__(self, f=24, g=12):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(f + i * g, g, 3, 1, 1) for i in range(4)])
        self.fuse = nn.Conv2d(f + 4 * g, f, 3, 1, 1)

    def forward(self, x):
        features = [x]
        for c in self.convs:
            features.append(F.leaky_relu(c(torch.cat(features, 1)), 0.2))
        return x + 0.2 * self.fuse(torch.cat(features, 1))


class Rrdb(nn.Module):
    def __init__(self, f=24, g=12, dense=3):
        super().__init__()
        self.blocks = nn.Sequential(*[DenseBlock(f, g) for _ in range(dense)])

    def forward(self, x):
        return x + 0.2 * self.blocks(x)


class EsrganGenerator(nn.Module):
    def __init__(self, c=3, f=24, g=12, blocks=1, dense=3, scale=2):
        super().__init__()
        self.scale = scale
        self.first = nn.Conv2d(c, f, 3, 1, 1)
        self.body = nn.Sequential(*[Rrdb(f, g, dense) for _ in range(blocks)])
        self.trunk = nn.Conv2d(f, f, 3, 1, 1)
        self.up = nn.Conv2d(f, f * scale * scale, 3, 1, 1)
        self.shuffle = nn.PixelShuffle(scale)
        self.hr = nn.Conv2d(f, f, 3, 1, 1)
        self.last = nn.Conv2d(f, c, 3, 1, 1)

    def forward(self, x):
        head = self.first(x)
        y = head + self.trunk(self.body(head))
        y = F.leaky_relu(self.shuffle(self.up(y)), 0.2)
        y = self.last(F.leaky_relu(self.hr(y), 0.2))
        # half-pixel centres, as ours (resizeBilinear with halfPixelCenters)
        return F.interpolate(x, scale_factor=self.scale, mode='bilinear', align_corners=False) + y


def esrgan_step(batch=8, hr_size=32, scale=2):
    G = EsrganGenerator(scale=scale)
    opt = torch.optim.Adam(G.parameters(), 5e-4, betas=(0.9, 0.99))
    hr = torch.rand(batch, 3, hr_size, hr_size) * 2 - 1
    lr = F.avg_pool2d(hr, scale)

    def step():
        opt.zero_grad()
        sr = G(lr)
        loss = torch.mean(torch.abs(sr - hr))
        loss.backward()
        opt.step()
        with torch.no_grad():  # the step's PSNR, as ours reports
            mse = torch.clamp(torch.mean((sr.clamp(-1, 1) - hr) ** 2), min=1e-10)
            psnr = 20 * torch.log10(torch.tensor(2.0)) - 10 * torch.log10(mse)
        return loss.item() + psnr.item()

    return step, batch, params(G)


NETS = {'dcgan': dcgan_step, 'cyclegan': cyclegan_step, 'esrgan': esrgan_step}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--net', choices=sorted(NETS), required=True)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    step, images, n_params = NETS[a.net]()
    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.steps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    print(json.dumps({'impl': 'pytorch-cpu', 'net': a.net, 'torch': torch.__version__, 'threads': a.threads,
                      'batch': images, 'params': n_params, 'steps': a.steps, 'step_ms': round(med * 1000, 2),
                      'steps_per_s': round(1 / med, 3), 'images_per_s': round(images / med, 2)}))


if __name__ == '__main__':
    main()
