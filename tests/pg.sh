# tests/pg.sh: a throwaway PostgreSQL server for the tests.  Source it after
# tests/lib.sh, then call pg_start: it SKIPs (exit 77, with the reason) when the server
# programs are not installed or the server cannot run here.
#
#   pg_start            initdb in a new temp dir, start the server on a unix socket in
#                       that dir only (no TCP port), and make the template database
#   pg_db NAME          a new database NAME cloned from the template; prints its URI
#   pg_q NAME SQL       run SQL in database NAME with psql, rows as a|b lines
#   pg_stop             stop the server and remove its dir (the EXIT trap does it too,
#                       whatever ends the script)
#
# tests/run.sh starts one server for its PostgreSQL leg with pg_server_up (pg_start's
# work without lib.sh: no skip, no trap; PG_WHY says why it could not), and the scripts
# it runs reach that server through the environment it exports (tests/lib.sh).
#
# initdb refuses to run as root: then the server runs as nobody, in a dir nobody owns;
# the tests (root) still reach its socket.  Settings are the non-durable ones (no fsync,
# no full-page writes): a crash loses a throwaway server, nothing else.  PG_SERVER_OPTS
# adds settings of the caller's (bench/server.sh: a server's shared_buffers).
PG_DIR=
PG_TEMPLATE=rt_template

# The folder of PostgreSQL's server programs, or nothing.  Debian keeps initdb and pg_ctl
# out of PATH, in /usr/lib/postgresql/VERSION/bin (pg_config --bindir names it).
pg_bindir() {
	local d
	for d in "$(pg_config --bindir 2>/dev/null)" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV) \
		"$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"; do
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

# Run a server program as the server's owner (nobody when the tests run as root).
pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		(cd "$PG_DIR" && setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME="$PG_DIR" "$@")
	else
		(cd "$PG_DIR" && "$@")
	fi
}

pg_stop() {
	[ -n "$PG_DIR" ] || return 0
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		pg_as_owner "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 60 stop >/dev/null 2>&1
	fi
	rm -rf "$PG_DIR"
	PG_DIR=
}

# Start a server in a new folder (PG_DIR) and its empty template database; the client
# settings (PGHOST, PGUSER, PGDATABASE) are exported.  Returns 1 with PG_WHY set when
# the server cannot run here (PG_DIR is removed then), 2 after a failure of the tests' own.
pg_server_up() {
	PG_WHY=
	PGBIN=$(pg_bindir) || { PG_WHY="the PostgreSQL server is not installed (initdb, pg_ctl; Debian: apt-get install postgresql)"; return 1; }
	command -v psql >/dev/null 2>&1 || { PG_WHY="psql is not installed"; return 1; }
	[ "$(id -u)" != 0 ] || command -v setpriv >/dev/null 2>&1 || { PG_WHY="setpriv is not installed"; return 1; }
	# A short folder in /tmp, not $TMPDIR: a unix socket's path has room for about 100 bytes.
	PG_DIR=$(mktemp -d /tmp/rtpg.XXXXXX) || { PG_WHY="cannot make the server's folder"; return 2; }
	[ "$(id -u)" != 0 ] || chown 65534:65534 "$PG_DIR"
	if ! pg_as_owner "$PGBIN/initdb" -D "$PG_DIR/data" -U rt -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
		>"$PG_DIR/initdb.log" 2>&1; then
		PG_WHY="the PostgreSQL server cannot run here: initdb: $(grep -m1 -i 'error\|fatal\|cannot' "$PG_DIR/initdb.log")"
		pg_stop
		return 1
	fi
	if ! pg_as_owner "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
		-o "-k $PG_DIR -c listen_addresses='' -c unix_socket_permissions=0700 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_SERVER_OPTS:-}" \
		start >"$PG_DIR/pg_ctl.log" 2>&1; then
		PG_WHY="the PostgreSQL server cannot run here: $(tail -n 3 "$PG_DIR/server.log" 2>/dev/null | tr '\n' ' ')"
		pg_stop
		return 1
	fi
	export PGHOST=$PG_DIR PGUSER=rt PGDATABASE=postgres
	unset PGPORT PGPASSWORD PGSERVICE PGSERVICEFILE PGPASSFILE PGHOSTADDR PGOPTIONS
	psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $PG_TEMPLATE" >"$PG_DIR/template.log" 2>&1 ||
		{ PG_WHY="cannot create the template database: $(head -c 300 "$PG_DIR/template.log")"; return 2; }
}

pg_start() {
	trap 'pg_stop; rm -rf "$T"' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	pg_server_up
	case $? in
	0) ;;
	1) skip "$PG_WHY";;
	*) fail "$PG_WHY"; exit 1;;
	esac
}

pg_db() {
	psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $1 TEMPLATE $PG_TEMPLATE" >/dev/null ||
		{ fail "cannot create database $1"; return 1; }
	echo "postgresql://rt@/$1?host=$PG_DIR"
}

pg_q() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

# pg_sqlite_words DB: the few SQLite functions the scripts' own queries use (ifnull,
# group_concat, instr), in a schema of the tests' (rt_sqlite) that only their psql puts on its
# search path (tests/lib.sh's sql): ragtrack's connections never see it, so the server
# still refuses these words in ragtrack's SQL.  Every clone of DB has them.
pg_sqlite_words() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null <<-'EOF'
	CREATE SCHEMA rt_sqlite;
	CREATE FUNCTION rt_sqlite.ifnull(anycompatible, anycompatible) RETURNS anycompatible
	    LANGUAGE sql IMMUTABLE AS 'SELECT coalesce($1, $2)';
	CREATE FUNCTION rt_sqlite.instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT strpos($1, $2)';
	CREATE FUNCTION rt_sqlite.group_concat_step(text, anyelement, text) RETURNS text LANGUAGE sql IMMUTABLE
	    AS 'SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2::text ELSE $1 || $3 || $2::text END';
	CREATE FUNCTION rt_sqlite.group_concat_step(text, anyelement) RETURNS text LANGUAGE sql IMMUTABLE
	    AS 'SELECT rt_sqlite.group_concat_step($1, $2, '','')';
	CREATE AGGREGATE rt_sqlite.group_concat(anyelement, text) (SFUNC = rt_sqlite.group_concat_step, STYPE = text);
	CREATE AGGREGATE rt_sqlite.group_concat(anyelement) (SFUNC = rt_sqlite.group_concat_step, STYPE = text);
	EOF
}

# pg_same WHAT ARGS...: ragtrack ARGS on the file $SRC and on its copy on the server
# $URL give the same output (stdout and stderr together), byte for byte, and the same
# exit status; an empty output fails too (nothing was compared).
pg_same() {
	local what=$1; shift
	"$RT" --db "$SRC" "$@" >"$T/lite" 2>&1; local lite_rc=$?
	"$RT" --db "$URL" "$@" >"$T/pg" 2>&1; local pg_rc=$?
	check_eq "$what: exit status on PostgreSQL" "$pg_rc" "$lite_rc"
	check_same "$what" "$T/lite" "$T/pg"
	[ -s "$T/lite" ] || fail "$what: no output to compare"
}
