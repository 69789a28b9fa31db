/* writeguard: the one check every command that writes a file makes first (export,
 * report, backup, the browser's export prompt): never over the database, its -wal,
 * -shm or -journal, nor over any SQLite database, links followed. */
#ifndef RAGTRACK_WRITEGUARD_H
#define RAGTRACK_WRITEGUARD_H

#include "ragtrack/status.h"
#include "ragtrack/store.h"

/* May a file be written at path (replacing what is there)?  OK, or ERR_INVALID with a
 * message naming path: one of s's own files (store_owns_path), or an SQLite database
 * (util_file_is_sqlite).  "-" and NULL (standard output) are always OK.  Backup, whose
 * FILE may be an older backup, uses writeguard_check_backup. */
enum status writeguard_check(const struct store *s, const char *path, struct err *err);

/* For backup FILE: as writeguard_check, except that an existing ragtrack database that
 * no one has open (no -wal or -shm beside it), such as last week's backup, may be
 * replaced. */
enum status writeguard_check_backup(const struct store *s, const char *path, struct err *err);

#endif
