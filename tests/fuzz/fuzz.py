#!/usr/bin/env python3
"""SQL fuzzer of sipas's input functions and accessors (run by tests/fuzz/run).

    fuzz.py --db DB --work DIR [--bindir DIR] --count N [--seed S] [--timeout SECS]

Seeds are values made by sipas itself (likert_agg, survey_agg, form_agg, likert_from_counts)
plus valid extremes; every candidate input is a seed after one to four mutations
(bit flips, byte insertions and deletions, truncation, duplication, splicing,
boundary numbers, k out of range, wrong array and field lengths, huge counts,
broken item codes, ...).  Six kinds of input, in the proportions of KINDS:

  likert_text   'text'::sipas.likert      (likert_in)
  survey_text   'text'::sipas.survey      (survey_in)
  likert_bin    COPY ... FROM file (FORMAT binary) of one sipas.likert (likert_recv)
  survey_bin    COPY ... FROM file (FORMAT binary) of one sipas.survey (survey_recv)
  form_text     'text'::sipas.form        (form_in)
  form_bin      COPY ... FROM file (FORMAT binary) of one sipas.form (form_recv)

Inputs go to the server in batches; fz.run_text / fz.run_bin (fuzz.sql) try each
input in its own subtransaction and check accepted values (round trips,
accessors, invariants).  After every batch the driver checks that the
connection worked and the server did not restart (pg_postmaster_start_time() and
the checkpointer's start: see GENERATION_SQL); a batch that crashed the server,
timed out or failed otherwise is split in halves until the inputs responsible
are found.

Output: a table of counts per kind, every problem with its input, and the line
"sql: N passed, M failed" (N = inputs handled correctly).  Problems with the
signature of a defect of doc/hardening.md (Findings: F1 error message not valid
UTF-8, F2 squared weights overflow) are labelled; they count as failures unless
FUZZ_TOLERATE lists the label (e.g. FUZZ_TOLERATE=F1,F2 on a build without the
fixes).  Exit status 1 when M > 0.
"""
import argparse
import json
import math
import os
import random
import re
import struct
import subprocess
import sys
import time

PSQL = os.path.join(os.environ.get("SIPAS_PG_BIN", "/usr/lib/postgresql/15/bin"), "psql")

# share of the total count per kind
KINDS = [("likert_text", 0.30), ("survey_text", 0.20), ("likert_bin", 0.20), ("survey_bin", 0.12),
         ("form_text", 0.10), ("form_bin", 0.08)]
BATCH = {"likert_text": 2500, "survey_text": 1500, "likert_bin": 2500, "survey_bin": 1500,
         "form_text": 2000, "form_bin": 2000}

INT64_MAX = 2**63 - 1

# ---------------------------------------------------------------------------------------
# boundary values
# ---------------------------------------------------------------------------------------

BOUNDARY_TEXT_NUMBERS = [
    "0", "-0", "1", "-1", "2", "5", "9", "10", "11", "255", "256", "65535", "65536",
    "2147483647", "2147483648", "-2147483648", "4294967296",
    "9007199254740992", "9007199254740993", "9223372036854775806", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "99999999999999999999999999",
    "1e308", "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e308",
    "1e-320", "4.9406564584124654e-324", "5e-324", "2e-324", "1e-400", "2.2250738585072014e-308",
    "1e154", "1.34e154", "1e-160", "0.5", "1.5", "1e0", "1E2", "1e+2", "1e-2", "0.0", "-0.0",
    "NaN", "nan", "Infinity", "-Infinity", "inf", "-inf", "+1", ".5", "1.", "01", "00", "0x10",
    "1e", "1e+", "--1", "1-", "1..2", "1e5e5", "", " ", "null", "true", "\"1\"", "[1]", "{}",
    "1" * 70, "0." + "0" * 70 + "1", "1" + "0" * 400,
]

INT64_BOUNDARY = [0, 1, 2, -1, 2**31 - 1, 2**31, -2**31, 2**32, 2**53, 2**53 + 1, 2**62,
                  INT64_MAX - 1, INT64_MAX, -INT64_MAX - 1, 10**18, 5, 1000]

NAN_PATTERNS = [0x7FF8000000000000, 0x7FF0000000000001, 0xFFF8000000000000, 0x7FFFFFFFFFFFFFFF]
DOUBLE_BOUNDARY = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e308, 1.7976931348623157e308, -1e308,
                   float("inf"), float("-inf"), 1e-320, 5e-324, 2.2250738585072014e-308,
                   1e154, 1.34e154, 1e-154, 1e-160, 2.0**53, 2.0**63, 9.223372036854776e18, 3.0,
                   1e-300, 1e300, 0.1]

WEIRD_CHARS = ["é", "中", "\u00a0", "\u2028", "😀", "\ufffd", "\u0301", "ß", "Ω", "\x01", "\x7f",
               "\\", "'", '"', "\t", "\n", "\r", " "]
JSON_CHARS = list('{}[]:,"-+.eE0123456789 kwn2') + ['"k"', '"n"', '"w"', '"w2"', "\\u0000"]


def pack_double(x):
    return struct.pack("!d", x)


def safe_scaled(rng):
    """a double of random magnitude, 1e-330 (zero) .. 1e310 (infinity)"""
    try:
        return rng.choice([1.0, 3.7, 0.2]) * (10.0 ** rng.randint(-330, 310))
    except OverflowError:
        return float("inf")


def random_double_bytes(rng):
    """8 bytes of a boundary double, a NaN pattern, a random magnitude or random bits"""
    r = rng.random()
    if r < 0.6:
        return pack_double(rng.choice(DOUBLE_BOUNDARY))
    if r < 0.75:
        return struct.pack("!Q", rng.choice(NAN_PATTERNS))
    if r < 0.9:
        return pack_double(safe_scaled(rng))
    return bytes(rng.getrandbits(8) for _ in range(8))


# ---------------------------------------------------------------------------------------
# byte-level mutations (text and binary)
# ---------------------------------------------------------------------------------------

