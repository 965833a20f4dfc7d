#!/usr/bin/env python3
"""Writes the three alert sounds: 16-bit PCM WAV, 44.1 kHz, mono (standard library only).

    python3 resources/sounds/make_sounds.py [OUTPUT_DIR]   # default: this script's folder

The WAV files are committed, so a build needs neither this script nor Python. Each level must be
told apart by ear without looking at the screen:
  warning.wav   — a soft two-note chime (E6 → B5), decaying, about 0.7 s
  critical.wav  — a sharper double beep (1.5 kHz with harmonics), about 0.45 s
  emergency.wav — an urgent rising siren, two sweeps; it is looped until the episode is
                  acknowledged or snoozed, so it ends in a short gap that gives the loop its rhythm
"""
import math
import os
import struct
import sys
import wave

RATE = 44100


def fade(samples, fade_in_s=0.005, fade_out_s=0.01):
    """Short linear ramps at both ends: no click at the start or end of a clip (or of a loop)."""
    n_in = int(fade_in_s * RATE)
    n_out = int(fade_out_s * RATE)
    out = list(samples)
    for i in range(min(n_in, len(out))):
        out[i] *= i / n_in
    for i in range(min(n_out, len(out))):
        out[-1 - i] *= i / n_out
    return out


def silence(seconds):
    return [0.0] * int(seconds * RATE)


def chime():
    out = []
    for freq, length in ((1318.5, 0.30), (987.8, 0.42)):  # E6 then B5
        n = int(length * RATE)
        note = []
        for i in range(n):
            t = i / RATE
            envelope = math.exp(-t * 7.0)
            note.append(envelope * (0.8 * math.sin(2 * math.pi * freq * t)
                                    + 0.2 * math.sin(2 * math.pi * 2 * freq * t)))
        out += fade(note, 0.004, 0.03)
    return [0.38 * s for s in out]


def beep(freq, seconds):
    n = int(seconds * RATE)
    tone = []
    for i in range(n):
        t = i / RATE
        # Odd harmonics make it buzzy and sharp, unlike the chime's pure tone.
        tone.append(0.7 * math.sin(2 * math.pi * freq * t) + 0.2 * math.sin(2 * math.pi * 3 * freq * t)
                    + 0.1 * math.sin(2 * math.pi * 5 * freq * t))
    return fade(tone, 0.003, 0.008)


def double_beep():
    return [0.8 * s for s in beep(1500.0, 0.13) + silence(0.07) + beep(1500.0, 0.13) + silence(0.10)]


def siren():
    out = []
    for _ in range(2):
        n = int(0.26 * RATE)
        phase = 0.0
        sweep = []
        for i in range(n):
            freq = 700.0 + 1100.0 * (i / n)  # 700 Hz → 1.8 kHz
            phase += 2 * math.pi * freq / RATE
            # A square-ish wave: harsh on purpose, it has to wake someone.
            sweep.append(0.75 * math.sin(phase) + 0.25 * math.sin(3 * phase))
        out += fade(sweep, 0.003, 0.006) + silence(0.04)
    out += silence(0.16)
    return [0.85 * s for s in out]


def write(path, samples):
    with wave.open(path, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(b"".join(struct.pack("<h", max(-32767, min(32767, round(s * 32767)))) for s in samples))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    write(os.path.join(folder, "warning.wav"), chime())
    write(os.path.join(folder, "critical.wav"), double_beep())
    write(os.path.join(folder, "emergency.wav"), siren())


if __name__ == "__main__":
    main()
