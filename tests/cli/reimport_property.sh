#!/usr/bin/env bash
# Property: random edits to a plan (seeded; REIMPORT_SEED=N picks another set), re-imported
# without IDs, leave every surviving row's text on the action that held it before, and
# every other action as it was; new rows are new actions; the missing are named; the dry
# run lists what the run writes.  Edits: rows inserted, deleted, swapped, moved to another
# agency, edited lightly and heavily, several at once (tests/cli/reimport.py).
. "$(dirname "$0")/../lib.sh"
pg_needs reimport note
need python3
need sqlite3
PY="python3 $ROOT/tests/cli/reimport.py"
# Fixed seeds, so that every run checks the same returns (a failure is reproducible,
# never a matter of luck); REIMPORT_SEED=N runs another set.
SEED=${REIMPORT_SEED:-84895}
ROUNDS=${REIMPORT_ROUNDS:-4}
echo "seed $SEED (REIMPORT_SEED=$SEED reproduces it)"
PLANS=("megan.csv|Megan" "julia.csv|Julia" "family-y.csv|Children of Family Y" "child-l.csv|" \
       "thurrock-priorities-2017-18.csv|")
n=0
for p in "${PLANS[@]}"; do
	plan=${p%%|*} review=${p#*|}
	args=()
	[ -n "$review" ] && args=(--review "$review")
	for r in $(seq 1 "$ROUNDS"); do
		seed=$((SEED * 100 + r)) dir=$T/${plan%.csv}.$r
		mkdir -p "$dir/v"
		engine_db db "$dir/db" || continue
		"$RT" --db "$db" import "${args[@]}" "$DATA/$plan" >/dev/null || { fail "$plan: first import"; continue; }
		"$RT" --db "$db" note 3 "a note that stays on 3" >/dev/null 2>&1
		$PY variant "$DATA/$plan" "random:6" "$seed" "$dir/v/$plan" "$dir/expect.json" >"$dir/ops"
		as_file file "$db" && $PY snapshot "$file" "$dir/before.json"
		"$RT" --db "$db" import --dry-run "${args[@]}" "$dir/v/$plan" >"$dir/dry.out" 2>&1 || { fail "$plan seed $seed: dry run"; continue; }
		"$RT" --db "$db" import "${args[@]}" "$dir/v/$plan" >"$dir/import.out" 2>&1 || { fail "$plan seed $seed: re-import"; continue; }
		as_file file "$db" || continue
		if ! $PY check "$dir/before.json" "$file" "$dir/expect.json" "$dir/import.out" "$dir/dry.out" >"$dir/check.out"; then
			fail "$plan seed $seed ($(cat "$dir/ops")): $(head -5 "$dir/check.out")"
		fi
		n=$((n + 1))
	done
done
echo "$n random returns checked"
finish
