#!/usr/bin/env bash
# Stages the finished cells of the committed sweeps (notebooks/results/NAME/CELL with a sweep-done marker and a
# record). Cells still running or pending stay out of git: a clone resumes them with `genie sweep run`.
set -euo pipefail
cd "$(dirname "$0")/.."
n=0
for done in notebooks/results/*/*/sweep-done; do
  [ -e "$done" ] || continue
  cell="$(dirname "$done")"
  [ -f "$cell/record.json" ] || continue
  git add -f -- "$cell"
  n=$((n + 1))
done
echo "staged $n finished cell(s) under notebooks/results/"
