"""Benchmarks, run by `trappen benchmark NAME` on a fresh test database.

Each module offers `run(*, children, requests, seed, out)`; the command lists them in its
BENCHMARKS dict. Timings are printed, never asserted.
"""
