#!/usr/bin/env python3
"""Executed documentation: run the SQL examples of README.md and doc/*.md (tests/docs/run).

    docs.py --template DB --db NAME --work DIR FILE.md...

Convention (tests/README.md, "Executed docs"):
  ```sql                      an example: it runs, and must not raise an error
  ```sql signature            sipas.NAME(arg type, ...) RETURNS type -- claims: checked against
                              pg_proc (argument types, return type, and IMMUTABLE / STABLE /
                              STRICT / PARALLEL ... / aggregate / PL/pgSQL / SQL in its comments)
  ```sql no-run: REASON       an example that is not run; the reason is required
  ```output                   right after a ```sql block (blank lines between are fine):
                              what psql prints for it, compared exactly
  ```text / ``` / ```sh ...   not SQL; an unlabelled block that starts like SQL is an error

Each file runs in one psql session on a fresh database NAME, a copy of DB (sipas, the
demo data and tests/docs/fixture.sql), in the order of the file, so an example sees the
tables earlier examples of the same file created.  psql: aligned output, no pager, errors
without CONTEXT; the session pins extra_float_digits = 1, TimeZone, DateStyle and the
search_path (public, then the fixture's schema docs).  Output is compared after removing
trailing spaces and leading/trailing blank lines.

Prints one "ok - ..." / "not ok - ..." line per example (counted by tests/lib.sh) and a
summary of what ran.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

PSQL = os.path.join(os.environ.get("SIPAS_PG_BIN", "/usr/lib/postgresql/15/bin"), "psql")
FENCE = re.compile(r"^(\s*)```(.*)$")
SQL_START = re.compile(r"^\s*(SELECT|WITH|CREATE|INSERT|UPDATE|DELETE|ALTER|DROP|EXPLAIN|SET|"
                       r"TRUNCATE|REFRESH|GRANT|\\copy)\b", re.I)
ERROR_LINE = re.compile(r"^(ERROR|FATAL|PANIC):|^psql:|^invalid command|^unterminated ")
SETTINGS = ("-c extra_float_digits=1 -c search_path=public,docs -c TimeZone=UTC "
            "-c DateStyle=ISO,YMD -c IntervalStyle=postgres -c lc_messages=C -c lc_monetary=C "
            "-c lc_numeric=C -c client_min_messages=warning")
MARK = "@@sipas-docs-block-%d@@"


class Block:
    def __init__(self, path, line, info, text):
        self.path, self.line, self.info, self.text = path, line, info.strip(), text
        self.lang = self.info.split()[0].lower() if self.info else ""
        self.flags = self.info[len(self.lang):].strip() if self.info else ""
        self.output = None          # the ```output block that follows, if any

    def where(self):
        return "%s:%d" % (self.path, self.line)


def parse(path):
    blocks, cur, start, info, indent = [], None, 0, "", ""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for no, line in enumerate(lines, 1):
        m = FENCE.match(line)
        if cur is None:
            if m:
                cur, start, info, indent = [], no, m.group(2), m.group(1)
            else:
                blocks.append(("prose", no, line))
        elif m and m.group(2).strip() == "" and m.group(1) == indent:
            blk = Block(path, start, info, "\n".join(l[len(indent):] if l.startswith(indent) else l for l in cur))
            blk.nlines = len(cur)
            blocks.append(("block", start, blk))
            cur = None
        else:
            cur.append(line)
    if cur is not None:
        blocks.append(("unclosed", start, None))
    return blocks


def examples(path, problems):
    """The fenced blocks of a file, each ```output attached to its ```sql block."""
    out, last, gap_ok = [], None, False
    for kind, no, x in parse(path):
        if kind == "unclosed":
            problems.append(("%s:%d" % (path, no), "unclosed code fence"))
            continue
        if kind == "prose":
            if x.strip():
                last = None         # only blank lines may separate an example and its output
            continue
        b = x
        if b.lang == "output":
            if last is None:
                problems.append((b.where(), "```output block not right after a ```sql block"))
            elif last.flags.startswith("no-run"):
                problems.append((b.where(), "```output after a no-run block: it would not be compared "
                                            "(use ```text for an illustration)"))
            else:
                last.output = b
                bad = [f for f in b.flags.split() if f != "tuples-only"]
                if bad:
                    problems.append((b.where(), "unknown flags on ```output: %s" % " ".join(bad)))
            last = None
            continue
        if b.lang == "sql":
            out.append(b)
            last = b
            continue
        last = None
        first = next((l for l in b.text.split("\n") if l.strip()), "")
        if b.lang == "" and SQL_START.match(first):
            problems.append((b.where(), "SQL in an unlabelled block: label it ```sql (or ```sql no-run: reason)"))
    return out


def normalize(text):
    lines = [l.rstrip() for l in text.replace("\r", "").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def run_file(blocks, args, setup):
    """Run the runnable blocks of one file in one session; their outputs by block index."""
    subprocess.run([PSQL, "-X", "-q", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                    "-c", "DROP DATABASE IF EXISTS %s" % args.db,
                    "-c", "CREATE DATABASE %s TEMPLATE %s" % (args.db, args.template)],
                   check=True, stdout=subprocess.DEVNULL)
    script = ["\\set ON_ERROR_STOP off", "\\set SHOW_CONTEXT never", "\\pset pager off"]
    if setup:
        # a file's own setup (tests/docs/setup/FILE.sql) runs first in the same session
        script += ["\\qecho " + MARK % -2, "\\set ON_ERROR_STOP on", "\\ir " + setup, "\\set ON_ERROR_STOP off"]
    for i, b in enumerate(blocks):
        script.append("\\qecho " + MARK % i)
        tuples_only = b.output is not None and "tuples-only" in b.output.flags.split()
        if tuples_only:
            script.append("\\pset tuples_only on")
        script.append(b.text)
        if tuples_only:
            script.append("\\pset tuples_only off")
    script.append("\\qecho " + MARK % len(blocks))
    env = dict(os.environ, PGOPTIONS=SETTINGS, PGCLIENTENCODING="UTF8")
    # -o /dev/stdout: psql flushes its query output before each error or notice it writes
    # to stderr only when that output is not stdout itself; this keeps them in order.
    p = subprocess.run([PSQL, "-X", "-q", "-d", args.db, "-o", "/dev/stdout", "-v", "port=" + os.environ.get("PGPORT", "5432")], input="\n".join(script) + "\n",
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=args.work,
                       encoding="utf-8", errors="replace")
    parts, cur, idx = {}, [], None
    for line in p.stdout.split("\n"):
        m = re.fullmatch(r"@@sipas-docs-block-(-?\d+)@@", line)
        if m:
            if idx is not None:
                parts[idx] = "\n".join(cur)
            idx, cur = int(m.group(1)), []
        elif idx is not None:
            cur.append(line)
        elif line.strip():
            parts.setdefault(-1, "")
            parts[-1] += line + "\n"
    return parts, p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--template", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--accept", action="store_true",
                    help="write the actual output into every ```output block that differs (review with git diff)")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    total = ran = compared = skipped = failed = signed = 0
    for path in a.files:
        problems, accepted = [], []
        blocks = examples(path, problems)
        for where, what in problems:
            failed += 1
            print("not ok - %s: %s" % (where, what))
        runnable = []
        for b in blocks:
            total += 1
            if b.flags == "signature":
                sigs = signatures(b.text)
                if not sigs:
                    failed += 1
                    print("not ok - %s: a signature block without sipas.NAME(...)" % b.where())
                for sig in sigs:
                    problem = check_signature(sig, a)
                    if problem:
                        failed += 1
                        print("not ok - %s: signature %s" % (b.where(), problem))
                    else:
                        print("ok - %s: signature %s as in pg_proc" % (b.where(), sig["show"]))
                signed += 1
                continue
            if b.flags.startswith("no-run"):
                reason = b.flags[len("no-run"):].lstrip(":").strip()
                if reason:
                    skipped += 1
                    print("   skip %s: %s" % (b.where(), reason))
                else:
                    failed += 1
                    print("not ok - %s: no-run needs a reason (```sql no-run: why)" % b.where())
            elif b.flags:
                failed += 1
                print("not ok - %s: unknown flags on ```sql: %r" % (b.where(), b.flags))
            else:
                if not terminated(b.text):
                    failed += 1
                    print("not ok - %s: the example does not end with ';' (or a psql meta-command)" % b.where())
                    continue
                runnable.append(b)
        if not runnable:
            continue
        setup = os.path.join(os.path.dirname(os.path.abspath(__file__)), "setup", os.path.basename(path) + ".sql")
        setup = setup if os.path.exists(setup) else None
        parts, rc = run_file(runnable, a, setup)
        if parts.get(-1):
            print("   before the first example of %s:\n%s" % (path, parts[-1].rstrip()))
        if setup:
            errs = [l for l in normalize(parts.get(-2, "")) if ERROR_LINE.match(l)]
            if errs or -2 not in parts:
                failed += 1
                print("not ok - %s: setup %s" % (path, os.path.relpath(setup)))
                for l in normalize(parts.get(-2, ""))[:30]:
                    print("    " + l)
        if len([k for k in parts if k >= 0]) < len(runnable):
            failed += 1
            print("not ok - %s: psql stopped early (exit %d)" % (path, rc))
        for i, b in enumerate(runnable):
            got = parts.get(i)
            if got is None:
                continue
            ran += 1
            got_lines = normalize(got)
            if b.output is not None:
                compared += 1
                want = normalize(b.output.text)
                if got_lines == want:
                    print("ok - %s: output as shown (%s)" % (b.where(), first_line(b)))
                else:
                    failed += 1
                    print("not ok - %s: output differs from the ```output block at line %d (%s)" % (
                        b.where(), b.output.line, first_line(b)))
                    for l in difflib.unified_diff(want, got_lines, "shown", "actual", lineterm="", n=2):
                        print("    " + l)
                    if a.accept:
                        accepted.append((b.output, got_lines))
            else:
                errs = [k for k, l in enumerate(got_lines) if ERROR_LINE.match(l)]
                if errs:
                    failed += 1
                    print("not ok - %s: runs (%s)" % (b.where(), first_line(b)))
                    for l in got_lines[max(0, errs[0] - 3):errs[0] + 12]:
                        print("    " + l)
                else:
                    print("ok - %s: runs (%s)" % (b.where(), first_line(b)))
        if accepted:
            accept(path, accepted)
    print("docs: %d SQL examples in %d files: %d run (%d with their output compared), %d signatures checked "
          "against pg_proc, %d not run (reason given)" % (total, len(a.files), ran, compared, signed, skipped))
    return 1 if failed else 0


def accept(path, accepted):
    """Replace the body of each given ```output block by the actual output."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for out, got in sorted(accepted, key=lambda x: -x[0].line):
        start = out.line                    # 1-based line of the opening fence
        end = start + out.nlines            # 0-based index of the closing fence
        indent = FENCE.match(lines[start - 1]).group(1)
        lines[start:end] = [indent + l if l else l for l in got]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print("   accepted %d output block(s) in %s" % (len(accepted), path))


def split_args(text):
    """Top-level comma-separated parts of an argument list."""
    parts, depth, cur = [], 0, ""
    for c in text:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        parts.append(cur.strip())
    return parts


TYPE_WORDS = ("double precision", "timestamp with time zone", "timestamp without time zone")


def signatures(text):
    """The sipas.NAME(args) RETURNS ... entries of a signature block, with the claims of the
    comments that follow each (-- PL/pgSQL, IMMUTABLE STRICT PARALLEL SAFE ...)."""
    entries, cur = [], None
    for line in text.split("\n"):
        if line.startswith("sipas."):
            cur = {"text": line, "comment": ""}
            entries.append(cur)
        elif cur is not None:
            cur["text"] += "\n" + line
    out = []
    for e in entries:
        body = "\n".join(re.sub(r"--.*$", "", l) for l in e["text"].split("\n"))
        comment = " ".join(re.findall(r"--(.*)$", e["text"], re.M))
        m = re.match(r"sipas\.(\w+)\s*\(", body)
        depth, i = 1, m.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(body[i], 0)
            i += 1
        args = []
        for a in split_args(body[m.end():i - 1]):
            a = re.sub(r"\s+DEFAULT\s+.*$", "", a, flags=re.S | re.I).strip()
            if re.match(r"OUT\s", a, re.I):
                continue
            words = a.split(None, 1)
            args.append(words[1].strip() if len(words) > 1 else None)   # None: any type
        ret = re.search(r"RETURNS\s+(SETOF\s+\w+|[\w.]+(?:\s+precision)?)", body[i:], re.I)
        out.append({"name": m.group(1), "args": args, "returns": ret.group(1) if ret else None,
                    "comment": comment, "show": "sipas.%s(%s)" % (m.group(1), ", ".join(x or "any" for x in args))})
    return out


def check_signature(sig, args):
    """pg_proc has the function as the signature and its comments say; returns a problem or None."""
    conds = ["p.pronamespace = 'sipas'::regnamespace", "p.proname = '%s'" % sig["name"],
             "p.pronargs = %d" % len(sig["args"])]
    for k, t in enumerate(sig["args"]):
        if t:
            conds.append("p.proargtypes[%d] = '%s'::regtype" % (k, t.replace("'", "''")))
    c = sig["comment"]
    claims = []
    for word, cond in (("IMMUTABLE", "p.provolatile = 'i'"), ("STABLE", "p.provolatile = 's'"),
                       ("VOLATILE", "p.provolatile = 'v'"), ("PARALLEL SAFE", "p.proparallel = 's'"),
                       ("PARALLEL RESTRICTED", "p.proparallel = 'r'"), ("PARALLEL UNSAFE", "p.proparallel = 'u'"),
                       ("STRICT", "p.proisstrict"), ("aggregate", "p.prokind = 'a'"),
                       ("PL/pgSQL", "l.lanname = 'plpgsql'"), ("SQL", "l.lanname = 'sql'")):
        if re.search(r"(?<![\w/])%s(?![\w/])" % re.escape(word), c.replace("LANGUAGE sql", "SQL")):
            claims.append((word, cond))
    m = re.search(r"SET search_path = ([\w, ]*\w)", c)
    if m:
        claims.append(("SET search_path = " + m.group(1),
                       "'search_path=%s' = ANY (p.proconfig)" % re.sub(r"\s+", " ", m.group(1))))
    if sig["returns"]:
        want = re.sub(r"\s+", "", sig["returns"]).lower()
        cond = "lower(replace(pg_get_function_result(p.oid), ' ', '')) LIKE '%s%%'" % want.replace("'", "''")
        if want == "table":     # RETURNS TABLE (...) is OUT arguments and SETOF record
            cond = "(%s OR pg_get_function_result(p.oid) = 'SETOF record')" % cond
        claims.append(("RETURNS " + sig["returns"], cond))
    sql = ("SELECT count(*) || '|' || %s FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE %s" % (
        " || '|' || ".join("coalesce(bool_and(%s)::text, 'f')" % cond for _, cond in claims) or "''",
        " AND ".join(conds)))
    p = subprocess.run([PSQL, "-X", "-q", "-At", "-d", args.template, "-c", sql], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, encoding="utf-8",
                       env=dict(os.environ, PGOPTIONS="-c search_path=public"))
    res = p.stdout.strip().split("|")
    # untyped arguments (any type) may match several overloads; every one must fit the claims
    if p.returncode != 0 or not res[0].isdigit() or res[0] == "0" or (res[0] != "1" and None not in sig["args"]):
        return "%s: %s" % (sig["show"], "no such function in schema sipas" if res[0] == "0" else p.stdout.strip())
    wrong = [w for (w, _), r in zip(claims, res[1:]) if r not in ("t", "true")]
    if wrong:
        return "%s: the signature or its comment says %s, pg_proc does not" % (sig["show"], ", ".join(wrong))
    return None


def terminated(text):
    """The last statement ends with ';' (comments aside) or the block ends with a meta-command."""
    lines = [re.sub(r"--.*$", "", l).rstrip() for l in text.split("\n")]
    lines = [l for l in lines if l.strip()]
    return bool(lines) and (lines[-1].endswith(";") or lines[-1].lstrip().startswith("\\"))


def first_line(b):
    for l in b.text.split("\n"):
        s = l.strip()
        if s and not s.startswith("--"):
            return s[:60] + ("…" if len(s) > 60 else "")
    return "?"


if __name__ == "__main__":
    sys.exit(main())
