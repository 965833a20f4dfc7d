#!/usr/bin/env python3
"""Writes the synthetic crash recordings beside this script (the simulator's replay CSV,
time,symbol,mark). They exist to check that the alert rules are not tuned to the one real recording
in ../shared/data/crashes: a seeded random walk in log price at a crash-day noise, with rare jumps
of 1-3 %, moved through segments of given length and total move. Deterministic (fixed seeds).

    python3 tests/bench/crashes/make_synthetic_crashes.py
    build/release/tests/bench/bench_alert_quality --marks tests/bench/crashes/sol-1m.csv
"""
import math
import os
import random


def write(name, symbol, start, cadence, segments, noise_per_minute, seed, t0=1600000000):
    random.seed(seed)
    t, log_price = t0, math.log(start)
    rows = [(t, start)]
    for duration, move in segments:
        steps = int(duration / cadence)
        for _ in range(steps):
            t += cadence
            log_price += move / steps + random.gauss(0, noise_per_minute * math.sqrt(cadence / 60))
            if random.random() < 0.002 * cadence / 60:
                log_price += random.choice([-1, 1]) * random.uniform(0.01, 0.03)
            rows.append((t, math.exp(log_price)))
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name), "w") as out:
        out.write("time,symbol,mark\n")
        for when, mark in rows:
            out.write(f"{when},{symbol},{mark:.4f}\n")


ln = math.log
# An hour calm, −15 % in 20 min, +8 % in 30 min, an hour calm.
write("fast-rebound-1m.csv", "BTCUSDT", 60000, 60, [(3600, 0), (1200, ln(0.85)), (1800, ln(1.08)), (3600, 0)], 0.004, 1)
# Half an hour calm, −25 % over six hours, an hour calm.
write("slow-grind-1m.csv", "BTCUSDT", 50000, 60, [(1800, 0), (6 * 3600, ln(0.75)), (3600, 0)], 0.003, 2)
# SOL-like: 1 % noise a minute, −35 % in an hour, +10 % in half an hour.
write("sol-1m.csv", "SOLUSDT", 150, 60, [(1800, 0), (3600, ln(0.65)), (1800, ln(1.1)), (1800, 0)], 0.01, 3)
# One mark a second: −10 % in 3 minutes, all of it back in 10.
write("flash-1s.csv", "BTCUSDT", 60000, 1, [(1800, 0), (180, ln(0.9)), (600, ln(1 / 0.9)), (1800, 0)], 0.0015, 4)
# Two legs down with a relief rally between, over half a day.
write("two-legs-1m.csv", "BTCUSDT", 8000, 60,
      [(3600, 0), (5 * 3600, ln(0.75)), (3 * 3600, ln(1.05)), (2 * 3600, ln(0.7)), (3600, 0)], 0.005, 5)
# Chop: −5 %, +5 %, −7 % over nine hours at a high noise.
write("chop-1m.csv", "BTCUSDT", 40000, 60, [(3600 * 3, ln(0.95)), (3600 * 3, ln(1.05)), (3600 * 3, ln(0.93))], 0.006, 6)
