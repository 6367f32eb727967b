#!/usr/bin/python3
"""Golden fixtures from the official Genie code (SamsungLabs/Genie, unmodified) for the Java replay tests.

Runs their code on tiny cases with every random draw injected and writes small JSON fixtures that
src/test/java/genie/golden/*GoldenTest replay through our engine:
- stepsize.json: their init_scale (the clipping-ratio search) on a few tensors, weight- and activation-style;
- genie_d.json: a few iterations of their distill_data (Genie-D) for one batch: BN-statistics loss per iteration,
  latents, generator parameters and images after the last step;
- reconstruction.json: a few iterations of their reconstruct() on the stem unit and then one residual block
  (reconstruction and rounding losses, weight step sizes, softbit logits, activation step sizes after each step).

Nothing of theirs is copied or edited: their modules are imported from --official, and only the draws are replaced
from outside, by patching the calls that make them while their functions run:
- torch.randn (distill_data's latents), np.random.randint (SwingConv2d's offsets), torch.randperm (the reconstruction
  minibatches) and torch.rand_like (QDrop's coins) return draws made here from one seeded numpy generator, and are
  recorded in the fixture in call order;
- their Generator's fresh parameters and the teacher's weights are overwritten after construction with values
  drawn here (also recorded); torch's .cuda() is a no-op;
- values are read after each optimiser step by wrapping the learning-rate scheduler's step(), which both loops
  call right after their optimiser steps, and reading the loop's locals from the calling frame.
Two shapes are chosen here rather than taken from their defaults, to keep the fixtures small: the generator is
built at the teacher's 8x8 size with widths 8 and 4 (their c1/c2 arguments) and 8 latent dimensions (their
distill_data fixes latent_dim = 256 locally; the injected z is [batch, 8] and the generator is built to match).

Usage: /usr/bin/python3 tools/golden_official.py --official DIR --out src/test/resources/golden [--commit SHA]
"""
import argparse, hashlib, json, logging, pathlib, subprocess, sys
import numpy as np
import torch
from torch import nn

sys.dont_write_bytecode = True  # leave no __pycache__ in tools/ or in their checkout
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from bench_official_genie import build, unit_names, UNITS  # noqa: E402

SEED = 20230427  # the official commit's date; any fixed value does
OFFICIAL_FILES = ["distill.py", "quantizer.py", "reconstruct.py", "utils.py", "models/resnet.py"]


# ---- values to JSON: float32 written in their shortest round-trip decimal, bits as hex ----

def f32(t):
    a = t.detach().cpu().numpy().astype(np.float32) if isinstance(t, torch.Tensor) else np.asarray(t, np.float32)
    return [float(repr(v)) for v in a.reshape(-1)]


def tensor(t):
    return {"shape": list(t.shape), "values": f32(t)}


def bits_hex(mask):
    return np.packbits(mask.reshape(-1).astype(np.uint8)).tobytes().hex()


# ---- the tiny teacher: their BasicBlock in the CIFAR-stem ResNet of bench_official_genie ----

def teacher_arch(in_channels):
    return {"family": "resnet", "block": "basic", "layers": [1, 1], "widths": [4, 8], "stem": "cifar",
            "in_channels": in_channels, "num_classes": 3}


def make_teacher(BasicBlock, arch, rs):
    """Their module tree with weights drawn here: He-normal convolutions, BN with non-trivial statistics."""
    t = build(arch, BasicBlock)
    with torch.no_grad():
        for name, m in t.named_modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.from_numpy(rs.standard_normal(m.weight.shape) * np.sqrt(2.0 / fan_in)))
            elif isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(torch.from_numpy(rs.uniform(0.6, 1.4, c)))
                m.bias.copy_(torch.from_numpy(rs.normal(0.0, 0.2, c)))
                m.running_mean.copy_(torch.from_numpy(rs.normal(0.0, 0.3, c)))
                m.running_var.copy_(torch.from_numpy(rs.uniform(0.5, 2.0, c)))
            elif isinstance(m, nn.Linear):
                b = 1.0 / np.sqrt(m.in_features)
                m.weight.copy_(torch.from_numpy(rs.uniform(-b, b, m.weight.shape)))
                m.bias.copy_(torch.from_numpy(rs.uniform(-b, b, m.bias.shape)))
    t.eval()
    return t


def teacher_json(t, arch, chw):
    sd = {k: tensor(v) for k, v in t.state_dict().items() if not k.endswith("num_batches_tracked")}
    return {"arch": arch, "input_shape": chw, "state_dict": sd}


