"""Asserts an executed kernel_smoke.ipynb holds a stream output, a PNG (XChart) and an HTML table (Tablesaw).

usage: /usr/bin/python3 check_smoke_notebook.py executed.ipynb
"""
import sys

import nbformat


def check(path):
    nb = nbformat.read(path, as_version=4)
    streams, pngs, tables, errors = [], [], [], []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                streams.append(out.text)
            elif out.output_type in ("execute_result", "display_data"):
                data = out.get("data", {})
                if "image/png" in data:
                    pngs.append(data["image/png"])
                html = data.get("text/html", "")
                if "<table" in html and "<th>" in html:
                    tables.append(html)
            elif out.output_type == "error":
                errors.append("%s: %s" % (out.ename, out.evalue))
    problems = []
    if errors:
        problems.append("cells failed: %s" % errors)
    if not any("Hello from the Genie kernel" in s for s in streams):
        problems.append("no stream output from the first cell")
    if not pngs or not pngs[0].startswith("iVBOR"):
        problems.append("no PNG image (XChart chart)")
    if not tables or "<th>model</th>" not in tables[0]:
        problems.append("no HTML table with a header (Tablesaw table)")
    if problems:
        print("FAILED: " + "; ".join(problems))
        return 1
    print("OK: %d stream(s), %d PNG(s), %d HTML table(s)" % (len(streams), len(pngs), len(tables)))
    return 0


if __name__ == "__main__":
    sys.exit(check(sys.argv[1]))
