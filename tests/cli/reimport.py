#!/usr/bin/env python3
"""Agency returns for the re-import tests: edited copies of a plan in data/, and the
checks of what a re-import did with them.

  reimport.py variant PLAN OPS SEED OUT.csv OUT.json
      OPS: comma separated, from insert-start, insert-middle, insert-end, delete, swap,
      move, edit-light, edit-heavy, or random:N (N random edits, seeded)
  reimport.py check BEFORE.json DB EXPECT.json IMPORT.out DRYRUN.out
      BEFORE.json: the actions, change log and notes before (written by `snapshot`)
  reimport.py snapshot DB BEFORE.json

A plan's data rows become actions 1..N in order when it is the first import into an
empty database, so a row's origin is its action's ID.  Rows carry their origin through
every edit; the checks then say, for every action that existed before, that its text
is its own row's (as edited) or what it was, never another row's."""
import csv
import json
import random
import re
import sqlite3
import sys

GROUP = ("review", "finding", "theme", "questions", "question", "recommendation", "agency")
TEXT = ("actions", "action")
RESPONSE = ("response",)


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]


class Plan:
    def __init__(self, path):
        self.header, data = read(path)
        names = [h.strip().lower() for h in self.header]
        self.group_cols = [i for i, n in enumerate(names) if n in GROUP]
        self.text_col = next(i for i, n in enumerate(names) if n in TEXT)
        self.resp_cols = [i for i, n in enumerate(names) if n in RESPONSE]
        self.agency_col = next((i for i, n in enumerate(names) if n == "agency"), None)
        width = len(self.header)
        # each row: its cells and its origin (the action it was: 1..N; 0 = new)
        self.rows = [{"cells": (r + [""] * width)[:width], "origin": k + 1} for k, r in enumerate(data)]
        self.missing, self.edited, self.new_texts, self.moved = set(), {}, [], {}
        names_g = [names[c] for c in self.group_cols]
        self.review_lvl = names_g.index("review") if "review" in names_g else None
        self.agency_lvl = names_g.index("agency") if "agency" in names_g else None
        self.scope_of = {r["origin"]: self.scope(k) for r, k in zip(self.rows, self.keys())}

    def scope(self, key):
        """The review and agency of a row: what a file covers."""
        return (key[self.review_lvl] if self.review_lvl is not None else "",
                key[self.agency_lvl] if self.agency_lvl is not None else "")

    def named_missing(self):
        """The actions not in the file within the reviews and agencies it covers."""
        covered = {self.scope(k) for k in self.keys()}
        return sorted(k for k in self.missing if self.scope_of[k] in covered)

    def keys(self):
        """Fill-down group key of each row (a new value resets the levels below)."""
        cur = [""] * len(self.group_cols)
        out = []
        for r in self.rows:
            for lvl, c in enumerate(self.group_cols):
                v = r["cells"][c].strip()
                if v and v != cur[lvl]:
                    cur[lvl] = v
                    for below in range(lvl + 1, len(cur)):
                        cur[below] = ""
            out.append(tuple(cur))
        return out

    def groups(self):
        """Runs of rows with one key: (key, [row indexes])."""
        out = []
        for i, k in enumerate(self.keys()):
            if out and out[-1][0] == k:
                out[-1][1].append(i)
            else:
                out.append((k, [i]))
        return out

    def continuation(self, i):
        r = self.rows[i]["cells"]
        return all(not r[c].strip() for c in self.group_cols + self.resp_cols)

    def texts_in(self, idx):
        return [self.rows[i]["cells"][self.text_col] for i in idx]

    # ---- edits ----
    def new_row(self, text, like=None):
        cells = [""] * len(self.header)
        if like is not None:
            for c in self.group_cols:
                cells[c] = self.rows[like]["cells"][c]
        cells[self.text_col] = text
        self.new_texts.append(text)
        return {"cells": cells, "origin": 0}

    def insert(self, rng, where):
        groups = [g for g in self.groups() if len(g[1]) >= 2] or self.groups()
        _, idx = rng.choice(groups)
        text = "Quarterly CSE refresher for designated leads, reported to the Board %d" % rng.randrange(10**6)
        if where == "start":
            self.rows.insert(idx[0], self.new_row(text, like=idx[0]))
        elif where == "middle":
            self.rows.insert(idx[len(idx) // 2], self.new_row(text))
        else:
            self.rows.insert(idx[-1] + 1, self.new_row(text))

    def delete(self, rng):
        keys = self.keys()
        cands = [i for i in range(len(self.rows)) if self.rows[i]["origin"]]
        i = rng.choice(cands)
        nxt = i + 1
        if nxt < len(self.rows):
            for c in self.group_cols + self.resp_cols:
                here, there = self.rows[i]["cells"][c], self.rows[nxt]["cells"][c]
                same_scope = c in self.resp_cols and keys[nxt] == keys[i] or c in self.group_cols
                if here.strip() and not there.strip() and same_scope:
                    self.rows[nxt]["cells"][c] = here
        self.missing.add(self.rows[i]["origin"])
        self.edited.pop(self.rows[i]["origin"], None)
        del self.rows[i]

    def swap(self, rng):
        groups = [(k, [i for i in idx if self.rows[i]["cells"][self.text_col].strip()]) for k, idx in self.groups()]
        groups = [g for g in groups if len(g[1]) >= 2]      # rows with text: a swap never blanks a row
        if not groups:
            return False
        _, idx = rng.choice(groups)
        a, b = rng.sample(idx, 2)
        keep = set(self.group_cols + self.resp_cols)
        ra, rb = self.rows[a], self.rows[b]
        for c in range(len(self.header)):
            if c not in keep:
                ra["cells"][c], rb["cells"][c] = rb["cells"][c], ra["cells"][c]
        ra["origin"], rb["origin"] = rb["origin"], ra["origin"]
        return True

    def move(self, rng):
        """A continuation row to the end of another agency's group under its question."""
        if self.agency_col is None:
            return False
        groups = self.groups()
        options = []
        for gi, (key, idx) in enumerate(groups):
            for i in idx[1:]:
                if self.continuation(i) and self.rows[i]["origin"]:
                    for gj, (k2, idx2) in enumerate(groups):
                        if gj != gi and k2[:-1] == key[:-1] and k2[-1] and k2[-1] != key[-1]:
                            options.append((i, idx2[-1], k2[-1]))
        if not options:
            return False
        i, after, agency = rng.choice(options)
        row = self.rows[i]
        self.missing.add(row["origin"])
        self.moved[str(row["origin"])] = [agency, self.edited.pop(row["origin"], None)]
        row = {"cells": row["cells"], "origin": 0}
        self.rows.insert(after + 1, row)
        del self.rows[i if i < after + 1 else i + 1]
        return True

    def unique_in_group(self, i):
        for key, idx in self.groups():
            if i in idx:
                return self.texts_in(idx).count(self.rows[i]["cells"][self.text_col]) == 1
        return False

    def edit(self, rng, heavy):
        def words(t):
            return set(re.findall(r"[0-9a-z\x80-\uffff]+", t.lower()))
        def plain(t):      # text the importer keeps exactly as written
            return re.fullmatch(r"[A-Za-z0-9 ,.;:'()/-]+", t) and "  " not in t and t == t.strip()
        cands = [i for i, r in enumerate(self.rows) if r["origin"] and r["origin"] not in self.edited and
                 len(words(r["cells"][self.text_col])) >= 8 and self.unique_in_group(i) and
                 plain(r["cells"][self.text_col])]
        if not cands:
            return False
        i = rng.choice(cands)
        row = self.rows[i]
        old = row["cells"][self.text_col]
        if heavy:
            new = "Independent chair to commission external scrutiny of escalation %d" % rng.randrange(10**6)
            self.missing.add(row["origin"])
            self.new_texts.append(new)
            row["origin"] = 0
        else:
            ws = old.split(" ")
            j = max(range(len(ws)), key=lambda k: len(ws[k]))
            ws[j] = "revised"
            new = " ".join(ws)
            self.edited[row["origin"]] = new
        row["cells"][self.text_col] = new
        return True

    def apply(self, op, rng):
        if op.startswith("insert-"):
            self.insert(rng, op[len("insert-"):])
        elif op == "delete":
            self.delete(rng)
        elif op == "swap":
            return self.swap(rng)
        elif op == "move":
            return self.move(rng)
        elif op == "edit-light":
            return self.edit(rng, False)
        elif op == "edit-heavy":
            return self.edit(rng, True)
        else:
            raise SystemExit("unknown edit " + op)
        return True


RANDOM_OPS = ["insert-start", "insert-middle", "insert-end", "delete", "swap", "move", "edit-light", "edit-heavy"]


def variant(plan_path, ops, seed, out_csv, out_json):
    rng = random.Random(seed)
    p = Plan(plan_path)
    done = []
    for op in ops.split(","):
        if op.startswith("random:"):
            for _ in range(int(op[7:])):
                o = rng.choice(RANDOM_OPS)
                if p.apply(o, rng):
                    done.append(o)
        elif p.apply(op, rng):
            done.append(op)
    with open(out_csv, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([p.header] + [r["cells"] for r in p.rows])
    expect = {"ops": done, "missing": p.named_missing(), "edited": {str(k): v for k, v in p.edited.items()},
              "new_texts": p.new_texts, "moved": p.moved,
              "rows": [{"origin": r["origin"], "text": r["cells"][p.text_col]} for r in p.rows]}
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(expect, f)
    print(" ".join(done))


def clean(t):
    return " ".join(t.split())


def snapshot(db, out):
    con = sqlite3.connect(db)
    acts = {str(i): {"text": t, "agency": g, "content": c} for i, t, g, c in con.execute(
        "SELECT a.id, a.text, ag.name, json_array(a.question_id, a.agency_id, a.text, a.rag_raw, a.target_raw,"
        " a.evidence, a.lead, a.constraints, a.desired, a.extra)"
        " FROM action a LEFT JOIN agency ag ON ag.id = a.agency_id")}
    log = {}
    for i, f, o, n in con.execute("SELECT action_id, field, old_value, new_value FROM change_log ORDER BY id"):
        log.setdefault(str(i), []).append([f, o, n])
    notes = {}
    for i, t in con.execute("SELECT action_id, text FROM note ORDER BY id"):
        notes.setdefault(str(i), []).append(t)
    batch = con.execute("SELECT ifnull(max(batch), 0) FROM change_log").fetchone()[0]
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"actions": acts, "log": log, "notes": notes, "batch": batch}, f)


def check(before_json, db, expect_json, import_out, dry_out):
    before = json.load(open(before_json, encoding="utf-8"))
    expect = json.load(open(expect_json, encoding="utf-8"))
    out = open(import_out, encoding="utf-8").read()
    dry = open(dry_out, encoding="utf-8").read()
    con = sqlite3.connect(db)
    fails = []
    after = {str(i): (t, g) for i, t, g in con.execute(
        "SELECT a.id, a.text, ag.name FROM action a LEFT JOIN agency ag ON ag.id = a.agency_id")}
    edited = expect["edited"]
    # 1. every action that existed before holds its own text: as it was, or its row's
    # as lightly edited; never another row's
    for k, a in before["actions"].items():
        now = clean(after[k][0])
        want = clean(edited.get(k, a["text"]))
        if now != want:
            fails.append("#%s has text %r, want %r" % (k, now[:60], want[:60]))
    # 2. history and notes stay with their actions; only edited rows gain a text change
    log = {}
    for i, f, o, n, b in con.execute("SELECT action_id, field, old_value, new_value, batch FROM change_log ORDER BY id"):
        log.setdefault(str(i), []).append(([f, o, n], b))
    for k in before["actions"]:
        old = before["log"].get(k, [])
        now = [e for e, _ in log.get(k, [])]
        if now[:len(old)] != old:
            fails.append("#%s: its history changed" % k)
        for (f, o, n), b in log.get(k, [])[len(old):]:
            if f == "action" and k not in edited:
                fails.append("#%s: text changed by the import (%r -> %r)" % (k, (o or "")[:40], (n or "")[:40]))
    notes = {}
    for i, t in con.execute("SELECT action_id, text FROM note ORDER BY id"):
        notes.setdefault(str(i), []).append(t)
    if notes != before["notes"]:
        fails.append("notes moved")
    # 3. new rows are new actions (moved ones under their new agency)
    new_ids = [k for k in after if k not in before["actions"]]
    def moved_text(k):
        return clean(expect["moved"][k][1] or before["actions"][k]["text"])
    want_new = [clean(t) for t in expect["new_texts"]] + [moved_text(k) for k in expect["moved"]]
    new_texts = sorted(clean(after[k][0]) for k in new_ids)
    if new_texts != sorted(want_new):
        fails.append("new actions %r, want %r" % ([t[:30] for t in new_texts], [t[:30] for t in sorted(want_new)]))
    for origin, (agency, _) in expect["moved"].items():
        text = moved_text(origin)
        hit = [k for k in new_ids if clean(after[k][0]) == text and after[k][1] == agency]
        if not hit:
            fails.append("moved row of #%s not a new action of %s" % (origin, agency))
    # 4. the missing are named; nothing else is
    # Of two actions alike in every field, either may be the one named: no text moves.
    named = sorted(int(m) for m in re.findall(r"^not in this file: #(\d+)", out, re.M))
    content = lambda ids: sorted(before["actions"].get(str(k), {}).get("content", str(k)) for k in ids)
    if named != expect["missing"] and content(named) != content(expect["missing"]):
        fails.append("named missing %r, want %r" % (named, expect["missing"]))
    # 5. the dry run listed exactly what the run wrote
    batch = before["batch"]
    wrote = sorted("%s %s" % (i, f) for i, f in con.execute(
        "SELECT action_id, field FROM change_log WHERE batch > ?", (batch,)) if f not in ("added", "response"))
    listed = []
    for line in dry.splitlines():
        m = re.match(r"^#(\d+) (.*)$", line)
        if m:
            for part in m.group(2).split("; "):
                field = part.split(" ")[0]
                if field != "response":
                    listed.append("%s %s" % (m.group(1), field))
    if sorted(listed) != wrote:
        fails.append("dry run listed %r, the run wrote %r" % (sorted(listed), wrote))
    added = sorted(int(i) for (i,) in con.execute("SELECT action_id FROM change_log WHERE batch > ? AND field = 'added'",
                                                  (batch,)))
    dry_new = sorted(int(i) for i in re.findall(r"^new: .*\(#(\d+)\)$", dry, re.M))
    if added != dry_new or added != sorted(int(k) for k in new_ids):
        fails.append("dry run's new %r, the run added %r (new ids %r)" % (dry_new, added, new_ids))
    dry_missing = sorted(int(m) for m in re.findall(r"^not in this file: #(\d+)", dry, re.M))
    if dry_missing != named:
        fails.append("dry run's missing %r, the run's %r" % (dry_missing, named))
    for f in fails:
        print("FAIL: " + f)
    return 1 if fails else 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "variant":
        variant(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif cmd == "snapshot":
        snapshot(sys.argv[2], sys.argv[3])
    elif cmd == "check":
        sys.exit(check(*sys.argv[2:7]))
    else:
        raise SystemExit(__doc__)
