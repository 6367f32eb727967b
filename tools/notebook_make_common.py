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

BUDGET_NOTE = """The committed outputs were executed at the **smoke** budget (`GENIE_BUDGET=smoke`, the default: tiny sample
counts and iteration numbers so the notebook runs in about a minute on 2 CPU cores); their accuracies are **not** the
method's. `GENIE_BUDGET=full` uses the paper's settings (1024 images, 4000 synthesis and 20000 reconstruction
iterations); a full-budget execution is out of reach on this project's machines today and has not been run."""

RECORDS = """Path records = Path.of(System.getenv().getOrDefault("GENIE_RECORDS",
        System.getProperty("java.io.tmpdir") + "/genie-runs"));"""
