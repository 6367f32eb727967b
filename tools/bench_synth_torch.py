#!/usr/bin/python3
"""Genie-D iterations of a safetensors ResNet teacher in PyTorch: the other side of `./genie bench synth`.

Same teacher, batch, thread count and algorithm (generator, swing convolution, BN-statistics loss, two Adams),
written from the Genie paper, section Genie-D, the way the reference runs it, so the two engines can be timed side by
side on one machine. Prints one JSON line with ms per iteration after warm-up.
Usage: /usr/bin/python3 tools/bench_synth_torch.py SPEC.json [WEIGHTS] [--threads N] [--batch B] [--iters N]
"""
import argparse, json, pathlib, random, sys, time
import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from bench_eval_torch import load_teacher  # noqa: E402


class Generator(nn.Module):
    def __init__(self, latent, c, h, w):
        super().__init__()
        self.h, self.w = h // 4, w // 4
        self.linear = nn.Linear(latent, 128 * self.h * self.w)
        self.conv_layers = nn.Sequential(
            nn.BatchNorm2d(128), nn.Upsample(scale_factor=2), nn.Conv2d(128, 64, 3, 1, 1), nn.BatchNorm2d(64),
            nn.LeakyReLU(0.2), nn.Upsample(scale_factor=2), nn.Conv2d(64, c, 3, 1, 1), nn.Tanh(),
            nn.BatchNorm2d(c, affine=False))

    def forward(self, z):
        return self.conv_layers(self.linear(z).view(z.shape[0], 128, self.h, self.w))


class Swing(nn.Module):
    def __init__(self, conv):
        super().__init__()
        self.conv = conv

    def forward(self, x):
        dx, dy = random.randint(0, 2), random.randint(0, 2)
        h, w = x.shape[2:]
        x = F.pad(x, (1, 1, 1, 1), mode="reflect")[:, :, dy:dy + h, dx:dx + w]
        return self.conv(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("spec")
    p.add_argument("weights", nargs="?")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--iters", type=int, default=40)
    p.add_argument("--warmup", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    random.seed(0)
    spec, model = load_teacher(a.spec, a.weights)
    for name, m in list(model.named_modules()):
        for cn, c in list(m.named_children()):
            if isinstance(c, nn.Conv2d) and c.stride != (1, 1):
                setattr(m, cn, Swing(c))
    inputs = []
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for bn in bns:
        bn.register_forward_hook(lambda mod, i, o: inputs.append(i[0]))
    c, h, w = spec["input"]["shape"] if "shape" in spec["input"] else (spec["arch"]["in_channels"], 28, 28)
    g = Generator(256, c, h, w)
    z = torch.randn(a.batch, 256, requires_grad=True)
    opt_z = torch.optim.Adam([z], lr=0.1)
    opt_g = torch.optim.Adam(g.parameters(), lr=0.01)
    total = a.warmup + a.iters
    for it in range(total):
        if it == a.warmup:
            t0 = time.perf_counter()
        inputs.clear()
        opt_z.zero_grad()
        opt_g.zero_grad()
        x = g(z)
        model(x)
        loss = x.mean((2, 3)).pow(2).sum() / a.batch + (x.std((2, 3)) - 1).pow(2).sum() / a.batch
        for bn, t in zip(bns, inputs):
            mu, sd = t.mean((0, 2, 3)), t.transpose(0, 1).flatten(1).std(1)
            loss = loss + (mu - bn.running_mean).norm() ** 2 / mu.numel() \
                + (sd - (bn.running_var + 1e-6).sqrt()).norm() ** 2 / mu.numel()
        loss.backward()
        opt_z.step()
        opt_g.step()
    secs = time.perf_counter() - t0
    print(json.dumps({"engine": "pytorch " + torch.__version__, "threads": a.threads, "batch": a.batch,
                      "iters": a.iters, "ms_per_iter": 1000 * secs / a.iters, "final_loss": loss.item()}))


if __name__ == "__main__":
    main()
