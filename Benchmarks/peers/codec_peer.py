"""The peers of codec-bench: the same operations on the same file with Python's fastest bindings, timed the same
way (best of at least 5 runs and about 0.5 s). Prints one JSON object per line."""
import json, sys, time, zlib
import cramjam, google_crc32c, lz4.block, zstandard

data = open(sys.argv[1], "rb").read()

def measure(op, fn):
    best, runs, spent = float("inf"), 0, 0.0
    while runs < 5 or (spent < 0.5 and runs < 200):
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        best, spent, runs = min(best, elapsed), spent + elapsed, runs + 1
    print(json.dumps({"op": op, "mb_per_s": round(len(data) / best / 1e6, 1)}))

snappy = bytes(cramjam.snappy.compress_raw(data))
measure("snappy.compress", lambda: cramjam.snappy.compress_raw(data))
measure("snappy.decompress", lambda: cramjam.snappy.decompress_raw(snappy))
zc, zd = zstandard.ZstdCompressor(level=3), zstandard.ZstdDecompressor()
z = zc.compress(data)
measure("zstd3.compress", lambda: zc.compress(data))
measure("zstd3.decompress", lambda: zd.decompress(z))
l = lz4.block.compress(data, store_size=False)
measure("lz4block.compress", lambda: lz4.block.compress(data, store_size=False))
measure("lz4block.decompress", lambda: lz4.block.decompress(l, uncompressed_size=len(data)))
def deflate():
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()
d = deflate()
measure("deflate6.compress", deflate)
measure("deflate6.decompress", lambda: zlib.decompress(d, -15))
measure("crc32c", lambda: google_crc32c.value(data))
measure("crc32", lambda: zlib.crc32(data))
