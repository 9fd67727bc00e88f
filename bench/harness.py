"""The benchmark driver: simulator and Home Assistant processes, repetitions, the table.

    python -m bench [--quick] [--reps N] [--profile] [--no-write]

For every repetition and integration (the order alternates between repetitions) a fresh
simulator process is started, then three Home Assistant worker processes run against it one
after the other: part "main" (S1 for 1 and 100 points, S2, S3) and part "large" for 500 and for
1000 points (S1 and S4). Raw results, worker logs and profiles go to bench-results/<time>/;
the table is printed and written into BENCHMARKS.md between its generated-block markers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .report import (
    build_table,
    failure_notes,
    machine,
    results_block,
    table_rows,
    write_benchmarks,
)
from .scenarios import bench_accounts, write_scenario

type JSONObject = dict[str, Any]

ROOT = Path(__file__).resolve().parent.parent
SMALL, LOAD, LARGE = 1, 100, (500, 1000)
S2_COUNT, S2_RATE = 10000, 500.0
WORKER_TIMEOUT = 240.0
INTEGRATIONS = ("core", "ours")


def log(message: str) -> None:
    """Progress on stderr."""
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()


class Simulator:
    """`python -m bench.simproc` in its own process."""

    def __init__(self, scenario: Path, log_file: Path) -> None:
        """Start the process and read its URLs."""
        self._log = log_file.open("w", encoding="utf-8")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "bench.simproc", "--scenario", str(scenario)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        if self.process.stdout is None:
            raise RuntimeError("no stdout from the simulator")
        line = self.process.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError(f"simulator did not start, see {log_file}")
        urls = json.loads(line)
        self.url: str = urls["url"]
        self.control_url: str = urls["control_url"]

    def stop(self) -> None:
        """Terminate the process (this one only, by its handle)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def run_worker(
    integration: str,
    part: str,
    sim: Simulator,
    run_dir: Path,
    name: str,
    extra: list[str],
) -> JSONObject:
    """One Home Assistant worker process; its JSON result (or the error)."""
    out = run_dir / f"{name}.json"
    command = [
        sys.executable,
        "-m",
        "bench.worker",
        "--integration",
        integration,
        "--part",
        part,
        "--sim-url",
        sim.url,
        "--control-url",
        sim.control_url,
        "--accounts",
        str(run_dir / "accounts.json"),
        "--config-dir",
        str(run_dir / "config" / name),
        "--out",
        str(out),
        *extra,
    ]
    started = time.monotonic()
    try:
        completed = subprocess.run(  # noqa: S603 - our own interpreter and module
            command,
            cwd=ROOT,
            timeout=WORKER_TIMEOUT,
            check=False,
            stderr=subprocess.PIPE,
            text=True,
        )
    except subprocess.TimeoutExpired as err:
        # Its progress lines say which scenario hung.
        partial = err.stderr.decode() if isinstance(err.stderr, bytes) else (err.stderr or "")
        (run_dir / f"{name}.stderr").write_text(partial, encoding="utf-8")
        log(f"{name}: timed out after {WORKER_TIMEOUT:.0f} s, see {name}.stderr")
        return {"error": "timeout"}
    log(f"{name}: {time.monotonic() - started:.1f} s")
    if completed.returncode != 0 or not out.exists():
        (run_dir / f"{name}.stderr").write_text(completed.stderr, encoding="utf-8")
        log(f"{name}: failed (exit {completed.returncode}), see {name}.stderr")
        return {"error": f"exit {completed.returncode}"}
    result: JSONObject = json.loads(out.read_text(encoding="utf-8"))
    return result


def merge(parts: list[JSONObject]) -> JSONObject:
    """One result per repetition and integration from its worker parts."""
    merged: JSONObject = {"s1": {}}
    for part in parts:
        for key, value in part.items():
            if key == "s1" and isinstance(value, dict):
                merged["s1"].update(value)
            else:
                merged[key] = value
    return merged


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line."""
    parser = argparse.ArgumentParser(prog="scripts/bench")
    parser.add_argument("--quick", action="store_true", help="one repetition (development)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument(
        "--profile", action="store_true", help="pyinstrument profiles of ours (and core)"
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    parser.add_argument("--only", choices=INTEGRATIONS, default=None, help="one side only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when every run produced its figures."""
    args = parse_args(argv)
    reps = 1 if args.quick else args.reps
    started = time.monotonic()
    run_dir = ROOT / "bench-results" / time.strftime("%Y%m%d-%H%M%S")
    run_dir.mkdir(parents=True)
    accounts = bench_accounts((SMALL, LOAD, *LARGE))
    scenario = run_dir / "scenario.json"
    write_scenario(scenario, accounts)
    (run_dir / "accounts.json").write_text(
        json.dumps({k: asdict(v) for k, v in accounts.items()}), encoding="utf-8"
    )
    profile = ["--profile", str(run_dir / "profiles")] if args.profile else []
    common = ["--small-size", str(SMALL), "--load-size", str(LOAD)]
    s2 = ["--s2-count", str(S2_COUNT), "--s2-rate", str(S2_RATE)]
    results: dict[str, list[JSONObject]] = {name: [] for name in INTEGRATIONS}
    for rep in range(reps):
        order = INTEGRATIONS if rep % 2 == 0 else INTEGRATIONS[::-1]
        for integration in order:
            if args.only and integration != args.only:
                continue
            sim = Simulator(scenario, run_dir / f"sim-{integration}-{rep}.log")
            try:
                parts = [
                    run_worker(
                        integration,
                        "main",
                        sim,
                        run_dir,
                        f"{integration}-{rep}-main",
                        [*common, *s2, *profile],
                    )
                ]
                for size in LARGE:
                    extra = ["--size", str(size), *profile]
                    if args.profile and size == LARGE[0]:
                        extra.append("--tracemalloc")
                    parts.append(
                        run_worker(
                            integration,
                            "large",
                            sim,
                            run_dir,
                            f"{integration}-{rep}-large{size}",
                            extra,
                        )
                    )
            finally:
                sim.stop()
            results[integration].append(merge(parts))
    (run_dir / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    lines, summary = build_table(table_rows(SMALL, LOAD, LARGE), results["core"], results["ours"])
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    info = machine()
    settings = {
        "S2": f"{S2_COUNT} pushes at {S2_RATE:g}/s over {LOAD} points",
        "S3": "outage 3600 s simulated",
        "wall time": f"{time.monotonic() - started:.0f} s",
        "raw results": str(run_dir.relative_to(ROOT)),
    }
    block = results_block(info, lines, reps, settings, failure_notes(results))
    sys.stdout.write(block.replace("<!-- ", "").replace(" -->", "") + "\n")
    if not args.no_write and not args.only:
        write_benchmarks(ROOT / "BENCHMARKS.md", block)
        log("BENCHMARKS.md updated")
    failed = any("error" in r for rows in results.values() for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