class Patch:
    """Replaces attributes for the duration of a with-block (the draws), restoring them after."""

    def __init__(self, *triples):
        self.triples = triples

    def __enter__(self):
        self.saved = [(o, n, getattr(o, n)) for o, n, _ in self.triples]
        for o, n, v in self.triples:
            setattr(o, n, v)

    def __exit__(self, *exc):
        for o, n, v in self.saved:
            setattr(o, n, v)


def caller_locals(code):
    """Locals of the official loop when it called the wrapped scheduler step directly (None for other callers,
    such as the scheduler's own first step in its constructor)."""
    f = sys._getframe(2)
    return f.f_locals if f.f_code is code else None


# ---- 1. step-size search ----

def stepsize_cases(quantizer, rs):
    cases = []
    specs = [  # name, tensor, bits, symmetric, channel_wise, signed
        ("conv weight [4,2,3,3] per channel, W4", rs.standard_normal((4, 2, 3, 3)) * 0.3, 4, False, True, True),
        ("conv weight [4,2,3,3] per channel, W2", rs.standard_normal((4, 2, 3, 3)) * 0.3, 2, False, True, True),
        ("linear weight [3,8] per channel, W8", rs.uniform(-0.4, 0.4, (3, 8)), 8, False, True, True),
        ("skewed weight [2,16] (one-sided rows), W3", np.stack([rs.exponential(0.2, 16), -rs.exponential(0.1, 16)]), 3,
         False, True, True),
        ("signed activation [2,3,4,4], A4", rs.standard_normal((2, 3, 4, 4)), 4, True, False, True),
        ("unsigned activation (ReLU) [2,3,4,4], A4", np.maximum(rs.standard_normal((2, 3, 4, 4)), 0), 4, True, False,
         False),
        ("unsigned activation with outliers [64], A8", np.concatenate([rs.exponential(0.5, 62), [6.0, 9.0]]), 8, True,
         False, False),
        ("signed activation [32], A2", rs.standard_normal(32), 2, True, False, True),
    ]
    for name, x, bits, symmetric, channel_wise, signed in specs:
        xt = torch.from_numpy(np.asarray(x, np.float32))
        delta, zp = quantizer.init_scale(xt, n_bits=bits, symmetric=symmetric, channel_wise=channel_wise,
                                         signed=signed)
        cases.append({"name": name, "x": tensor(xt), "bits": bits, "symmetric": symmetric,
                      "channel_wise": channel_wise, "signed": signed, "delta": f32(delta), "zero_point": f32(zp)})
    return {"call": "quantizer.init_scale(x, n_bits, symmetric, channel_wise, signed)", "cases": cases}


# ---- 2. Genie-D ----

