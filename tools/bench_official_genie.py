#!/usr/bin/python3
"""Run the official Genie code (SamsungLabs/Genie, unmodified) on a safetensors CIFAR-style ResNet teacher.

The side-by-side check for `./genie quantize` and `./genie bench recon`: same teacher, same calibration images,
same thread count, same iterations. The official modules are imported from a checkout given with --official
(`git clone https://github.com/SamsungLabs/Genie`); nothing of theirs is copied or changed. What this script adds:
- a CIFAR stem (3x3 conv, no max-pool, three stages) built from the official BasicBlock, so its residual
  `identity` quantizer and the `BasicBlock` unit matching work as in their ResNets, with our state_dict loaded;
- a timer around their reconstruct_block (patched on the module, the function itself runs unchanged);
- evaluation on the Fashion-MNIST test images.

Their minibatch is len(data) / --recon-batch (the `randperm(N).view(recon_batch, -1)` quirk), so with 512 images
`--recon-batch 32` (their default) trains on 16 images per step and `--recon-batch 16` on 32.
--iters 0 gives their round-to-nearest (step-size search only; activation steps from the first 32 images).

`synth` times their distill_data (Genie-D) for one batch instead. It is written for CUDA and 3 x 224 x 224 inputs, so
torch's .cuda() is made a no-op and their Generator is built at the teacher's size with its last convolution and
BatchNorm narrowed to the teacher's channels; the loop itself runs unchanged (its input-statistics target keeps 3
channels and broadcasts against our 1, which changes that term's value, not the work per iteration).

Usage: /usr/bin/python3 tools/bench_official_genie.py recon SPEC.json --official DIR --data IMAGES.safetensors
           [--wbits 4] [--abits 4] [--iters 2000] [--recon-batch 32] [--threads 2] [--seed 0] [--units N]
           [--eval-limit 10000 (0: no evaluation)]
       /usr/bin/python3 tools/bench_official_genie.py synth SPEC.json --official DIR [--iters 30] [--warmup 0]
           [--batch 128] [--threads 2]
"""
import argparse, json, logging, pathlib, sys, time
import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from bench_eval_torch import load_safetensors, test_set  # noqa: E402


def build(arch, BasicBlock):
    if arch.get("stem") != "cifar" or arch.get("block", "basic") != "basic":
        sys.exit("bench_official_genie: only CIFAR-stem BasicBlock ResNets (like fmnist_resnet20) are wired up")
    bn = nn.BatchNorm2d

    class CifarResNet(nn.Module):
        def __init__(self):
            super().__init__()
            w = arch["widths"]
            self.conv1 = nn.Conv2d(arch["in_channels"], w[0], 3, 1, 1, bias=False)
            self.bn1 = bn(w[0])
            self.relu = nn.ReLU(inplace=True)
            inplanes = w[0]
            for i, (n, planes) in enumerate(zip(arch["layers"], w)):
                stride = 1 if i == 0 else 2
                down = None
                if stride != 1 or inplanes != planes:
                    down = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), bn(planes))
                blocks = [BasicBlock(inplanes, planes, stride, down, norm_layer=bn)]
                blocks += [BasicBlock(planes, planes, norm_layer=bn) for _ in range(n - 1)]
                setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
                inplanes = planes
            self.stages = len(arch["layers"])
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(inplanes, arch["num_classes"])

        def forward(self, x):
            x = self.relu(self.bn1(self.conv1(x)))
            for i in range(self.stages):
                x = getattr(self, f"layer{i + 1}")(x)
            return self.fc(torch.flatten(self.avgpool(x), 1))

    return CifarResNet()


UNITS = ("BasicBlock", "Linear", "Conv2d")


def unit_names(model, kinds):
    """The units their reconstruct() visits, in its order: matching modules, not inside an earlier match."""
    names, seen = [], set()
    for n, m in model.named_modules():
        if type(m).__name__ in kinds and m not in seen:
            seen.update(m.modules())
            names.append(n)
    return names


def evaluate(model, test):
    x, y = test
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 250):
            correct += int((model(x[i:i + 250]).argmax(1) == y[i:i + 250]).sum())
    return 100.0 * correct / len(x)


def load_official(a):
    official = pathlib.Path(a.official)
    if not (official / "reconstruct.py").is_file():
        sys.exit(f"bench_official_genie: {official} is not a Genie checkout (no reconstruct.py); "
                 "clone https://github.com/SamsungLabs/Genie and pass its path with --official")
    sys.path.insert(0, str(official))
    from models.resnet import BasicBlock
    logging.basicConfig(style="{", format="{asctime} {name} {message}", datefmt="%H:%M:%S", level=logging.INFO)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    spec = json.load(open(a.spec))
    teacher = build(spec["arch"], BasicBlock)
    teacher.load_state_dict(load_safetensors(a.weights or str(pathlib.Path(a.spec).parent / spec["file"])), strict=True)
    teacher.eval()
    for q in teacher.parameters():
        q.requires_grad_(False)
    return spec, teacher


