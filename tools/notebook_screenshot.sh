#!/usr/bin/env bash
# Screenshots of an executed notebook (default notebooks/03_step_through.ipynb, executed by the Genie kernel),
# rendered by Jupyter Notebook in headless Chromium: one tall page cut into parts.
#
# usage: tools/notebook_screenshot.sh [OUT_DIR] [EXECUTED.ipynb]
#   OUT_DIR        default /tmp/notebook_screenshots (writes NAME_full.png and NAME_NN.png)
#   EXECUTED.ipynb an already executed notebook, e.g. notebooks/04_ablations.ipynb; without it 03 is executed
#                  first (GENIE_BUDGET=smoke)
# needs: mvn -B -o -q -pl kernel package; apt-get install -y chromium jupyter-notebook jupyter-nbconvert python3-pil
set -euo pipefail

OUT="${1:-/tmp/notebook_screenshots}"
EXECUTED="${2:-}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JUPYTER=/usr/bin/jupyter
PY=/usr/bin/python3
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
HEIGHT="${GENIE_SCREENSHOT_HEIGHT:-16000}"
[ -x "$JUPYTER" ] || { echo "missing $JUPYTER: apt-get install -y jupyter-notebook jupyter-nbconvert" >&2; exit 2; }
[ -n "$CHROMIUM" ] || { echo "missing chromium: apt-get install -y chromium" >&2; exit 2; }
[ -d "$ROOT/kernel/target/lib" ] || { echo "build first: mvn -B -o -q -pl kernel package" >&2; exit 2; }
mkdir -p "$OUT"

WORK="$(mktemp -d /tmp/genie-nbshot.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

java -cp "$ROOT/kernel/target/classes:$ROOT/kernel/target/lib/*" genie.kernel.Cli kernel install --prefix "$WORK/prefix" >/dev/null
export JUPYTER_PATH="$WORK/prefix/share/jupyter"
export JUPYTER_RUNTIME_DIR="$WORK/runtime"
export JUPYTER_CONFIG_DIR="$WORK/config"
mkdir -p "$WORK/nb"

NB=03_step_through
if [ -n "$EXECUTED" ]; then
  NB="$(basename "$EXECUTED" .ipynb)"
  cp "$EXECUTED" "$WORK/nb/$NB.ipynb"
else
  echo "executing notebooks/03_step_through.ipynb with the genie-java kernel (GENIE_BUDGET=${GENIE_BUDGET:-smoke})..."
  (cd "$ROOT/notebooks" && "$JUPYTER" nbconvert --to notebook --execute --ExecutePreprocessor.timeout=900 \
    --output-dir "$WORK/nb" 03_step_through.ipynb) >"$WORK/nbconvert.log" 2>&1 \
    || { tail -40 "$WORK/nbconvert.log" >&2; exit 1; }
fi

ROOT_FLAG=()
[ "$(id -u)" = "0" ] && ROOT_FLAG=(--allow-root)
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"$JUPYTER" notebook --no-browser --ip=127.0.0.1 --port="$PORT" --port-retries=0 \
  --NotebookApp.token='' --NotebookApp.password='' --NotebookApp.open_browser=False \
  --notebook-dir="$WORK/nb" "${ROOT_FLAG[@]}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/api')" 2>/dev/null; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.3
done

URL="http://127.0.0.1:$PORT/notebooks/$NB.ipynb"
FULL="$OUT/${NB}_full.png"
echo "screenshot of $URL"
# A tall window so the whole notebook is laid out without scrolling (the kernel is not started: outputs are saved).
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars \
  --user-data-dir="$WORK/chromium" --window-size=1280,"$HEIGHT" --virtual-time-budget=20000 \
  --screenshot="$FULL" "$URL" >"$WORK/chromium.log" 2>&1 || { cat "$WORK/chromium.log" >&2; exit 1; }
[ -s "$FULL" ] || { echo "no screenshot written" >&2; exit 1; }

# Cut into 1280x1600 parts, dropping trailing blank space.
"$PY" - "$FULL" "$OUT" "$NB" <<'PY'
import sys
from PIL import Image, ImageChops
full, out, name = sys.argv[1], sys.argv[2], sys.argv[3]
im = Image.open(full).convert("RGB")
bg = Image.new("RGB", im.size, im.getpixel((im.width - 1, im.height - 1)))
box = ImageChops.difference(im, bg).getbbox()
if box:
    im = im.crop((0, 0, im.width, min(im.height, box[3] + 40)))
    im.save(full)
n = 0
for top in range(0, im.height, 1600):
    n += 1
    im.crop((0, top, im.width, min(im.height, top + 1600))).save(f"{out}/{name}_{n:02d}.png")
print(f"saved {full} ({im.width}x{im.height}) and {n} parts in {out}")
PY