def m_bitflip(rng, b):
    if not b:
        return bytes([rng.getrandbits(8)])
    b = bytearray(b)
    for _ in range(rng.choice([1, 1, 1, 2, 3, 8])):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def m_setbyte(rng, b):
    if not b:
        return b
    b = bytearray(b)
    i = rng.randrange(len(b))
    b[i] = rng.choice([0, 1, 2, 0x7F, 0x80, 0xFF, 0xFE, 11, 10, 9, rng.getrandbits(8)])
    return bytes(b)


def m_insert(rng, b, alphabet=None):
    i = rng.randint(0, len(b))
    if alphabet and rng.random() < 0.7:
        ins = rng.choice(alphabet)
        ins = ins.encode("utf-8") if isinstance(ins, str) else ins
    else:
        ins = bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 1, 2, 4, 8])))
    return b[:i] + ins + b[i:]


def m_delete(rng, b):
    if not b:
        return b
    i = rng.randrange(len(b))
    n = rng.choice([1, 1, 1, 2, 3, 8, 16, rng.randint(1, max(1, len(b)))])
    return b[:i] + b[i + n:]


def m_truncate(rng, b):
    if not b:
        return b
    return b[:rng.randrange(len(b))]


def m_duplicate(rng, b):
    if not b:
        return b
    i = rng.randrange(len(b))
    j = rng.randint(i, min(len(b), i + rng.choice([1, 4, 16, 64, 256])))
    times = rng.choice([1, 1, 2, 10])
    return b[:j] + b[i:j] * times + b[j:]


def m_swap(rng, b):
    if len(b) < 4:
        return b
    i, j = sorted(rng.sample(range(len(b)), 2))
    n = rng.randint(1, min(8, j - i))
    return b[:i] + b[j:j + n] + b[i + n:j] + b[i:i + n] + b[j + n:]


def m_splice(rng, b, other):
    i = rng.randint(0, len(b))
    j = rng.randint(0, len(other))
    return b[:i] + other[j:]


BYTE_MUTATORS = [m_bitflip, m_setbyte, m_insert, m_delete, m_truncate, m_duplicate, m_swap]

# ---------------------------------------------------------------------------------------
# text mutations
# ---------------------------------------------------------------------------------------

NUM_RE = re.compile(r"-?[0-9][0-9.eE+\-]*")


def t_number(rng, s):
    """replace one number token by a boundary number"""
    nums = list(NUM_RE.finditer(s))
    if not nums:
        return s
    m = rng.choice(nums)
    return s[:m.start()] + rng.choice(BOUNDARY_TEXT_NUMBERS) + s[m.end():]


def t_k(rng, s):
    """set k (first "k":) to something out of range or inconsistent"""
    m = re.search(r'"k"\s*:\s*(-?[0-9]+)', s)
    if not m:
        return s
    k = rng.choice(["0", "1", "2", "3", "5", "9", "10", "11", "12", "100", "255", "256", "-1",
                    "-2147483648", "9223372036854775807", "9223372036854775808", "2.0", "5e0",
                    "\"5\"", "null", "05"])
    return s[:m.start(1)] + k + s[m.end(1):]


def t_array_len(rng, s):
    """add or remove array elements"""
    arrs = list(re.finditer(r"\[([^\[\]]*)\]", s))
    if not arrs:
        return s
    m = rng.choice(arrs)
    items = m.group(1).split(",") if m.group(1) else []
    r = rng.random()
    if r < 0.4 and items:
        del items[rng.randrange(len(items))]
    elif r < 0.8:
        items.insert(rng.randint(0, len(items)), rng.choice(["0", "1", items[0] if items else "1"]))
    elif r < 0.9:
        items = []
    else:
        items = items * rng.choice([2, 3, 100])
    return s[:m.start()] + "[" + ",".join(items) + "]" + s[m.end():]


def t_keys(rng, s):
    """drop, duplicate, rename or reorder keys"""
    r = rng.random()
    if r < 0.2:
        return re.sub(r',"w2":\[[^\]]*\]', "", s, count=1)
    if r < 0.35:
        return re.sub(r',"w":\[[^\]]*\]', "", s, count=1)
    if r < 0.5:
        m = re.search(r',"(n|w|w2)":\[[^\]]*\]', s)
        return s if not m else s[:m.end()] + m.group(0) + s[m.end():]
    if r < 0.65:
        return s.replace('"k"', rng.choice(['"K"', '"kk"', "k", '"k" ', '"\\u006b"', '""']), 1)
    if r < 0.75:
        return s.replace('"w2"', rng.choice(['"w3"', '"w"', '"W2"']), 1)
    if r < 0.85:
        m = re.search(r'\{"k":([0-9]+),"n":(\[[^\]]*\])', s)
        return s if not m else s[:m.start()] + '{"n":' + m.group(2) + ',"k":' + m.group(1) + s[m.end():]
    # add weights to an unweighted object
    m = re.search(r'"n":\[([^\]]*)\]\}', s)
    if not m:
        return s
    vals = m.group(1)
    return s[:m.end() - 1] + ',"w":[' + vals + '],"w2":[' + vals + "]}" + s[m.end():]


def t_whitespace(rng, s):
    """whitespace between tokens is allowed: value stays valid"""
    ws = rng.choice([" ", "\n", "\t", "\r", "  ", "\u00a0", "\f", "\v"])
    positions = [i for i, c in enumerate(s) if c in "{}[]:,"]
    if not positions:
        return s
    i = rng.choice(positions) + rng.choice([0, 1])
    return s[:i] + ws + s[i:]


def t_weird(rng, s):
    i = rng.randint(0, len(s))
    return s[:i] + rng.choice(WEIRD_CHARS) * rng.choice([1, 1, 2, 7]) + s[i:]


