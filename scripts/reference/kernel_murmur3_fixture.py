"""Writes packages/kernel/src/hashing/fixtures/murmur3-mmh3.json: MurmurHash3 x86_32 of the UTF-8 bytes of
strings (ASCII, multi-byte, emoji, lone surrogates) by the reference C implementation in the `mmh3` package.

    bash scripts/reference/kernel-venv.sh && .venv-ref/bin/python scripts/reference/kernel_murmur3_fixture.py

Strings are JSON-escaped (ensure_ascii), so JavaScript reads the same UTF-16 code units. A lone surrogate
is hashed as U+FFFD (EF BF BD), which is what TextEncoder produces for it.
"""
import json
import os
import random

import mmh3

SEEDS = [0, 1, 42, 0x9747B28C, 0xFFFFFFFF]


def utf8_like_textencoder(s: str) -> bytes:
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in s).encode("utf-8")


def no_accidental_pairs(s: str) -> str:
    # Python keeps '\ud83d' '\ude00' as two lone surrogates, JavaScript would read them as one pair.
    out = []
    for ch in s:
        if out and 0xD800 <= ord(out[-1]) <= 0xDBFF and 0xDC00 <= ord(ch) <= 0xDFFF:
            out.append("x")
        out.append(ch)
    return "".join(out)


fixed = [
    "", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "abcdefghi",
    "word:free", "age", "Hello, world!", "The quick brown fox jumps over the lazy dog",
    "\x00", "\x00\x00\x00\x00", "\x7f",
    "\u0080", "\u07ff", "\u0800", "\uffff", "\U00010000", "\U0010FFFF",
    "é", "ß", "naïve café", "日本語", "ππππππππ", "Ελληνικά", "word:ünïcödé",
    "😀", "a😀b", "👍🏽", "🇫🇷", "😀😀😀", "x😀", "xx😀", "xxx😀",
    "\ud800", "\udc00", "a\ud800b", "\udc00\ud800", "x\ud83d", "\ude00x", "ab\udbff", "\ud800\ud800",
]

rng = random.Random(20261201)
pools = [
    lambda: chr(rng.randrange(0x20, 0x7F)),
    lambda: chr(rng.randrange(0x80, 0x800)),
    lambda: chr(rng.choice([rng.randrange(0x800, 0xD800), rng.randrange(0xE000, 0x10000)])),
    lambda: chr(rng.randrange(0x10000, 0x110000)),
    lambda: chr(rng.randrange(0xD800, 0xE000)),
]
randoms = []
for _ in range(60):
    n = rng.randrange(0, 24)
    randoms.append(no_accidental_pairs("".join(rng.choice(pools)() for _ in range(n))))

cases = []
for s in fixed + randoms:
    b = utf8_like_textencoder(s)
    cases.append({"s": s, "utf8": b.hex(), "hashes": [mmh3.hash(b, seed, signed=False) for seed in SEEDS]})

out = os.path.join(os.path.dirname(__file__), "../../packages/kernel/src/hashing/fixtures/murmur3-mmh3.json")
with open(out, "w", encoding="ascii") as f:
    json.dump({"generator": "scripts/reference/kernel_murmur3_fixture.py", "mmh3": mmh3.__version__ if hasattr(mmh3, "__version__") else "5.3.1",
               "seeds": SEEDS, "cases": cases}, f, ensure_ascii=True, indent=0)
    f.write("\n")
print(len(cases), "cases written to", os.path.normpath(out))