def genie_d(distill, BasicBlock, rs, iters=4, batch=4, latent=8, c1=8, c2=4):
    chw = [3, 8, 8]
    arch = teacher_arch(3)
    teacher = make_teacher(BasicBlock, arch, rs)
    n_swing = sum(1 for m in teacher.modules() if isinstance(m, nn.Conv2d) and m.stride != (1, 1))

    z0 = torch.from_numpy(rs.standard_normal((batch, latent)).astype(np.float32))
    offsets = [int(v) for v in rs.randint(0, 3, size=iters * n_swing * 2)]
    g_init = {}
    made = []
    original_init = distill.Generator.__init__

    def init_small(self, image_size=224, latent_dim=256, c1_=128, c2_=64):
        original_init(self, image_size=chw[1], latent_dim=latent, c1=c1, c2=c2)
        with torch.no_grad():  # the fresh parameters are draws: replace them with recorded ones
            for name, p in self.named_parameters():
                if name.endswith("weight") and p.dim() > 1:
                    b = 1.0 / np.sqrt(p[0].numel())
                    v = rs.uniform(-b, b, p.shape)
                elif "conv_layers" in name and p.dim() == 1 and name.endswith("weight"):
                    v = rs.uniform(0.8, 1.2, p.shape)  # affine BN scale
                else:
                    v = rs.uniform(-0.1, 0.1, p.shape)
                p.copy_(torch.from_numpy(v.astype(np.float32)))
                g_init[name] = tensor(p)
        made.append(self)

    def randn(*shape, **kw):
        assert tuple(shape) == (batch, 256), shape  # distill_data's z draw
        return z0.clone()

    queue = list(offsets)

    def randint(n, *a, **kw):
        assert n == 3 and not a, (n, a)  # SwingConv2d: np.random.randint(2 * jitter + 1)
        return queue.pop(0)

    steps, final = [], {}
    plateau_step = torch.optim.lr_scheduler.ReduceLROnPlateau.step

    def record(self, metrics, *a, **kw):
        loc = caller_locals(distill.distill_data.__code__)
        if loc is not None:
            it = loc["it"]
            steps.append({"iter": it, "total": float(loc["total_loss"].item()), "mean": float(loc["mean_loss"].item()),
                          "std": float(loc["std_loss"].item())})
            if it == iters - 1:  # after the last optimiser step
                final["z"] = tensor(loc["z"])
                final["generator"] = {n: tensor(p) for n, p in loc["generator"].named_parameters()}
                final["x"] = tensor(loc["x"])  # the last forward pass, the images distill_data returns
        return plateau_step(self, metrics, *a, **kw)

    with Patch((torch, "randn", randn), (np.random, "randint", randint),
               (distill.Generator, "__init__", init_small),
               (torch.optim.lr_scheduler.ReduceLROnPlateau, "step", record)):
        images = distill.distill_data(teacher, batch_size=batch, total_samples=batch, iters=iters)
    assert not queue, "unused swing offsets"
    assert torch.equal(images, torch.tensor(final["x"]["values"]).view(images.shape))
    return {"call": f"distill.distill_data(teacher, batch_size={batch}, total_samples={batch}, iters={iters})",
            "config": {"batch": batch, "iterations": iters, "latent": latent, "c1": c1, "c2": c2, "lr_z": 0.1,
                       "lr_g": 0.01, "swing_convs": n_swing},
            "teacher": teacher_json(teacher, arch, chw),
            "draws": {"z": tensor(z0), "generator": g_init, "swing_offsets": offsets,
                      "swing_order": "per iteration, per strided convolution in forward order: x offset, then y"},
            "steps": steps, "final": final}


# ---- 3. reconstruction: the stem unit, then one residual block ----