def t_huge(rng, s):
    """very long tokens and deep repetition"""
    r = rng.random()
    i = rng.randint(0, len(s))
    if r < 0.3:
        return s[:i] + "9" * rng.choice([20, 63, 64, 65, 200, 5000]) + s[i:]
    if r < 0.5:
        return s[:i] + " " * rng.choice([100, 10000]) + s[i:]
    if r < 0.7:
        return s[:i] + "[" * rng.choice([10, 1000]) + s[i:]
    return s * rng.choice([2, 3])


def t_bytes(rng, s, other):
    """a byte-level mutation of the UTF-8 form; invalid UTF-8 becomes U+FFFD"""
    b = s.encode("utf-8")
    r = rng.random()
    if r < 0.1:
        b = m_splice(rng, b, other.encode("utf-8"))
    elif r < 0.35:
        b = m_insert(rng, b, JSON_CHARS + WEIRD_CHARS)
    else:
        b = rng.choice(BYTE_MUTATORS)(rng, b)
    return b.decode("utf-8", errors="replace")


TEXT_MUTATORS = [(t_number, 5), (t_k, 2), (t_array_len, 3), (t_keys, 2), (t_whitespace, 1),
                 (t_weird, 1), (t_huge, 0.3), (None, 6)]   # None = t_bytes


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    x = rng.random() * total
    for f, w in weighted:
        x -= w
        if x < 0:
            return f
    return weighted[-1][0]


def format_double(rng, x):
    """a double in one of several valid JSON spellings (exact or rounded)"""
    if x == 0:
        return rng.choice(["0", "0.0", "-0", "0e5", "0E-5", "-0.0"])
    f = rng.choice(["repr", "repr", "17g", "25e", "3g", "E"])
    if f == "repr":
        s = repr(x)
    elif f == "17g":
        s = "%.17g" % x
    elif f == "25e":
        s = "%.25e" % x
    elif f == "3g":
        s = "%.3g" % x
    else:
        s = ("%.17E" % x).replace("E+", "E")
    return s.replace("inf", "1e999")


def valid_likert_text(rng):
    """a likert text form built from a valid-by-construction value, spelled in varied ways"""
    b = consistent_extreme(rng) if rng.random() < 0.6 else \
        lk_payload(1, rng.randint(2, 10), 0, [rng.choice([0, 1, 5, 2**31, 2**53 + 1, 2**62]) for _ in range(10)])
    _, k, weighted, n, w, w2 = parse_lk_payload(b)
    n = n[:k]
    while sum(n) > INT64_MAX:
        n[n.index(max(n))] //= 2
    ws = rng.choice(["", "", " ", "\n", "\t", "\r\n  "])
    sep = ws + "," + ws
    parts = ['"k"' + ws + ":" + ws + str(k), '"n"' + ws + ":" + ws + "[" + sep.join(
        rng.choice([str(c), "-0" if c == 0 else str(c)]) for c in n) + "]"]
    if weighted:
        for key, arr in (("w", w), ("w2", w2)):
            vals = [struct.unpack("!d", x)[0] for x in arr]
            parts.append('"%s"' % key + ws + ":" + ws + "[" + sep.join(format_double(rng, v) for v in vals) + "]")
    elif rng.random() < 0.3:
        # explicit weights equal to the counts: stored unweighted
        parts.append('"w":[' + ",".join(str(c) for c in n) + "]")
        parts.append('"w2":[' + ",".join(str(c) for c in n) + "]")
    return ws + "{" + ws + sep.join(parts) + ws + "}" + ws


def mutate_likert_text(rng, seeds):
    if rng.random() < 0.15:
        s = valid_likert_text(rng)
        return s if rng.random() < 0.7 else t_number(rng, s)
    s = rng.choice(seeds)
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        f = pick(rng, TEXT_MUTATORS)
        s = t_bytes(rng, s, rng.choice(seeds)) if f is None else f(rng, s)
    return s


# ---------------------------------------------------------------------------------------
# survey text
# ---------------------------------------------------------------------------------------

CODE_MUTATIONS = ["", "a" * 32, "a" * 33, "I A 1", "I.A.1é", "I/A", "I.A.1\"", "Ä", "a\\b",
                  "-", ".", "_", "zz", "0", "I.A.1", "I.A.1 ", "\u00a0", "a" * 100, "中文"]


def _plain(v):
    """json.loads(object_pairs_hook=list) value -> plain JSON value (objects as dicts)"""
    if isinstance(v, list) and v and all(isinstance(p, tuple) for p in v):
        return {k: _plain(x) for k, x in v}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def split_survey(s):
    """top-level items of a survey text form: list of (code, object text); None if not parseable"""
    try:
        d = json.loads(s, object_pairs_hook=list)
    except (ValueError, RecursionError):
        return None
    if not isinstance(d, list) or not all(isinstance(p, tuple) for p in d):
        return None
    out = []
    try:
        for code, obj in d:
            if not (isinstance(obj, list) and all(isinstance(p, tuple) for p in obj)):
                return None
            out.append((code, json.dumps(_plain(obj), separators=(",", ":"))))
    except (TypeError, ValueError, RecursionError):
        return None
    return out


def join_survey(items):
    return "{" + ",".join(json.dumps(c) + ":" + o for c, o in items) + "}"


