#!/usr/bin/env bash
# ragtrack report's own options: --help, bad values and stray arguments are usage
# errors (exit 2) that name the problem; a missing database is "not found".
. "$(dirname "$0")/../lib.sh"
pg_needs report
data_db
cd "$T" || exit 1

check_status "--help" 0 "$RT" report --help
for opt in "--format FMT" "--output FILE" "--since DATE" "--stale-days N" "--all" "--agency NAME" "--overdue" \
           "--board NAME" "--meeting DATE" "--next DATE" "--title TEXT" "--author TEXT" "--paper-no TEXT" "json"; do
	check_contains "--help lists $opt" "$(cat "$T/out")" "$opt"
done
check_status "bad --format" 2 "$RT" --db "$DB" report --format pdf
check_contains "bad --format named" "$(cat "$T/err")" "--format: 'pdf' is not text, md, html or json"
check_status "bad --since" 2 "$RT" --db "$DB" report --since yesterday
check_contains "bad --since named" "$(cat "$T/err")" "--since: 'yesterday' is not a date"
check_status "--since needs a day" 2 "$RT" --db "$DB" report --since "June 2016"
check_status "--since trailing text" 2 "$RT" --db "$DB" report --since "2016-06-01x"
check_status "--since 31.05.2016" 0 "$RT" --db "$DB" report --since 31.05.2016
check_contains "--since UK date" "$(cat "$T/out")" "Changes since 2016-05-31 ("
check_status "bad --stale-days" 2 "$RT" --db "$DB" report --stale-days -3
check_contains "bad --stale-days named" "$(cat "$T/err")" "--stale-days: '-3' is not a number of days"
check_status "--format without value" 2 "$RT" --db "$DB" report --format
check_contains "missing value named" "$(cat "$T/err")" "--format needs a value"
check_status "stray argument" 2 "$RT" --db "$DB" report Megan
check_contains "stray argument named" "$(cat "$T/err")" "unexpected argument 'Megan'"
check_status "unknown option" 2 "$RT" --db "$DB" report --colour
check_contains "unknown option named" "$(cat "$T/err")" "unknown option '--colour'"
check_status "bad filter value" 2 "$RT" --db "$DB" report --rag purple
check_contains "bad filter value named" "$(cat "$T/err")" "--rag: 'purple' is not Red, Amber, Green, Blue or unset"
# --sort is refused, not silently ignored: the report's lists keep their own order
check_status "--sort refused" 2 "$RT" --db "$DB" report --sort target
check_contains "--sort refusal says why" "$(cat "$T/err")" "--sort: the report's lists have their own order"
check_eq "--sort: nothing on stdout" "$(cat "$T/out")" ""
check_status "missing database" 6 "$RT" --db nothing.db report
check_contains "missing database named" "$(cat "$T/err")" "nothing.db"
[ -e nothing.db ] && fail "report created a database"
check_status "--next before the meeting" 2 "$RT" --db "$DB" report --meeting 2016-07-14 --next 2016-07-01
check_contains "--next before the meeting said" "$(cat "$T/err")" "--next: '2016-07-01' is not after the meeting"
check_status "--board without a name" 2 "$RT" --db "$DB" report --board ""
check_status "--board none, no board recorded" 0 "$RT" --db "$DB" report --board none
check_status "--withdrawn refused" 2 "$RT" --db "$DB" report --withdrawn
check_contains "--withdrawn refused said" "$(cat "$T/err")" "--withdrawn: the paper leaves withdrawn actions out and counts them"
check_status "--include-withdrawn refused" 2 "$RT" --db "$DB" report --include-withdrawn
check_status "-o - is standard output" 0 "$RT" --db "$DB" report -o -
check_contains "-o -" "$(cat "$T/out")" "Case review action plans: progress report"
finish
