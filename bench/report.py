"""Medians over repetitions, the comparison table, machine facts and BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

type JSONObject = dict[str, Any]
type Getter = Callable[[JSONObject], float | None]

START_MARK = "<!-- bench:results:start -->"
END_MARK = "<!-- bench:results:end -->"


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: how to read the figure from a worker result, and its target."""

    scenario: str
    metric: str
    part: str
    get: Getter
    target: float | None = None  # highest acceptable ours/core ratio
    absolute: float | None = None  # highest acceptable value of ours (S3 recovery)
    digits: int = 3


def _dig(result: JSONObject, *keys: str | int) -> Any:
    value: Any = result
    for key in keys:
        if isinstance(value, dict) and isinstance(key, str):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return None
    return value


def _setup_seconds(size: int) -> Getter:
    def get(result: JSONObject) -> float | None:
        figures = _dig(result, "s1", str(size))
        if not isinstance(figures, dict) or not figures.get("ok"):
            return None
        return float(figures["seconds"])

    return get


def _memory_per_point(size: int) -> Getter:
    def get(result: JSONObject) -> float | None:
        figures = _dig(result, "s1", str(size))
        if not isinstance(figures, dict) or not figures.get("ok"):
            return None
        return float(figures["rss_delta"]) / size / 1024

    return get


def _per_entity(size: int, key: str, scale: float) -> Getter:
    """A setup figure divided by the number of enabled entities (what HA pays per entity)."""

    def get(result: JSONObject) -> float | None:
        figures = _dig(result, "s1", str(size))
        if not isinstance(figures, dict) or not figures.get("ok") or not figures["entities"]:
            return None
        return float(figures[key]) * scale / float(figures["entities"])

    return get


def _entities_per_point(size: int) -> Getter:
    def get(result: JSONObject) -> float | None:
        figures = _dig(result, "s1", str(size))
        if not isinstance(figures, dict) or not figures.get("ok"):
            return None
        return float(figures["entities"]) / size

    return get


HA_SOCKET = "/haserver"  # the HA API; the app socket (pybluecurrent) is /appserver/2.0


def _socket_requests(*keys: str, ha_socket: bool) -> Getter:
    """Requests of a setup on the HA socket, or on the other (app) sockets."""

    def get(result: JSONObject) -> float | None:
        paths = _dig(result, *keys, "commands_by_path")
        if not isinstance(paths, dict):
            return None
        return float(
            sum(count for path, count in paths.items() if (path == HA_SOCKET) is ha_socket)
        )

    return get


def _restart_seconds(result: JSONObject) -> float | None:
    figures = _dig(result, "s1_restart")
    if not isinstance(figures, dict) or not figures.get("ok"):
        return None
    return float(figures["seconds"])


def _field(*keys: str | int) -> Getter:
    def get(result: JSONObject) -> float | None:
        value = _dig(result, *keys)
        return float(value) if isinstance(value, int | float) else None

    return get


def _recovery(index: int) -> Getter:
    def get(result: JSONObject) -> float | None:
        figures = _dig(result, "s3", index)
        if not isinstance(figures, dict) or not figures.get("recovered"):
            return None
        return float(figures["recovery_seconds"])

    return get


def table_rows(small: int, load: int, large: tuple[int, ...]) -> list[Row]:
    """Every row of the comparison, in print order."""
    rows = [
        Row("S1 setup", f"{n} CP: seconds to all entities available", "s1", _setup_seconds(n), 0.5)
        for n in (small, load, *large)
    ]
    rows += [
        Row("S1 setup", f"{load} CP: enabled entities per CP", "s1", _entities_per_point(load)),
        Row("S1 setup", f"{load} CP: ms per entity", "s1", _per_entity(load, "seconds", 1000)),
        Row(
            "S1 setup",
            f"{load} CP, new entry: requests on the HA socket",
            "s1",
            _socket_requests("s1", str(load), ha_socket=True),
        ),
        Row(
            "S1 setup",
            f"{load} CP, new entry: requests on the app socket",
            "s1",
            _socket_requests("s1", str(load), ha_socket=False),
        ),
        Row(
            "S1 restart",
            f"{load} CP: seconds to all entities available",
            "s1",
            _restart_seconds,
        ),
        Row(
            "S1 restart",
            f"{load} CP: requests on the HA socket",
            "s1",
            _socket_requests("s1_restart", ha_socket=True),
            1.0,
        ),
        Row(
            "S1 restart",
            f"{load} CP: requests on the app socket",
            "s1",
            _socket_requests("s1_restart", ha_socket=False),
        ),
    ]
    rows += [
        Row(
            "S2 push load",
            "CPU seconds per 10,000 messages",
            "s2",
            _field("s2", "cpu_per_10k"),
            0.5,
        ),
        Row("S2 push load", "latency p50, ms (send -> state)", "s2", _field("s2", "p50_ms")),
        Row("S2 push load", "latency p99, ms (send -> state)", "s2", _field("s2", "p99_ms"), 0.5),
        Row(
            "S3 outage 1 h (HTTP 503)",
            "connection attempts",
            "s3",
            _field("s3", 0, "attempts"),
            0.1,
        ),
        Row(
            "S3 outage 1 h (HTTP 503)",
            "requests from outage to full data",
            "s3",
            _field("s3", 0, "requests_until_recovered"),
            1.0,
        ),
        Row(
            "S3 outage 1 h (HTTP 503)",
            "seconds from return to full data",
            "s3",
            _recovery(0),
            absolute=60.0,
        ),
        Row(
            "S3 outage 1 h (TCP refused)", "connection attempts", "s3", _field("s3", 1, "attempts")
        ),
        Row(
            "S3 outage 1 h (TCP refused)",
            "seconds from return to full data",
            "s3",
            _recovery(1),
            absolute=60.0,
        ),
    ]
    rows += [
        Row("S4 memory", f"{n} CP: KiB RSS per charge point", "s1", _memory_per_point(n), 1.0)
        for n in large
    ]
    rows.append(
        Row(
            "S4 memory",
            f"{large[0]} CP: KiB RSS per entity",
            "s1",
            _per_entity(large[0], "rss_delta", 1 / 1024),
        )
    )
    return rows


