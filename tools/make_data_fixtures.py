#!/usr/bin/python3
"""Generates the ImageFolder test fixtures and PIL/torchvision reference outputs.

Run from the repository root with Debian's python (python3-pil, python3-torchvision):

    /usr/bin/python3 tools/make_data_fixtures.py

Writes small deterministic images into src/test/resources/data/folder/<class>/... and the reference
preprocessing results (torchvision Resize -> CenterCrop -> ToTensor -> Normalize on PIL images, loaded the way
torchvision's ImageFolder loader does: Image.open(f).convert("RGB"), then convert("L") for 1-channel cases) into
src/test/resources/data/folder_reference.json.
"""
import hashlib
import json
import os
import random
import shutil
import sys

from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "data")
FOLDER = os.path.join(ROOT, "folder")


def rgb_gradient(w, h, seed, noise=40, checker=0, sparse=5):
    rnd = random.Random(seed)
    im = Image.new("RGB", (w, h))
    px = []
    for y in range(h):
        for x in range(w):
            r = int(255 * x / max(1, w - 1))
            g = int(255 * y / max(1, h - 1))
            b = (x * 7 + y * 13) % 256
            c = checker * (((x // 3) + (y // 2)) % 2)  # high frequencies: antialiasing matters
            n = noise if (x * 31 + y * 17) % sparse == 0 else 0  # sparse noise keeps the PNG small
            px.append(tuple(max(0, min(255, v - c + rnd.randint(-n, n))) for v in (r, g, b)))
    im.putdata(px)
    return im


def make_images():
    if os.path.isdir(FOLDER):
        shutil.rmtree(FOLDER)
    files = {}
    # class order by folder name: ant < cat < dog (sorted like torchvision's find_classes)
    files["cat/a_gradient.png"] = rgb_gradient(40, 30, 1)              # upscaled by every case
    files["dog/b_big.png"] = rgb_gradient(300, 200, 2, noise=90, checker=70, sparse=29)         # strongly downscaled (antialias)
    gray = Image.new("L", (23, 37))
    rnd = random.Random(3)
    gray.putdata([(x * 11 + y * 5 + rnd.randint(0, 60)) % 256 for y in range(37) for x in range(23)])
    files["dog/c_gray.png"] = gray                                       # grayscale PNG, portrait
    rgba = rgb_gradient(50, 45, 4).convert("RGBA")
    alpha = Image.new("L", rgba.size)
    alpha.putdata([(x * 5) % 256 for y in range(45) for x in range(50)])
    rgba.putalpha(alpha)
    files["ant/d_alpha.png"] = rgba                                      # alpha dropped by convert("RGB")
    files["ant/sub/e_palette.png"] = rgb_gradient(33, 28, 5).quantize(colors=16)  # palette, nested folder
    files["cat/f_28.png"] = rgb_gradient(28, 28, 6)                      # exact 28x28
    for rel, im in files.items():
        path = os.path.join(FOLDER, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        im.save(path, optimize=True)
    with open(os.path.join(FOLDER, "cat", "notes.txt"), "w") as f:
        f.write("not an image: ImageFolder must skip this file\n")


CASES = [
    # name, channels, crop, resize, mean, std, full (write every value) or digest
    ("rgb_small", 3, 12, 14, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225], True),
    ("gray_small", 1, 10, 13, [0.286], [0.353], True),
    ("rgb_224", 3, 224, 256, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225], False),
    ("gray_28", 1, 28, 28, [0.286], [0.353], False),
    ("rgb_pad", 3, 40, 20, [0.5], [0.25], False),  # resize smaller than crop: zero padding
]


def reference():
    import torch
    import torchvision
    from torchvision import datasets, transforms

    out = {"generator": "tools/make_data_fixtures.py",
           "pil": Image.__version__, "torch": torch.__version__, "torchvision": torchvision.__version__,
           "cases": []}
    for name, ch, crop, resize, mean, std, full in CASES:
        pil_steps = [transforms.Resize(resize), transforms.CenterCrop(crop)]
        if ch == 1:
            pil_steps.insert(0, transforms.Lambda(lambda im: im.convert("L")))
        pil_tf = transforms.Compose(pil_steps)
        norm_tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, std)])
        ds = datasets.ImageFolder(FOLDER, transform=pil_tf)
        case = {"name": name, "channels": ch, "crop": crop, "resize": resize, "mean": mean, "std": std,
                "classes": ds.classes,
                "files": [os.path.relpath(p, FOLDER).replace(os.sep, "/") for p, _ in ds.samples],
                "labels": [int(l) for _, l in ds.samples], "images": []}
        for i in range(len(ds)):
            im, _ = ds[i]
            u8 = torch.as_tensor(bytearray(im.tobytes()), dtype=torch.uint8)
            u8 = u8.view(im.size[1], im.size[0], ch).permute(2, 0, 1).contiguous()
            x = norm_tf(im)
            assert tuple(x.shape) == (ch, crop, crop), x.shape
            # shortest decimal that round-trips the float32 value: parse it with Float.parseFloat
            vals = [float(str(v)) for v in x.flatten().numpy()]
            entry = {"sha256_uint8_chw": hashlib.sha256(bytes(u8.flatten().tolist())).hexdigest(),
                     "head": vals[:16], "sum": float(x.double().sum())}
            if full:
                entry["uint8"] = [int(v) for v in u8.flatten().tolist()]
                entry["values"] = vals
            case["images"].append(entry)
        out["cases"].append(case)
    with open(os.path.join(ROOT, "folder_reference.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    make_images()
    reference()
    print("wrote", FOLDER, "and", os.path.join(ROOT, "folder_reference.json"), file=sys.stderr)
