"""Fresh-machine check: clone the repo, run the README's two commands exactly as written.

The serve command is checked by polling ``/health`` and then stopped; the test command
must exit 0. Reports pass/fail with timings (Markdown to stdout, JSON to
``bench/results/fresh_machine.json``).

    python bench/fresh_machine.py               # both commands
    python bench/fresh_machine.py --serve-only  # CI: .ci/run already runs the test command
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands(readme: Path) -> tuple[str, str]:
    """The two commands at the top of the README (first code block, non-comment lines)."""
    block = readme.read_text(encoding="utf-8").split("```")[1]
    lines = [x.strip() for x in block.splitlines()[1:] if x.strip() and not x.strip().startswith("#")]
    if len(lines) != 2:
        raise SystemExit(f"expected two commands at the top of the README, found {len(lines)}")
    return lines[0], lines[1]


def poll_health(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200 and json.loads(r.read())["status"] == "ok":
                    return True
        except (OSError, ValueError):
            time.sleep(1)
    return False


def check_serve(command: str, workdir: Path, timeout: float) -> dict:
    t0 = time.monotonic()
    proc = subprocess.Popen(command, shell=True, cwd=workdir, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ok = poll_health("http://127.0.0.1:8000/health", timeout)
    seconds = time.monotonic() - t0
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
    return {"command": command, "ok": ok, "seconds": round(seconds, 1), "tail": out[-2000:] if not ok else ""}


def check_tests(command: str, workdir: Path, timeout: float) -> dict:
    t0 = time.monotonic()
    proc = subprocess.run(command, shell=True, cwd=workdir, capture_output=True, text=True, timeout=timeout)
    last = [x for x in proc.stdout.splitlines() if x.strip()][-1:] or [""]
    return {"command": command, "ok": proc.returncode == 0, "seconds": round(time.monotonic() - t0, 1),
            "exit_code": proc.returncode, "summary": last[0], "tail": "" if proc.returncode == 0 else proc.stdout[-3000:]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--serve-only", action="store_true")
    parser.add_argument("--repo", default=str(ROOT), help="repository to clone (default: this one)")
    args = parser.parse_args()
    serve, test = readme_commands(ROOT / "README.md")
    results = {}
    with tempfile.TemporaryDirectory(prefix="kik-fresh-") as tmp:
        clone = Path(tmp) / "kracht-in-kaart"
        t0 = time.monotonic()
        subprocess.run(["git", "clone", "-q", args.repo, str(clone)], check=True)
        results["clone_seconds"] = round(time.monotonic() - t0, 1)
        results["serve"] = check_serve(serve, clone, timeout=600)
        if not args.serve_only:
            results["tests"] = check_tests(test, clone, timeout=1800)
    ok = results["serve"]["ok"] and (args.serve_only or results["tests"]["ok"])
    results["ok"] = ok
    print("| step | result | seconds |\n|---|---|---:|")
    print(f"| serve (health answered) | {'pass' if results['serve']['ok'] else 'FAIL'} | {results['serve']['seconds']} |")
    if "tests" in results:
        print(f"| tests ({results['tests']['summary']}) | {'pass' if results['tests']['ok'] else 'FAIL'} | {results['tests']['seconds']} |")
    for step in ("serve", "tests"):
        if step in results and results[step]["tail"]:
            print(f"\n{step} output:\n{results[step]['tail']}")
    out = ROOT / "bench" / "results" / "fresh_machine.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