def median_of(results: list[JSONObject], get: Getter) -> tuple[float | None, int]:
    """Median of the repetitions that produced the figure, and how many did."""
    values = [v for r in results if (v := get(r)) is not None]
    return (statistics.median(values) if values else None), len(values)


def _fmt(value: float | None, count: int, reps: int, digits: int) -> str:
    if value is None:
        return "fail" if reps else "-"
    text = f"{value:.{digits}g}" if abs(value) < 10**digits else f"{value:.0f}"
    return text if count == reps else f"{text} ({count}/{reps} ok)"


def build_table(
    rows: list[Row], core: list[JSONObject], ours: list[JSONObject]
) -> tuple[list[str], list[JSONObject]]:
    """Markdown table lines plus a machine-readable summary of each row."""
    lines = [
        "| Scenario | Metric | core | ours | ours/core | Target | Met |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    summary: list[JSONObject] = []
    for row in rows:
        core_value, core_n = median_of(core, row.get)
        ours_value, ours_n = median_of(ours, row.get)
        ratio = (
            ours_value / core_value
            if core_value is not None and ours_value is not None and core_value > 0
            else None
        )
        target, met = "", ""
        if row.target is not None:
            target = f"ours/core <= {row.target:g}"
            if ratio is not None:
                met = "yes" if ratio <= row.target else "**no**"
            elif ours_value is not None and core_value is None:
                met = "yes (core fails)"
            else:
                met = "**no**" if ours_value is None else "n/a"
        if row.absolute is not None:
            target = f"ours <= {row.absolute:g} s"
            met = "yes" if ours_value is not None and ours_value <= row.absolute else "**no**"
        ratio_text = f"{ratio:.2f}" if ratio is not None else "-"
        lines.append(
            f"| {row.scenario} | {row.metric} | {_fmt(core_value, core_n, len(core), 4)} "
            f"| {_fmt(ours_value, ours_n, len(ours), 4)} | {ratio_text} | {target} | {met} |"
        )
        summary.append(
            {
                "scenario": row.scenario,
                "metric": row.metric,
                "core": core_value,
                "ours": ours_value,
                "ratio": ratio,
                "met": met,
            }
        )
    return lines, summary


def failure_notes(results: dict[str, list[JSONObject]]) -> list[str]:
    """One line per distinct failure (setup that did not bring every point up, no recovery)."""
    notes: list[str] = []
    for integration, runs in results.items():
        for run in runs:
            if "error" in run:
                notes.append(f"- {integration}: worker {run['error']}")
            for size, figures in sorted(run.get("s1", {}).items(), key=lambda kv: int(kv[0])):
                if figures.get("ok"):
                    continue
                reason = figures.get("reason") or (
                    f"entry {figures.get('entry_state')}, {figures.get('points_ok')} of {size} "
                    f"charge points got entities ({figures.get('entities')} entities)"
                )
                notes.append(f"- {integration}, S1 {size} CP: {reason}")
            notes.extend(
                f"- {integration}, S3 ({outage['mode']}): no full data within 1 h after "
                f"the server returned ({outage['attempts']} connection attempts)"
                for outage in run.get("s3", [])
                if not outage.get("recovered")
            )
    return list(dict.fromkeys(notes))


def machine() -> dict[str, str]:
    """Date, hardware and software versions for the report."""
    cpu = "unknown"
    with_path = Path("/proc/cpuinfo")
    if with_path.exists():
        for line in with_path.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, read only
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "custom_components", "simulators"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if dirty:
            commit += " + uncommitted changes of the integration/simulator"
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "ram": ram,
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "homeassistant": metadata.version("homeassistant"),
        "bluecurrent-api": metadata.version("bluecurrent-api"),
        "commit": commit,
    }


def results_block(
    info: dict[str, str],
    lines: list[str],
    reps: int,
    settings: dict[str, Any],
    notes: list[str],
) -> str:
    """The generated part of BENCHMARKS.md."""
    head = [
        f"Run: {info['date']}, commit {info['commit']}, {reps} repetition(s), medians.",
        f"Machine: {info['cores']} cores, {info['ram']} RAM, {info['cpu']}; {info['os']}.",
        f"Software: Python {info['python']}, Home Assistant {info['homeassistant']}, "
        f"bluecurrent-api {info['bluecurrent-api']} (core `blue_current`).",
        "Settings: " + ", ".join(f"{k} {v}" for k, v in settings.items()) + ".",
        "",
    ]
    tail = ["", "Failures:", *notes] if notes else []
    return "\n".join([START_MARK, *head, *lines, *tail, END_MARK])


def write_benchmarks(path: Path, block: str) -> None:
    """Replace the generated block of BENCHMARKS.md (the rest is written by hand)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START_MARK in text and END_MARK in text:
        before = text[: text.index(START_MARK)]
        after = text[text.index(END_MARK) + len(END_MARK) :]
        path.write_text(before + block + after, encoding="utf-8")
    else:
        path.write_text(f"# Benchmarks\n\n{block}\n{text}", encoding="utf-8")