def synth(a):
    spec, teacher = load_official(a)
    torch.Tensor.cuda = lambda self, *args, **kw: self
    nn.Module.cuda = lambda self, *args, **kw: self
    import distill
    c, h = spec["input"]["shape"][0], spec["input"]["shape"][1]
    made = distill.Generator.__init__

    def narrowed(self, image_size=224, latent_dim=256, c1=128, c2=64):
        made(self, image_size=h, latent_dim=latent_dim, c1=c1, c2=c2)
        self.conv_layers[6] = nn.Conv2d(self.conv_layers[6].in_channels, c, 3, stride=1, padding=1)
        self.conv_layers[8] = nn.BatchNorm2d(c, affine=False)

    distill.Generator.__init__ = narrowed
    if a.warmup:
        distill.distill_data(teacher, batch_size=a.batch, total_samples=a.batch, iters=a.warmup)
    t0 = time.perf_counter()
    images = distill.distill_data(teacher, batch_size=a.batch, total_samples=a.batch, iters=a.iters)
    secs = time.perf_counter() - t0
    print(json.dumps({"engine": "official Genie-D on pytorch " + torch.__version__, "threads": a.threads,
                      "batch": a.batch, "iters": a.iters, "warmup": a.warmup, "shape": list(images.shape), "seconds": secs,
                      "ms_per_iter": 1000.0 * secs / a.iters}))


def recon(a):
    spec, teacher = load_official(a)
    import reconstruct as official_recon
    images = load_safetensors(a.data)["images"].float()
    if len(images) % 32 or len(images) % a.recon_batch:
        sys.exit(f"bench_official_genie: the official code needs a sample count divisible by 32 and by --recon-batch, "
                 f"got {len(images)}")

    test = [t[:a.eval_limit] for t in test_set(spec, a.eval_data)] if a.eval_limit else None
    fp32 = evaluate(teacher, test) if test is not None else None
    qmodel = official_recon.quantize_model(teacher, a.wbits, a.abits, (nn.Conv2d, nn.Linear, nn.Identity))

    units = []
    original = official_recon.reconstruct_block

    class Done(Exception):
        pass

    def timed(block, x, x_q, y, **kw):
        if a.units and len(units) == a.units:
            raise Done()
        t0 = time.perf_counter()
        original(block, x, x_q, y, **kw)
        secs = time.perf_counter() - t0
        units.append({"unit": None, "seconds": secs,
                      "ms_per_iter": 1000.0 * secs / max(1, a.iters)})

    official_recon.reconstruct_block = timed
    t0 = time.perf_counter()
    try:
        official_recon.reconstruct(teacher, qmodel, images, UNITS,
                                   iterations=a.iters, batch_size=a.recon_batch)
        finished = True
    except Done:
        finished = False
    total = time.perf_counter() - t0
    for u, n in zip(units, unit_names(teacher, UNITS)):
        u["unit"] = n
    recon_secs = sum(u["seconds"] for u in units)
    out = {"engine": "official Genie on pytorch " + torch.__version__, "threads": a.threads, "seed": a.seed,
           "wbits": a.wbits, "abits": a.abits, "iters": a.iters, "samples": len(images),
           "minibatch": len(images) // a.recon_batch, "units": units, "seconds_quant": total,
           "ms_per_recon_iter": 1000.0 * recon_secs / max(1, a.iters * len(units)),
           "samples_per_second": (len(images) // a.recon_batch) * a.iters * len(units) / recon_secs if recon_secs else None,
           "fp32_top1": fp32, "unit_ms_per_iter": {u["unit"]: u["ms_per_iter"] for u in units}}
    if finished and a.eval_limit:
        out["quant_top1"] = evaluate(qmodel, test)
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["recon", "synth"])
    p.add_argument("spec")
    p.add_argument("--official", required=True, help="checkout of github.com/SamsungLabs/Genie")
    p.add_argument("--weights")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--iters", type=int, help="iterations per unit (recon, default 2000) or per batch (synth, 30)")
    p.add_argument("--data", help="recon: calibration images, safetensors with an 'images' N x C x H x W tensor")
    p.add_argument("--wbits", type=int, default=4)
    p.add_argument("--abits", type=int, default=4)
    p.add_argument("--recon-batch", type=int, default=32, help="their recon_batch: minibatch = N / this")
    p.add_argument("--units", type=int, default=0, help="stop after this many units (timing only; 0 = all)")
    p.add_argument("--eval-data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--eval-limit", type=int, default=10000, help="test images to score (0: no evaluation)")
    p.add_argument("--batch", type=int, default=128, help="synth: images per batch")
    p.add_argument("--warmup", type=int, default=0, help="synth: untimed iterations on a first batch")
    a = p.parse_args()
    if a.mode == "recon":
        if not a.data:
            p.error("recon needs --data")
        a.iters = 2000 if a.iters is None else a.iters
        recon(a)
    else:
        a.iters = a.iters or 30
        synth(a)


if __name__ == "__main__":
    main()