def mutate_survey_text(rng, seeds, likert_seeds):
    s = rng.choice(seeds)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        r = rng.random()
        items = split_survey(s) if r < 0.6 else None
        if items is None:
            if r < 0.75:
                s = t_bytes(rng, s, rng.choice(seeds))
            else:
                f = pick(rng, TEXT_MUTATORS[:-1])
                s = f(rng, s)
            continue
        r2 = rng.random()
        if r2 < 0.35 and items:
            # mutate one item's histogram
            i = rng.randrange(len(items))
            items[i] = (items[i][0], mutate_likert_text(rng, [items[i][1]] + likert_seeds[:3]))
        elif r2 < 0.5 and items:
            i = rng.randrange(len(items))
            items[i] = (rng.choice(CODE_MUTATIONS), items[i][1])
        elif r2 < 0.6 and items:
            i = rng.randrange(len(items))
            items.insert(i, items[i])                 # duplicate code
        elif r2 < 0.7 and len(items) > 1:
            i, j = rng.sample(range(len(items)), 2)    # out of order
            items[i], items[j] = items[j], items[i]
        elif r2 < 0.78 and items:
            del items[rng.randrange(len(items))]
        elif r2 < 0.81:
            # many items, around the 1000-item limit (mostly small unweighted items: the
            # text form of 1000 weighted items takes ~0.6 s to print, see F3 in
            # doc/hardening.md)
            n = rng.choice([999, 1000, 1001, 1500])
            obj = rng.choice(likert_seeds) if rng.random() < 0.05 else \
                rng.choice(['{"k":2,"n":[0,1]}', '{"k":5,"n":[1,2,3,4,5]}', '{"k":10,"n":[0,0,0,0,0,0,0,0,0,0]}'])
            items = [("q%04d" % i, obj) for i in range(n)]
        elif r2 < 0.9:
            code = "".join(rng.choice("ABIVab0123456789._-") for _ in range(rng.randint(1, 33)))
            items.append((code, rng.choice(likert_seeds)))
            items.sort()
        else:
            items = [(c, o) for c, o in items] + [(items[-1][0] + "x", rng.choice(likert_seeds))] if items else []
        s = join_survey(items)
    return s


# ---------------------------------------------------------------------------------------
# binary payloads
# ---------------------------------------------------------------------------------------

def lk_payload(version, k, weighted, n, w=None, w2=None):
    out = struct.pack("!BBB", version, k & 0xFF, weighted & 0xFF)
    out += b"".join(struct.pack("!q", x) for x in n)
    if weighted:
        out += b"".join(x if isinstance(x, bytes) else pack_double(x) for x in w)
        out += b"".join(x if isinstance(x, bytes) else pack_double(x) for x in w2)
    return out


def parse_lk_payload(b):
    """(version, k, weighted, n, w, w2) of a likert_send image"""
    version, k, weighted = b[0], b[1], b[2]
    n = [struct.unpack("!q", b[3 + 8 * i:11 + 8 * i])[0] for i in range(k)]
    w = w2 = None
    if weighted:
        off = 3 + 8 * k
        w = [b[off + 8 * i:off + 8 * i + 8] for i in range(k)]
        w2 = [b[off + 8 * (k + i):off + 8 * (k + i) + 8] for i in range(k)]
    return version, k, weighted, n, w, w2


def consistent_extreme(rng, k=None):
    """a valid-by-construction weighted histogram with extreme magnitudes"""
    k = k or rng.randint(2, 10)
    n, w, w2 = [], [], []
    for _ in range(k):
        c = rng.choice([0, 0, 1, 2, 3, rng.randint(1, 1000), 2**40, 2**62])
        if c == 0:
            n.append(0)
            w.append(0.0)
            w2.append(0.0)
            continue
        scale = rng.choice([1.0, 1e-300, 5e-324, 1e-160, 1e150, 9e153, 1e154, 1e100, 1e-3])
        wi = c * scale * rng.uniform(0.5, 1.5)
        lo, hi = wi * wi / c, wi * wi
        t = rng.random()
        w2i = lo + t * (hi - lo) if math.isfinite(hi) else rng.choice([lo, 1.7e308])
        if not math.isfinite(wi):
            wi = 1e300
        if not math.isfinite(w2i):
            w2i = 1.7e308
        n.append(min(c, INT64_MAX))
        w.append(wi)
        w2.append(w2i)
    # keep the total count in range
    while sum(n) > INT64_MAX:
        i = n.index(max(n))
        n[i] //= 2
    return lk_payload(1, k, 1, n, w, w2)


def mutate_lk_struct(rng, b):
    try:
        version, k, weighted, n, w, w2 = parse_lk_payload(b)
    except (IndexError, struct.error):
        return rng.choice(BYTE_MUTATORS)(rng, b)
    r = rng.random()
    if r < 0.08:
        version = rng.choice([0, 2, 255])
    elif r < 0.2:
        newk = rng.choice([0, 1, 11, 12, 255, max(2, k - 1), min(10, k + 1)])
        if rng.random() < 0.5:   # lengths follow the new k
            n = (n + [1] * 12)[:newk]
            if weighted:
                w = (w + [pack_double(1.0)] * 12)[:newk]
                w2 = (w2 + [pack_double(1.0)] * 12)[:newk]
        k = newk
    elif r < 0.28:
        weighted = rng.choice([0, 1, 2, 3, 128, 255])
        if weighted and w is None:
            w = [pack_double(float(x)) for x in n]
            w2 = [pack_double(float(x)) for x in n]
    elif r < 0.55 and n:
        for _ in range(rng.choice([1, 1, 2, len(n)])):
            n[rng.randrange(len(n))] = rng.choice(INT64_BOUNDARY)
    elif r < 0.75 and weighted and k > 0 and w and w2:
        for _ in range(rng.choice([1, 1, 2])):
            arr = w if rng.random() < 0.5 else w2
            arr[rng.randrange(len(arr))] = random_double_bytes(rng)
    elif r < 0.85:
        return consistent_extreme(rng)
    else:
        return rng.choice(BYTE_MUTATORS)(rng, b)
    out = struct.pack("!BBB", version & 0xFF, k & 0xFF, weighted & 0xFF)
    out += b"".join(struct.pack("!q", x) for x in n)
    if w is not None and (weighted or rng.random() < 0.2):
        out += b"".join(w) + b"".join(w2)
    return out


def mutate_likert_bin(rng, seeds):
    b = rng.choice(seeds)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        r = rng.random()
        if r < 0.55:
            b = mutate_lk_struct(rng, b)
        elif r < 0.6:
            b = m_splice(rng, b, rng.choice(seeds))
        else:
            b = rng.choice(BYTE_MUTATORS)(rng, b)
    return b


