#!/usr/bin/python3
"""Shared cell helpers of the notebook generators (tools/notebook_make_*.py). Run those from the repository root."""
import json, uuid

class Nb:
    def __init__(self):
        self.cells = []
    def md(self, text):
        self.cells.append({"cell_type": "markdown", "id": uuid.uuid4().hex[:8], "metadata": {},
                           "source": text.strip("\n").splitlines(True)})
    def code(self, text):
        self.cells.append({"cell_type": "code", "id": uuid.uuid4().hex[:8], "metadata": {}, "execution_count": None,
                           "outputs": [], "source": text.strip("\n").splitlines(True)})
    def write(self, path):
        nb = {"cells": self.cells, "metadata": {"kernelspec": {"display_name": "Genie (Java)", "language": "java",
              "name": "genie-java"}, "language_info": {"name": "java"}}, "nbformat": 4, "nbformat_minor": 5}
        with open(path, "w") as f:
            json.dump(nb, f, indent=1)
            f.write("\n")

BUDGET_NOTE = """`GENIE_BUDGET` sets how much the notebook computes: `smoke` (the default, what CI runs: about a minute on 2
CPU cores; its accuracies mean nothing), `full` (the budget at which the official code was measured on the ResNet-20 teacher:
512 images, Genie-D 500 iterations in batches of 128, 2000 reconstruction iterations per unit, 500 inside ablations,
all 10,000 test images) or `paper` (1024 images, 4000 and 20000 iterations). The first cell prints the budget the
outputs below were made with. `GENIE_SYNTH_CACHE=DIR` keeps Genie-D results in DIR and reuses one when teacher
weights, settings and seed are the same (the same images, so no number changes)."""

BUDGET = """import genie.report.Budget;
Budget budget = Budget.fromEnv();
budget.asMap().forEach(Session::put);   // ${samples}, ${synthBatch}, ${synthIters}, ${iters}, ${ablationIters}, ${evalLimit}"""

RECORDS = """Path records = Path.of(System.getenv().getOrDefault("GENIE_RECORDS", "runs"));   // beside the notebook"""
