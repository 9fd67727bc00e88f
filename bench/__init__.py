"""Benchmark harness: our integration against Home Assistant's core `blue_current`.

Run it with `scripts/bench` (see BENCHMARKS.md for the method and the latest figures).
Nothing here is imported by the integration, the simulator or the test suite.
"""