def sv_payload(items, version=1, nitems=None):
    """items: list of (code bytes, likert_send image); survey_send layout"""
    out = struct.pack("!Bi", version, len(items) if nitems is None else nitems)
    for code, lk in items:
        out += struct.pack("!i", len(code)) + code + lk[1:]   # likert image without its version byte
    return out


def parse_sv_payload(b):
    version, n = struct.unpack("!Bi", b[:5])
    p = 5
    items = []
    for _ in range(n):
        (clen,) = struct.unpack("!i", b[p:p + 4])
        code = b[p + 4:p + 4 + clen]
        p += 4 + clen
        k, weighted = b[p], b[p + 1]
        size = 2 + 8 * k * (3 if weighted else 1)
        items.append((code, b"\x01" + b[p:p + size]))
        p += size
    return version, items


def mutate_sv_struct(rng, b, likert_bins):
    try:
        version, items = parse_sv_payload(b)
    except (struct.error, IndexError):
        return rng.choice(BYTE_MUTATORS)(rng, b)
    r = rng.random()
    nitems = None
    if r < 0.05:
        version = rng.choice([0, 2, 255])
    elif r < 0.15:
        nitems = rng.choice([-1, len(items) + 1, max(0, len(items) - 1), 1001, 2**31 - 1, -2**31, 0])
    elif r < 0.3 and items:
        i = rng.randrange(len(items))
        code = rng.choice(CODE_MUTATIONS).encode("utf-8") if rng.random() < 0.7 else \
            bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 5)))
        items[i] = (code, items[i][1])
    elif r < 0.4 and items:
        # a wrong code length field
        i = rng.randrange(len(items))
        code, lk = items[i]
        out = struct.pack("!Bi", version, len(items))
        for j, (c, l) in enumerate(items):
            clen = rng.choice([0, -1, len(c) + 1, len(c) - 1, 33, 2**31 - 1, -2**31]) if j == i else len(c)
            out += struct.pack("!i", clen) + c + l[1:]
        return out
    elif r < 0.6 and items:
        i = rng.randrange(len(items))
        items[i] = (items[i][0], mutate_lk_struct(rng, items[i][1]))
    elif r < 0.68 and items:
        i = rng.randrange(len(items))
        items.insert(i, items[i])                       # duplicate code
    elif r < 0.76 and len(items) > 1:
        rng.shuffle(items)                              # any order is accepted (sorted on input)
    elif r < 0.78:
        n = rng.choice([999, 1000, 1001])
        lk = rng.choice(likert_bins) if rng.random() < 0.05 else \
            lk_payload(1, 2, 0, [rng.choice([0, 1, 7]), 3])
        items = [(b"q%04d" % i, lk) for i in range(n)]
    elif r < 0.88:
        code = "".join(rng.choice("ABIVab0123456789._-") for _ in range(rng.randint(1, 33))).encode()
        items.append((code, consistent_extreme(rng) if rng.random() < 0.5 else rng.choice(likert_bins)))
    else:
        return rng.choice(BYTE_MUTATORS)(rng, b)
    return sv_payload(items, version, nitems)


def mutate_survey_bin(rng, seeds, likert_bins):
    b = rng.choice(seeds)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        r = rng.random()
        if r < 0.6:
            b = mutate_sv_struct(rng, b, likert_bins)
        elif r < 0.65:
            b = m_splice(rng, b, rng.choice(seeds))
        else:
            b = rng.choice(BYTE_MUTATORS)(rng, b)
    return b


# ---------------------------------------------------------------------------------------
# forms: text {"I.A.1":4,"X":[2,3]} and binary (form_send: version, int32 n, per answer
# uint8 code length, code, uint8 k, uint8 level)
# ---------------------------------------------------------------------------------------

FORM_LEVELS = ["0", "1", "4", "5", "6", "9", "10", "11", "15", "16", "-1", "255", "256", "01", "1.0", "1e0",
               "\"4\"", "null", "true", "[]", "[4]", "[4,5]", "[4,3]", "[3,3]", "[1,2]", "[2,2]", "[10,10]",
               "[11,11]", "[1,1]", "[0,5]", "[4,5,6]", "[4,-5]", "[4,1e1]", "{}", "[[4,5]]", "2147483648",
               "99999999999999999999"]


def split_form(s):
    """answers of a form text: list of (code, value text); None if not parseable"""
    try:
        d = json.loads(s, object_pairs_hook=list)
    except (ValueError, RecursionError):
        return None
    if not isinstance(d, list) or not all(isinstance(p, tuple) for p in d):
        return None
    try:
        return [(c, json.dumps(_plain(v), separators=(",", ":"))) for c, v in d]
    except (TypeError, ValueError, RecursionError):
        return None


def join_form(items, rng=None):
    sep = ","
    colon = ":"
    if rng is not None and rng.random() < 0.2:
        sep = rng.choice([" , ", ",\n", "\t,"])
        colon = rng.choice([" : ", ":\t", ": "])
    return "{" + sep.join(json.dumps(c) + colon + v for c, v in items) + "}"


