"""Writes the codec benchmark's input: SIZE MiB of CSV-like rows (ids, words, decimals, timestamps), seeded, so
every run and every peer compresses the same bytes."""
import random, sys
path, mib = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261121)
words = [("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10)))) for _ in range(5000)]
out, size, i = [], 0, 0
while size < mib << 20:
    row = f"{i},{rng.choice(words)} {rng.choice(words)},{rng.randint(0, 10**6) / 100:.2f},2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00,{rng.getrandbits(64):016x}\n"
    out.append(row)
    size += len(row)
    i += 1
open(path, "wb").write("".join(out).encode()[: mib << 20])
