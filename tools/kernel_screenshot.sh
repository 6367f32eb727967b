#!/usr/bin/env bash
# Screenshot of a notebook executed by the Genie kernel, rendered by Jupyter Notebook in headless Chromium.
#
# usage: tools/kernel_screenshot.sh [out.png]        (default /tmp/kernel_screenshot.png)
# needs: mvn -B -o -q -pl kernel package; apt-get install -y chromium jupyter-notebook jupyter-nbconvert
#
# 1. installs the kernelspec into a temporary prefix (JUPYTER_PATH points there, nothing global changes)
# 2. executes kernel/src/test/notebooks/kernel_smoke.ipynb headless (nbconvert): a stream, an XChart chart, a table
# 3. starts Jupyter Notebook on 127.0.0.1, a free port, no token, --no-browser
# 4. opens the executed notebook in headless Chromium and saves the screenshot, then stops the server
set -euo pipefail

OUT="${1:-/tmp/kernel_screenshot.png}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JUPYTER=/usr/bin/jupyter
PY=/usr/bin/python3
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
[ -x "$JUPYTER" ] || { echo "missing $JUPYTER: apt-get install -y jupyter-notebook jupyter-nbconvert" >&2; exit 2; }
[ -n "$CHROMIUM" ] || { echo "missing chromium: apt-get install -y chromium" >&2; exit 2; }
[ -d "$ROOT/kernel/target/lib" ] || { echo "build first: mvn -B -o -q -pl kernel package" >&2; exit 2; }

WORK="$(mktemp -d /tmp/genie-screenshot.XXXXXX)"
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

echo "executing the smoke notebook with the genie-java kernel..."
"$JUPYTER" nbconvert --to notebook --execute --ExecutePreprocessor.timeout=180 \
  --output-dir "$WORK/nb" "$ROOT/kernel/src/test/notebooks/kernel_smoke.ipynb" >"$WORK/nbconvert.log" 2>&1 \
  || { cat "$WORK/nbconvert.log" >&2; exit 1; }

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
"$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/api')" \
  || { cat "$WORK/server.log" >&2; exit 1; }

URL="http://127.0.0.1:$PORT/notebooks/kernel_smoke.ipynb"
echo "screenshot of $URL"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars \
  --user-data-dir="$WORK/chromium" --window-size=1280,1600 --virtual-time-budget=15000 \
  --screenshot="$OUT" "$URL" >"$WORK/chromium.log" 2>&1 || { cat "$WORK/chromium.log" >&2; exit 1; }
[ -s "$OUT" ] || { echo "no screenshot written" >&2; cat "$WORK/chromium.log" >&2; exit 1; }
echo "saved $OUT"
