# bench/lib.sh: what bench/views.sh and bench/server.sh share (sourced, not run).

# Numbers (awk: bash has no floating point).
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2}'; }
calc() { awk "BEGIN { printf \"%.6g\", $* }"; }
fmt_s() { awk -v t="$1" 'BEGIN { if (t < 1) printf "%.1f ms", t * 1000; else printf "%.2f s", t }'; }
fmt_ratio() { awk -v r="$1" 'BEGIN { if (r < 0.1) printf "%.2gx", r; else printf "%.2fx", r }'; }

# results_section NAME SECTION RESULTS: put the file SECTION (which starts with
# "<!-- NAME -->" and ends with "<!-- /NAME -->") into RESULTS in place of the section
# of that name there, or at its end when it has none.
results_section() {
	local name=$1 section=$2 results=$3
	if [[ -f $results ]] && grep -q "^<!-- $name -->" "$results"; then
		awk -v f="$section" -v first="<!-- $name -->" -v last="<!-- /$name -->" \
			'$0 == first { while ((getline l < f) > 0) print l; skip = 1; next }
			 $0 == last { skip = 0; next } !skip' "$results" >"$results.tmp"
	else
		{ [[ -f $results ]] && cat "$results" && echo; cat "$section"; } >"$results.tmp"
	fi
	mv "$results.tmp" "$results"
}