def mutate_form_text(rng, seeds):
    s = rng.choice(seeds)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        r = rng.random()
        items = split_form(s) if r < 0.65 else None
        if items is None:
            if r < 0.8:
                s = t_bytes(rng, s, rng.choice(seeds))
            else:
                s = pick(rng, [(t_number, 5), (t_array_len, 2), (t_whitespace, 1), (t_weird, 1), (t_huge, 0.3)])(rng, s)
            continue
        r2 = rng.random()
        if r2 < 0.3 and items:
            i = rng.randrange(len(items))
            items[i] = (items[i][0], rng.choice(FORM_LEVELS))
        elif r2 < 0.42 and items:
            i = rng.randrange(len(items))
            items[i] = (rng.choice(CODE_MUTATIONS), items[i][1])
        elif r2 < 0.52 and items:
            i = rng.randrange(len(items))
            items.insert(rng.randint(0, len(items)), (items[i][0], rng.choice(["1", "5", "[2,3]", items[i][1]])))
        elif r2 < 0.62 and len(items) > 1:
            rng.shuffle(items)                          # any order is accepted
        elif r2 < 0.7 and items:
            del items[rng.randrange(len(items))]
        elif r2 < 0.74:
            n = rng.choice([999, 1000, 1001, 1500])
            items = [("q%04d" % i, rng.choice(["1", "[2,2]", "[10,10]"])) for i in range(n)]
        elif r2 < 0.86:
            code = "".join(rng.choice("ABIVab0123456789._-") for _ in range(rng.randint(1, 33)))
            k = rng.randint(2, 10)
            items.append((code, rng.choice([str(rng.randint(1, 5)), "[%d,%d]" % (rng.randint(1, k), k)])))
        else:
            items = [(c, v.replace(",", rng.choice([",", " , ", ""]), 1)) for c, v in items]
        s = join_form(items, rng)
    return s


def form_payload(items, version=1, nitems=None):
    """items: list of (code bytes, k, level)"""
    out = struct.pack("!Bi", version, len(items) if nitems is None else nitems)
    for code, k, level in items:
        out += struct.pack("!B", len(code) & 0xFF) + code + struct.pack("!BB", k & 0xFF, level & 0xFF)
    return out


def parse_form_payload(b):
    version, n = struct.unpack("!Bi", b[:5])
    p = 5
    items = []
    for _ in range(n):
        clen = b[p]
        code = b[p + 1:p + 1 + clen]
        k, level = b[p + 1 + clen], b[p + 2 + clen]
        items.append((code, k, level))
        p += 3 + clen
    return version, items


def mutate_form_struct(rng, b):
    try:
        version, items = parse_form_payload(b)
    except (struct.error, IndexError):
        return rng.choice(BYTE_MUTATORS)(rng, b)
    r = rng.random()
    nitems = None
    if r < 0.06:
        version = rng.choice([0, 2, 255])
    elif r < 0.16:
        nitems = rng.choice([-1, len(items) + 1, max(0, len(items) - 1), 1000, 1001, 2**31 - 1, -2**31, 0])
    elif r < 0.3 and items:
        i = rng.randrange(len(items))
        code = rng.choice(CODE_MUTATIONS).encode("utf-8") if rng.random() < 0.7 else \
            bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 5)))
        items[i] = (code, items[i][1], items[i][2])
    elif r < 0.38 and items:
        # a wrong code length byte
        i = rng.randrange(len(items))
        out = struct.pack("!Bi", version, len(items))
        for j, (c, k, lv) in enumerate(items):
            clen = rng.choice([0, len(c) + 1, max(0, len(c) - 1), 33, 255]) if j == i else len(c)
            out += struct.pack("!B", clen & 0xFF) + c + struct.pack("!BB", k, lv)
        return out
    elif r < 0.58 and items:
        i = rng.randrange(len(items))
        k = rng.choice([0, 1, 2, 5, 10, 11, 16, 255, items[i][1]])
        level = rng.choice([0, 1, k, k + 1, 15, 255, items[i][2]])
        items[i] = (items[i][0], k, level)
    elif r < 0.66 and items:
        i = rng.randrange(len(items))
        items.insert(rng.randint(0, len(items)), (items[i][0], 5, rng.randint(1, 5)))   # duplicate code
    elif r < 0.74 and len(items) > 1:
        rng.shuffle(items)                              # any order is accepted (sorted on input)
    elif r < 0.77:
        n = rng.choice([999, 1000, 1001])
        items = [(b"q%04d" % i, 2 + i % 9, 1) for i in range(n)]
    elif r < 0.88:
        code = "".join(rng.choice("ABIVab0123456789._-") for _ in range(rng.randint(1, 33))).encode()
        k = rng.randint(2, 10)
        items.append((code, k, rng.randint(1, k)))
    else:
        return rng.choice(BYTE_MUTATORS)(rng, b)
    return form_payload(items, version, nitems)


def mutate_form_bin(rng, seeds):
    b = rng.choice(seeds)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        r = rng.random()
        if r < 0.6:
            b = mutate_form_struct(rng, b)
        elif r < 0.65:
            b = m_splice(rng, b, rng.choice(seeds))
        else:
            b = rng.choice(BYTE_MUTATORS)(rng, b)
    return b


def copy_file(payload):
    """a COPY BINARY file of one row with one non-NULL column"""
    return (b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0) + struct.pack("!h", 1) +
            struct.pack("!i", len(payload)) + payload + struct.pack("!h", -1))


# ---------------------------------------------------------------------------------------
# talking to the server
# ---------------------------------------------------------------------------------------

# What identifies one life of the server.  pg_postmaster_start_time() alone does not
# change when a backend crashes: the postmaster survives, kills the other backends,
# recovers and goes on.  The auxiliary processes are started anew then, so the start
# of the checkpointer changes on every crash-restart.
GENERATION_SQL = ("SELECT pg_postmaster_start_time() || ' / checkpointer ' || coalesce("
                  "(SELECT min(backend_start)::text FROM pg_stat_activity "
                  "WHERE backend_type = 'checkpointer'), '?')")


class Server:
    def __init__(self, db, timeout):
        self.db = db
        self.timeout = timeout
        self.start_time = None

    def psql(self, sql, timeout=None, db=None):
        """run sql through psql; (returncode, stdout, stderr); rc 124 = client-side timeout"""
        cmd = [PSQL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db or self.db]
        try:
            p = subprocess.run(cmd, input=sql.encode("utf-8"), capture_output=True,
                               timeout=timeout or self.timeout + 30)
        except subprocess.TimeoutExpired:
            return 124, "", "client-side timeout"
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def postmaster_start(self, wait=60):
        """GENERATION_SQL, waiting up to `wait` s for the server to accept connections"""
        deadline = time.time() + wait
        while True:
            rc, out, _ = self.psql(GENERATION_SQL + ";", timeout=30)
            if rc == 0 and out.strip():
                return out.strip()
            if time.time() > deadline:
                return None
            time.sleep(0.5)


