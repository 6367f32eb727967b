#!/usr/bin/python3
"""Measures the Genie kernel's start-up: launch -> first kernel_info_reply (jupyter_client, /usr/bin/python3).

usage: /usr/bin/python3 tools/kernel_startup.py [runs]     (build first: mvn -B -o -q -pl kernel package)

Installs the kernelspec into a temporary prefix (java -cp kernel/target/classes:kernel/target/lib/* genie.kernel.Cli
kernel install --prefix ...), starts the kernel `runs` times (default 3) and prints each time and the median.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from queue import Empty

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "kernel", "target")


def install(prefix):
    cp = os.path.join(TARGET, "classes") + os.pathsep + os.path.join(TARGET, "lib", "*")
    if not os.path.isdir(os.path.join(TARGET, "lib")):
        sys.exit("kernel/target/lib missing: run `mvn -B -o -q -pl kernel package` first")
    subprocess.run(["java", "-cp", cp, "genie.kernel.Cli", "kernel", "install", "--prefix", prefix],
                   check=True, stdout=subprocess.DEVNULL)


def measure_once():
    from jupyter_client import KernelManager
    km = KernelManager(kernel_name="genie-java")
    start = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        while True:
            msg_id = kc.kernel_info()
            deadline = time.perf_counter() + 0.25
            while time.perf_counter() < deadline:
                try:
                    reply = kc.get_shell_msg(timeout=0.05)
                except Empty:
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    return time.perf_counter() - start, reply["content"]
            if time.perf_counter() - start > 60:
                raise RuntimeError("no kernel_info_reply within 60 s")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as prefix:
        install(prefix)
        os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
        times = []
        for i in range(runs):
            t, content = measure_once()
            times.append(t)
            print("run %d: %.2f s to kernel_info_reply (%s %s, status %s)" % (
                i + 1, t, content["implementation"], content["language_info"]["version"], content.get("status")))
        print("start-up (launch -> kernel_info_reply): median %.2f s, min %.2f s, max %.2f s over %d runs" % (
            statistics.median(times), min(times), max(times), runs))
        return 0 if statistics.median(times) < 3.0 else 1


if __name__ == "__main__":
    sys.exit(main())
