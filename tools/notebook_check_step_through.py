#!/usr/bin/python3
"""Checks an executed notebooks/03_step_through.ipynb: no errors, every %genie_step cell shows the unit pictures
(PNG: loss curve, output before/after) and the per-unit table (HTML), the quantize cell the placement table,
the plot cells a PNG. Usage: notebook_check_step_through.py EXECUTED.ipynb"""
import json, sys

nb = json.load(open(sys.argv[1]))
problems = []
steps = 0
for i, c in enumerate(nb["cells"]):
    if c["cell_type"] != "code":
        continue
    src = "".join(c["source"])
    outs = c.get("outputs", [])
    errors = [o for o in outs if o["output_type"] == "error"]
    if errors:
        problems.append(f"cell {i} ({src.splitlines()[0]}) failed: {errors[0].get('evalue')}")
        continue
    data = [o.get("data", {}) for o in outs if o["output_type"] in ("display_data", "execute_result")]
    pngs = sum(1 for d in data if "image/png" in d)
    htmls = [d["text/html"] for d in data if "text/html" in d]
    html = "".join(x if isinstance(x, str) else "".join(x) for x in htmls)
    if src.startswith("%genie_step"):
        steps += 1
        if pngs < 3:  # live loss chart + the unit's loss curve + its output before/after
            problems.append(f"cell {i} ({src}): {pngs} PNG outputs, expected >= 3")
        if "<th>SQNR after (dB)</th>" not in html:
            problems.append(f"cell {i} ({src}): no per-unit table (HTML)")
        if "genie-progress" not in html:
            problems.append(f"cell {i} ({src}): no progress bar")
    elif src.startswith("%genie_quantize"):
        if "<th>w_bits</th>" not in html:
            problems.append(f"cell {i}: no placement table")
    elif src.startswith("%genie_plot") or src.startswith("%%genie_synth"):
        if pngs < 1:
            problems.append(f"cell {i} ({src.splitlines()[0]}): no PNG")
    elif src.startswith("%genie_table") or src.startswith("Genie.table"):
        if "<thead>" not in html:
            problems.append(f"cell {i} ({src}): no HTML table")
if steps < 4:
    problems.append(f"only {steps} %genie_step cells")
last_table = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).startswith("Genie.tableUnits")]
if last_table:
    t = "".join("".join(o.get("data", {}).get("text/plain", "")) for o in last_table[0]["outputs"])
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"ok: {steps} step cells with unit pictures (PNG) and tables (HTML)")