def copy_text_escape(s):
    # a text datum cannot hold NUL: the input function sees a C string without it
    s = s.replace("\x00", "")
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.server = Server(args.db, args.timeout)
        self.work = args.work
        self.bindir = args.bindir or os.path.join(args.work, "bin")
        os.makedirs(self.bindir, exist_ok=True)
        os.chmod(self.bindir, 0o755)
        self.tally = {}
        self.problems = []          # (kind, id, category, known, detail, input repr)
        self.gen_errors = 0
        self.tolerate = {x.strip() for x in os.environ.get("FUZZ_TOLERATE", "").split(",") if x.strip()}

    # ---- seeds ----
    def seeds(self):
        sql = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds.sql")).read()
        rc, out, err = self.server.psql(sql, timeout=300)
        if rc != 0:
            sys.exit("fuzz.py: seeds.sql failed: " + err)
        lt, lb, st, sb, ft, fb = [], [], [], [], [], []
        for line in out.splitlines():
            if not line.strip():
                continue
            kind, text, hexbin = line.split("\t")
            b = bytes.fromhex(hexbin[2:])
            if kind == "likert":
                lt.append(text)
                lb.append(b)
            elif kind == "form":
                ft.append(text)
                fb.append(b)
            else:
                st.append(text)
                sb.append(b)
        # valid extremes made here (checked by the server like every other input)
        rng = random.Random(self.args.seed)
        for _ in range(20):
            lb.append(consistent_extreme(rng))
        return lt, lb, st, sb, ft, fb

    # ---- one batch ----
    def batch_sql(self, kind, items, timeout=None):
        """SQL of one batch of (id, input) items"""
        typ = kind.split("_")[0]
        out_file = os.path.join(self.work, "roundtrip_%s.bin" % typ)
        head = "SET statement_timeout = %d;\nSET client_min_messages = warning;\n" % (
            (timeout or self.args.timeout) * 1000)
        if kind.endswith("_text"):
            path = os.path.join(self.work, "input.copy")
            with open(path, "w", encoding="utf-8") as f:
                for i, s in items:
                    f.write("%d\t%s\n" % (i, copy_text_escape(s)))
            sql = head + "TRUNCATE fz.input;\n\\copy fz.input FROM '%s'\n" % path
            sql += "SELECT fz.run_text('%s', '%s', '%s');\n" % (typ, kind, out_file)
        else:
            # one file per input, named by its slot in the batch: files are overwritten
            # rather than created (much faster on some file systems)
            d = self.bindir
            for slot, (i, b) in enumerate(items):
                with open(os.path.join(d, "%d.bin" % slot), "wb") as f:
                    f.write(copy_file(b))
            ids = "{" + ",".join(str(i) for i, _ in items) + "}"
            sql = head + "SELECT fz.run_bin('%s', '%s', '%s', '%s', '%s');\n" % (typ, kind, d, ids, out_file)
        sql += GENERATION_SQL + ";\n"
        return sql

    def run_items(self, kind, items, timeout=None):
        """run a batch; ('ok', summary) or (status, message) with status crash/timeout/error"""
        rc, out, err = self.server.psql(self.batch_sql(kind, items, timeout))
        lines = [l for l in out.splitlines() if l.strip()]
        if rc == 0 and len(lines) >= 2:
            started = lines[-1].strip()
            if started == self.server.start_time:
                return "ok", json.loads(lines[-2])
        # something went wrong: crashed, hung or failed
        started = self.server.postmaster_start()
        if started != self.server.start_time:
            self.server.start_time = started
            return "crash", "server restarted (now %s): %s" % (started, err.strip()[-500:])
        if rc == 124 or "statement timeout" in err:
            return "timeout", err.strip()[-300:]
        return "error", err.strip()[-500:]

    def isolate(self, kind, items, status, msg, budget):
        """split a failing batch in halves until single inputs are found"""
        if len(items) == 1 or budget[0] <= 0:
            for i, inp in items:
                self.problem(kind, i, "%s while handling this input" % status, None, msg, inp)
            return
        half = len(items) // 2
        for part in (items[:half], items[half:]):
            # an input takes well under a millisecond: a hang shows within seconds
            st, res = self.run_items(kind, part, timeout=int(5 + 0.01 * len(part)))
            if st == "ok":
                self.absorb(kind, res, dict(part))
            else:
                if st == "crash":
                    budget[0] -= 1
                self.isolate(kind, part, st, res, budget)

    def problem(self, kind, i, cat, known, detail, inp):
        self.problems.append((kind, i, cat, known, detail, inp))

    def absorb(self, kind, res, inputs):
        t = self.tally.setdefault(kind, {"inputs": 0, "accepted": 0, "rejected": {}, "accessor_errors": {},
                                         "failed": 0, "known": 0})
        t["inputs"] += res["inputs"]
        t["accepted"] += res["accepted"]
        for st, n in res["rejected"].items():
            t["rejected"][st] = t["rejected"].get(st, 0) + n
        for st, n in res["accessor_errors"].items():
            t["accessor_errors"][st] = t["accessor_errors"].get(st, 0) + n
        bad_ids = set(res["issue_ids"])
        known_ids = set()
        for label, ids in res["known_ids"].items():
            (known_ids if label in self.tolerate else bad_ids).update(ids)
        known_ids -= bad_ids
        t["failed"] += len(bad_ids)
        t["known"] += len(known_ids)
        listed = set()
        for iss in res["issues"]:
            self.problems.append((kind, iss["id"], iss["cat"], iss["known"], iss["msg"], inputs.get(iss["id"])))
            listed.add(iss["id"])
        for i in sorted((bad_ids | known_ids) - listed):
            self.problems.append((kind, i, "(more issues in this batch, not listed)", None, "", inputs.get(i)))

    def run_kind(self, kind, count, gen):
        t0 = time.time()
        next_id = 1
        bs = BATCH[kind]
        while next_id <= count:
            items = []
            for i in range(next_id, min(count, next_id + bs - 1) + 1):
                try:
                    items.append((i, gen()))
                except Exception as e:      # a bug of this generator: report, go on
                    self.gen_errors += 1
                    if self.gen_errors <= 3:
                        print("  warning: %s generator failed on input %d: %r" % (kind, i, e), flush=True)
                    items.append((i, "" if kind.endswith("_text") else b""))
            next_id += len(items)
            st, res = self.run_items(kind, items)
            if st == "ok":
                self.absorb(kind, res, dict(items))
            else:
                print("  %s batch %d-%d: %s, isolating: %s" % (kind, items[0][0], items[-1][0], st, res[:200]),
                      flush=True)
                failed_before = len(self.problems)
                self.isolate(kind, items, st, res, [20])
                t = self.tally.setdefault(kind, {"inputs": 0, "accepted": 0, "rejected": {}, "accessor_errors": {},
                                                 "failed": 0, "known": 0})
                # inputs blamed for a crash/timeout/error count as handled and failed
                blamed = [p for p in self.problems[failed_before:] if " while handling" in p[2]]
                t["inputs"] += len(blamed)
                t["failed"] += len(blamed)
        secs = time.time() - t0
        t = self.tally.get(kind)
        if t:
            t["secs"] = secs

    # ---- main ----
    def main(self):
        a = self.args
        os.makedirs(self.work, exist_ok=True)
        self.server.start_time = self.server.postmaster_start()
        if self.server.start_time is None:
            sys.exit("fuzz.py: cannot connect")
        lt, lb, st, sb, ft, fb = self.seeds()
        print("seeds from sipas: %d likert (text + binary), %d survey, %d form" % (len(lt), len(st), len(ft)),
              flush=True)
        counts = {}
        left = a.count
        for idx, (kind, share) in enumerate(KINDS):
            counts[kind] = left if idx == len(KINDS) - 1 else int(round(a.count * share))
            left -= counts[kind]
        rngs = {kind: random.Random("%s/%s" % (a.seed, kind)) for kind, _ in KINDS}
        gens = {
            "likert_text": lambda: mutate_likert_text(rngs["likert_text"], lt),
            "survey_text": lambda: mutate_survey_text(rngs["survey_text"], st, lt),
            "likert_bin": lambda: mutate_likert_bin(rngs["likert_bin"], lb),
            "survey_bin": lambda: mutate_survey_bin(rngs["survey_bin"], sb, lb),
            "form_text": lambda: mutate_form_text(rngs["form_text"], ft),
            "form_bin": lambda: mutate_form_bin(rngs["form_bin"], fb),
        }
        for kind, _ in KINDS:
            if counts[kind] > 0:
                self.run_kind(kind, counts[kind], gens[kind])
        return self.report()

    def report(self):
        print()
        print("%-12s %8s %9s %9s %8s %9s %6s  %s" % ("kind", "inputs", "accepted", "rejected", "failed",
                                                  "tolerated", "secs", "rejections by SQLSTATE; accessor errors"))
        tot_in = tot_fail = tot_known = 0
        for kind, _ in KINDS:
            t = self.tally.get(kind)
            if not t:
                continue
            rej = sum(t["rejected"].values())
            states = " ".join("%s:%d" % kv for kv in sorted(t["rejected"].items()))
            acc = " ".join("%s:%d" % kv for kv in sorted(t["accessor_errors"].items()))
            print("%-12s %8d %9d %9d %8d %9d %6.1f  %s%s" % (kind, t["inputs"], t["accepted"], rej, t["failed"],
                                                         t["known"], t.get("secs", 0), states,
                                                         "; accessors " + acc if acc else ""))
            tot_in += t["inputs"]
            tot_fail += t["failed"]
            tot_known += t["known"]
        if self.problems:
            print("\nproblems (kind, input id, what, signature of a known defect, detail, input):")
            # every kind of problem with a few examples: 5 of a new problem, 2 of a known one
            shown = {}
            for kind, i, cat, known, detail, inp in self.problems:
                key = (kind, cat, known)
                shown[key] = shown.get(key, 0) + 1
                if shown[key] > (2 if known else 5):
                    continue
                print("  [%s #%s] %s%s" % (kind, i, cat, " (known: %s)" % known if known else ""))
                print("      detail: %s" % (detail or "").replace("\n", "\\n")[:400])
                print("      input:  %s" % render(inp))
            for key, n in sorted(shown.items()):
                limit = 2 if key[2] else 5
                if n > limit:
                    print("  ... %d more of [%s] %s%s" % (n - limit, key[0], key[1],
                                                       " (known: %s)" % key[2] if key[2] else ""))
        if self.gen_errors:
            print("\n%d inputs could not be generated (generator errors; an empty input was used)" % self.gen_errors)
        if tot_known:
            print("\n%d inputs hit the known defects %s (FUZZ_TOLERATE): not counted as failed" %
                  (tot_known, ",".join(sorted(self.tolerate))))
        failed = tot_fail
        print("sql: %d passed, %d failed" % (tot_in - failed, failed))
        return 1 if failed else 0


def render(inp):
    if inp is None:
        return "?"
    if isinstance(inp, bytes):
        h = inp.hex()
        return "hex %s%s (%d bytes)" % (h[:240], "..." if len(h) > 240 else "", len(inp))
    r = repr(inp)
    return r[:300] + ("..." if len(r) > 300 else "")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--bindir", help="directory for the COPY BINARY files (default WORK/bin; tmpfs is faster)")
    p.add_argument("--count", type=int, default=100000)
    p.add_argument("--seed", default="20240601")
    p.add_argument("--timeout", type=int, default=120, help="statement timeout of a batch, seconds")
    args = p.parse_args()
    sys.exit(Fuzzer(args).main())


if __name__ == "__main__":
    main()