def reconstruction(recon, BasicBlock, rs, iters=10, minibatch=4, samples=32, stop_after=2):
    chw = [1, 8, 8]
    arch = teacher_arch(1)
    teacher = make_teacher(BasicBlock, arch, rs)
    images = torch.from_numpy(rs.standard_normal([samples] + chw).astype(np.float32))
    student = recon.quantize_model(teacher, 4, 4, (nn.Conv2d, nn.Linear, nn.Identity))
    names = unit_names(teacher, UNITS)[:stop_after]
    recon_batch = samples // minibatch  # their randperm(N).view(recon_batch, -1): rows of N / recon_batch

    coins, perms = [], []  # every draw in call order, tagged with the unit it belongs to
    done = [0]  # units finished: draws before a unit's end (its calibration pass, then its loop) are its own

    def rand_like(x, **kw):
        keep = rs.random_sample(tuple(x.shape)) < 0.5  # True: the element takes its quantized value
        coins.append({"unit": done[0], "shape": list(x.shape), "bits": bits_hex(keep)})
        return torch.from_numpy(np.where(keep, 0.25, 0.75).astype(np.float32)).to(x.dtype)

    def randperm(n, **kw):
        p = rs.permutation(n)
        perms.append({"unit": done[0], "values": [int(v) for v in p]})
        return torch.from_numpy(p.astype(np.int64))

    def layer_state(unit_name, block):
        out = {}
        for n, m in block.named_modules():
            if isinstance(m, recon.QuantizableLayer):
                s = {}
                if m.weight_quantizer is not None:
                    s["w_scale"] = f32(m.weight_quantizer.scale)
                    s["softbits"] = f32(m.weight_quantizer.bit_logit)
                if m.activation_quantizer is not None and m.activation_quantizer.scale is not None:
                    s["a_step"] = f32(m.activation_quantizer.scale)[0]
                    s["a_signed"] = bool(m.activation_quantizer.signed)
                    s["a_bits"] = m.activation_quantizer.n_bits
                out[unit_name + ("." + n if n else "")] = s
        return out

    units = []
    original_block = recon.reconstruct_block

    class Done(Exception):
        pass

    def run_unit(block, x, x_q, y, **kw):
        name = names[len(units)]
        unit = {"name": name, "initial": layer_state(name, block), "steps": [],
                "cache_sums": {"x": float(x.double().sum()), "x_q": float(x_q.double().sum()),
                               "y": float(y.double().sum())}}
        units.append(unit)
        original_block(block, x, x_q, y, **kw)
        unit["final"] = layer_state(name, block)
        done[0] += 1
        if len(units) == stop_after:
            raise Done()

    cosine_step = torch.optim.lr_scheduler.CosineAnnealingLR.step

    def record(self, *a, **kw):
        out = cosine_step(self, *a, **kw)
        loc = caller_locals(original_block.__code__)
        if loc is not None:  # not the scheduler's own first step in its constructor
            u = units[-1]
            rl = loc["round_loss"]
            u["steps"].append({"iter": loc["iters"], "rec": float(loc["recon_loss"].item()),
                               "round": float(rl.item()) if isinstance(rl, torch.Tensor) else float(rl),
                               "beta": float(loc["annealing_temp"]),
                               "layers": layer_state(u["name"], loc["block"])})
        return out

    with Patch((torch, "rand_like", rand_like), (torch, "randperm", randperm),
               (recon, "reconstruct_block", run_unit),
               (torch.optim.lr_scheduler.CosineAnnealingLR, "step", record)):
        try:
            recon.reconstruct(teacher, student, images, UNITS, iterations=iters, batch_size=recon_batch)
        except Done:
            pass
    for i, u in enumerate(units):
        # A unit's draws: its calibration pass (QDrop inside its quantizers runs there too), then its iterations.
        u["draws"] = {"permutations": [p["values"] for p in perms if p["unit"] == i],
                      "qdrop": [{"shape": c["shape"], "bits": c["bits"]} for c in coins if c["unit"] == i]}
    return {"call": f"reconstruct.reconstruct(teacher, quantize_model(teacher, 4, 4, (Conv2d, Linear, Identity)), "
                    f"images, {UNITS}, iterations={iters}, batch_size={recon_batch}), stopped after {stop_after} units",
            "config": {"wbits": 4, "abits": 4, "iterations": iters, "minibatch": minibatch, "recon_batch": recon_batch,
                       "samples": samples, "warmup": 0.2, "beta": [20, 2], "round_weight": 1.0, "lr_w_scale": 1e-4,
                       "lr_a_scale": 4e-5, "lr_bit": 1e-3, "qdrop_coin": "bit 1: the quantized value (rand < 0.5)",
                       "bits_order": "row-major, most significant bit of each byte first"},
            "teacher": teacher_json(teacher, arch, chw), "calibration": tensor(images), "units": units}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--official", required=True, help="checkout of github.com/SamsungLabs/Genie (left unchanged)")
    p.add_argument("--out", required=True, help="folder for the fixtures (src/test/resources/golden)")
    p.add_argument("--commit", help="official commit, when --official is not a git checkout")
    a = p.parse_args()
    official = pathlib.Path(a.official)
    if not (official / "reconstruct.py").is_file():
        sys.exit(f"golden_official: {official} is not a Genie checkout (no reconstruct.py)")
    commit = a.commit
    if commit is None:
        r = subprocess.run(["git", "-C", str(official), "rev-parse", "HEAD"], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("golden_official: --official is not a git checkout; pass --commit SHA")
        commit = r.stdout.strip()
    sys.path.insert(0, str(official))
    torch.Tensor.cuda = lambda self, *args, **kw: self
    nn.Module.cuda = lambda self, *args, **kw: self
    logging.disable(logging.CRITICAL)
    torch.set_num_threads(1)
    import distill, quantizer, reconstruct
    from models.resnet import BasicBlock

    meta = {"official": "SamsungLabs/Genie", "commit": commit,
            "files_sha256": {f: hashlib.sha256((official / f).read_bytes()).hexdigest() for f in OFFICIAL_FILES},
            "torch": torch.__version__, "numpy": np.__version__, "seed": SEED,
            "command": "/usr/bin/python3 tools/golden_official.py --official DIR --out src/test/resources/golden"
                       + (f" --commit {a.commit}" if a.commit else "")}
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    made = {
        "stepsize.json": lambda rs: stepsize_cases(quantizer, rs),
        "genie_d.json": lambda rs: genie_d(distill, BasicBlock, rs),
        "reconstruction.json": lambda rs: reconstruction(reconstruct, BasicBlock, rs),
    }
    for i, (file, make) in enumerate(made.items()):
        body = make(np.random.RandomState(SEED + i))
        (out / file).write_text(json.dumps({"meta": meta, **body}, separators=(",", ":")) + "\n")
        print(f"wrote {out / file} ({(out / file).stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
