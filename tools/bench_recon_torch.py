#!/usr/bin/python3
"""Genie-M reconstruction iterations of a safetensors ResNet teacher in PyTorch: the other side of `./genie bench recon`.

For timing only: every unit of the teacher (stem conv, each BasicBlock, fc) is reconstructed the way
the Genie paper (and the official code) describe (per-channel weight step sizes and softbits, LSQ activation steps with QDrop,
the rounding loss, two Adams and a cosine schedule) on random calibration tensors of the unit's input shape, at the
same minibatch, thread count and iteration count as the Java side. Prints one JSON line with ms per iteration.
Usage: /usr/bin/python3 tools/bench_recon_torch.py SPEC.json [WEIGHTS] [--threads N] [--batch B] [--iters N] [--units N]
"""
import argparse, json, pathlib, sys, time
import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from bench_eval_torch import load_teacher  # noqa: E402


def round_ste(x):
    return (x.round() - x).detach() + x


class ActQuant(nn.Module):
    def __init__(self, bits, x):
        super().__init__()
        self.signed = bool((x < 0).any())
        self.qn, self.qp = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if self.signed else (0, 2 ** bits - 1)
        self.step = nn.Parameter(x.abs().max().detach() / self.qp)

    def forward(self, x):
        xq = torch.clamp(round_ste(x / self.step), self.qn, self.qp) * self.step
        return torch.where(torch.rand_like(x) < 0.5, xq, x)


class WeightQuant(nn.Module):
    def __init__(self, w, bits):
        super().__init__()
        flat = w.detach().flatten(1)
        lo, hi = flat.min(1)[0].clamp(max=0), flat.max(1)[0].clamp(min=0)
        shape = (-1,) + (1,) * (w.dim() - 1)
        delta = ((hi - lo) / (2 ** bits - 1)).clamp(min=1e-8).view(shape)
        self.levels = 2 ** bits - 1
        self.zp = (-lo.view(shape) / delta).round()
        self.delta = nn.Parameter(delta)
        self.floor = (w.detach() / delta).floor()
        rest = w.detach() / delta - self.floor
        self.alpha = nn.Parameter(-torch.log((1.2 - (-0.1)) / (rest - (-0.1)) - 1))

    def h(self):
        return torch.clamp(torch.sigmoid(self.alpha) * 1.2 - 0.1, 0, 1)

    def forward(self):
        q = torch.clamp(self.floor + self.h() + self.zp, 0, self.levels)
        return (q - self.zp) * self.delta

    def round_loss(self, beta):
        return (1 - (2 * self.h() - 1).abs().pow(beta)).sum()


class QConv(nn.Module):
    def __init__(self, conv, bits, x):
        super().__init__()
        self.conv, self.wq, self.aq = conv, WeightQuant(conv.weight, bits), ActQuant(4, x)

    def forward(self, x):
        c = self.conv
        return F.conv2d(self.aq(x), self.wq(), c.bias, c.stride, c.padding)


class QBlock(nn.Module):
    def __init__(self, block, bits, x):
        super().__init__()
        self.b = block
        self.conv1 = QConv(block.conv1, bits, x)
        with torch.no_grad():
            mid = F.relu(block.bn1(block.conv1(x)))
        self.conv2 = QConv(block.conv2, bits, mid)
        self.down = None
        if block.downsample is not None:
            d = block.downsample[0]
            self.down = (WeightQuant(d.weight, bits), d, block.downsample[1])

    def forward(self, x):
        out = F.relu(self.b.bn1(self.conv1(x)))
        out = self.b.bn2(self.conv2(out))
        if self.down is not None:
            wq, d, bn = self.down
            idn = bn(F.conv2d(self.conv1.aq(x), wq(), None, d.stride, d.padding))
        else:
            idn = x
        return F.relu(out + idn)

    def quantizers(self):
        qs = [self.conv1.wq, self.conv2.wq] + ([self.down[0]] if self.down else [])
        return qs, [self.conv1.aq.step, self.conv2.aq.step]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("spec")
    p.add_argument("weights", nargs="?")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--iters", type=int, default=200)
    p.add_argument("--units", type=int, default=0)
    p.add_argument("--samples", type=int, default=512)
    p.add_argument("--wbits", type=int, default=4)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    spec, model = load_teacher(a.spec, a.weights)
    named = [("layer%d.%d" % (i + 1, j), m) for i, layer in enumerate((model.layer1, model.layer2, model.layer3))
             for j, m in enumerate(layer)]
    if a.units:
        named = named[:a.units]
    units = [m for _, m in named]
    c, h, w = spec["input"]["shape"]
    with torch.no_grad():
        x = F.relu(model.bn1(model.conv1(torch.randn(a.samples, c, h, w))))
    total_ms, total_iters, per_unit = 0.0, 0, []
    for block in units:
        with torch.no_grad():
            y = block(x)
        qb = QBlock(block, a.wbits, x[:32])
        wqs, asteps = qb.quantizers()
        opt = torch.optim.Adam([{"params": [q.delta for q in wqs], "lr": 1e-4}, {"params": asteps, "lr": 4e-5}])
        opt_v = torch.optim.Adam([q.alpha for q in wqs], lr=1e-3)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.iters, eta_min=0)
        t0 = time.perf_counter()
        for it in range(a.iters):
            idx = torch.randperm(a.samples)[:a.batch]
            xin, yt = x[idx], y[idx]
            opt.zero_grad()
            opt_v.zero_grad()
            out = qb(xin)
            loss = (out - yt).pow(2).sum(1).mean()
            if it >= 0.2 * a.iters:
                beta = 2 + 18 * max(0.0, 1 - (it - 0.2 * a.iters) / (0.8 * a.iters))
                loss = loss + sum(q.round_loss(beta) for q in wqs)
            loss.backward()
            opt.step()
            opt_v.step()
            sched.step()
        ms = 1000 * (time.perf_counter() - t0) / a.iters
        per_unit.append(ms)
        total_ms += ms * a.iters
        total_iters += a.iters
        x = y
    ms = total_ms / total_iters
    print(json.dumps({"engine": "pytorch " + torch.__version__, "threads": a.threads, "batch": a.batch,
                      "iters": a.iters, "units": len(units), "ms_per_iter": ms, "samples_per_second": a.batch * 1000 / ms,
                      "unit_ms_per_iter": dict(zip([n for n, _ in named], per_unit))}))


if __name__ == "__main__":
    main()
