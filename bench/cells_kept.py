#!/usr/bin/env python3
"""Fraction of a plan's non-empty cells (below its header row) that reach the database.

    make build/colkinds && bench/cells_kept.py OLD_RAGTRACK FILE...

"before": the importer given as OLD_RAGTRACK (a build of an earlier commit): a refused
file keeps nothing, and a column it reports as "not imported" loses its cells.
"after": this tree's classifier (build/colkinds): cells of columns that feed a field,
then also those kept as extra fields.  A repeated one-value column whose cells agree
with the first counts as kept (its text is the first column's)."""
import csv, io, re, subprocess, sys

def rows_with_lines(path):
    data = open(path, encoding="utf-8-sig", errors="replace").read()
    r = csv.reader(io.StringIO(data))
    start = 1
    for row in r:
        yield start, row
        start = r.line_num + 1

def header_index(rows):
    best, score = 0, -1
    for i, (_, row) in enumerate(rows[:30]):
        if not any(c.strip() for c in row):
            continue
        kinds = subprocess.run(["build/colkinds", *row], capture_output=True, text=True).stdout.split()
        n = sum(1 for k, c in zip(kinds, row) if c.strip() and k != "extra")
        if n > score:
            best, score = i, n
    return best

def main():
    old, files = sys.argv[1], sys.argv[2:]
    tot = dict(cells=0, before=0, fields=0, kept=0)
    for f in files:
        rows = list(rows_with_lines(f))
        h = header_index(rows)
        header = rows[h][1]
        kinds = subprocess.run(["build/colkinds", *header], capture_output=True, text=True).stdout.split()
        res = subprocess.run([old, "--db", ":memory:", "import", "--dry-run", f], capture_output=True, text=True)
        lost = set()
        for m in re.finditer(r":\d+: column (\d+) .*its cells are not imported", res.stdout):
            lost.add(int(m.group(1)) - 1)
        refused = res.returncode != 0
        cells = before = fields = kept = 0
        for _, row in rows[h + 1:]:
            for i, c in enumerate(row):
                if not c.strip():
                    continue
                cells += 1
                k = kinds[i] if i < len(kinds) else "extra"
                if not refused and i not in lost and i < len(header):
                    before += 1
                fields += k in ("field", "repeat")
                kept += k in ("field", "repeat", "extra")
        print(f"{f}: {cells} cells; before {before} ({100 * before / cells:.0f}%), "
              f"after: to fields {fields} ({100 * fields / cells:.0f}%), with extra fields {kept} ({100 * kept / cells:.0f}%)")
        for k, v in (("cells", cells), ("before", before), ("fields", fields), ("kept", kept)):
            tot[k] += v
    c = tot["cells"]
    print(f"all: {c} cells; before {tot['before']} ({100 * tot['before'] / c:.0f}%), after: to fields {tot['fields']} "
          f"({100 * tot['fields'] / c:.0f}%), with extra fields {tot['kept']} ({100 * tot['kept'] / c:.0f}%)")

main()
