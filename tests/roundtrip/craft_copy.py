#!/usr/bin/env python3
"""Write COPY BINARY files with one sipas.likert column, one file per case.

Usage: craft_copy.py DIR
Writes DIR/<case>.bin for every malformed value below (each must be rejected
by likert_recv) and DIR/valid.bin (must be accepted).  The payload format is
the one of likert_send: uint8 version, uint8 k, uint8 weighted, int64 n[k],
then float8 w[k], float8 w2[k] when weighted; network byte order.
"""
import os
import struct
import sys


def payload(version=1, k=5, weighted=0, n=None, w=None, w2=None, extra=b""):
    n = n if n is not None else [1] * k
    out = struct.pack("!BBB", version, k, weighted)
    out += b"".join(struct.pack("!q", x) for x in n)
    if weighted:
        out += b"".join(struct.pack("!d", x) for x in w)
        out += b"".join(struct.pack("!d", x) for x in w2)
    return out + extra


def copy_file(values):
    out = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
    for v in values:
        out += struct.pack("!h", 1) + struct.pack("!i", len(v)) + v
    return out + struct.pack("!h", -1)


CASES = {
    # name: (payload, expected SQLSTATE)
    "empty": (b"", "22P03"),
    "short_header": (b"\x01\x05", "22P03"),
    "bad_version": (payload(version=2), "22P03"),
    "version_zero": (payload(version=0), "22P03"),
    "k_one": (payload(k=1, n=[1]), "22P03"),
    "k_eleven": (payload(k=11, n=[1] * 11), "22P03"),
    "weighted_flag_2": (payload()[:2] + b"\x02" + payload()[3:], "22P03"),
    "truncated_counts": (payload()[:-3], "22P03"),
    "trailing_bytes": (payload(extra=b"\x00"), "22P03"),
    "k_claims_more": (payload(k=5, n=[1, 1, 1])[:3 + 24], "22P03"),
    "weighted_missing_sums": (payload(weighted=0)[:2] + b"\x01" + payload()[3:], "22P03"),
    "negative_count": (payload(n=[1, -1, 1, 1, 1]), "22003"),
    "total_overflow": (payload(k=2, n=[2**63 - 1, 1]), "22003"),
    "nan_weight": (payload(weighted=1, w=[float("nan"), 1, 1, 1, 1], w2=[1] * 5), "22003"),
    "inf_weight": (payload(weighted=1, w=[float("inf"), 1, 1, 1, 1], w2=[1] * 5), "22003"),
    "negative_weight": (payload(weighted=1, w=[-1, 1, 1, 1, 1], w2=[1] * 5), "22003"),
    "weight_without_answers": (payload(weighted=1, n=[0, 1, 1, 1, 1], w=[1] * 5, w2=[1] * 5), "22P03"),
    "impossible_squares": (payload(weighted=1, n=[2, 1, 1, 1, 1], w=[1] * 5, w2=[5, 1, 1, 1, 1]), "22P03"),
}


def main():
    d = sys.argv[1]
    for name, (p, _) in CASES.items():
        with open(os.path.join(d, name + ".bin"), "wb") as f:
            f.write(copy_file([p]))
    with open(os.path.join(d, "valid.bin"), "wb") as f:
        f.write(copy_file([payload(), payload(weighted=1, w=[2] * 5, w2=[4] * 5),
                           payload(k=2, n=[0, 0])]))
    with open(os.path.join(d, "expected.txt"), "w") as f:
        for name, (_, code) in CASES.items():
            f.write(f"{name} {code}\n")


if __name__ == "__main__":
    main()
