-- ragtrack database schema: the single source, compiled into the program.
-- The program creates it in an empty file and sets PRAGMA user_version to the schema
-- version it knows; older databases are upgraded by the migrations in src/store.c.
-- Text columns hold cleaned UTF-8; raw values as written sit beside their clean form.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);

-- A case review (serious case review, rapid review, board business plan ...).
CREATE TABLE review (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    board       TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL DEFAULT '',
    as_at       TEXT NOT NULL DEFAULT '',     -- "report as at" date, ISO when known
    source_file TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

-- A finding or theme of a review.  key is its identity: the title as written (plans
-- number findings and later themes from 1 alike); ref is read from it ("Finding 1:" -> "1").
CREATE TABLE finding (
    id        INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES review(id),
    key       TEXT NOT NULL,
    ref       TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL DEFAULT '',
    body      TEXT NOT NULL DEFAULT '',
    UNIQUE (review_id, key)
);

-- A question or recommendation.  key: the ref ("1a", "3.2"), else the text, else
-- "#" and the finding's key (plans with no question column).
CREATE TABLE question (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES review(id),
    finding_id INTEGER REFERENCES finding(id),
    key        TEXT NOT NULL,
    ref        TEXT NOT NULL DEFAULT '',
    sort_key   TEXT NOT NULL DEFAULT '',      -- natural order: 2 < 10, 1a < 1b
    text       TEXT NOT NULL DEFAULT '',
    UNIQUE (review_id, key)
);

-- Partner agencies; aliases are other spellings a user has merged into one.
CREATE TABLE agency (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE agency_alias (
    alias     TEXT PRIMARY KEY COLLATE NOCASE,
    agency_id INTEGER NOT NULL REFERENCES agency(id)
);

-- An agency's response to a question.  pending/run are import bookkeeping: the text a
-- run is assembling from its rows, and which run last touched the response.
CREATE TABLE response (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES question(id),
    agency_id   INTEGER REFERENCES agency(id),
    text        TEXT NOT NULL DEFAULT '',
    run         INTEGER NOT NULL DEFAULT 0,
    run_rows    INTEGER NOT NULL DEFAULT 0,
    created_run INTEGER NOT NULL DEFAULT 0,
    pending     TEXT
);
CREATE UNIQUE INDEX response_identity ON response(question_id, ifnull(agency_id, 0));
-- An agency's responses, in order (an agency merge reads them by agency).
CREATE INDEX response_agency ON response(agency_id);

-- An action: identity is question (hence review) + agency + seq.
-- rag: 0 unset, 1 Red, 2 Amber, 3 Green, 4 Blue.  sort_key holds the default order
-- (review, question ref in natural order, agency, seq) so the list is read through an
-- index in windows.  import_sig holds a hash per imported field of what the spreadsheet
-- said last time, so a re-import changes only what the spreadsheet changed: a BLOB of
-- 4 bytes per field (src/store_import.c), '' for an action no import has written.
CREATE TABLE action (
    id                INTEGER PRIMARY KEY,
    review_id         INTEGER NOT NULL REFERENCES review(id),
    question_id       INTEGER NOT NULL REFERENCES question(id),
    agency_id         INTEGER REFERENCES agency(id),
    response_id       INTEGER NOT NULL REFERENCES response(id),
    seq               INTEGER NOT NULL,
    text              TEXT NOT NULL DEFAULT '',
    rag               INTEGER NOT NULL DEFAULT 0 CHECK (rag BETWEEN 0 AND 4),
    rag_raw           TEXT NOT NULL DEFAULT '',
    target_date       TEXT,
    target_raw        TEXT NOT NULL DEFAULT '',
    first_target_date TEXT,
    evidence          TEXT NOT NULL DEFAULT '',
    lead              TEXT NOT NULL DEFAULT '',
    constraints       TEXT NOT NULL DEFAULT '',
    desired           TEXT NOT NULL DEFAULT '',
    sort_key          TEXT NOT NULL,
    import_sig        TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    touched_at        TEXT NOT NULL,          -- last change or note: --stale
    withdrawn         INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    extra             TEXT NOT NULL DEFAULT ''  -- extra fields' values, see extra_field
);
CREATE UNIQUE INDEX action_identity ON action(question_id, ifnull(agency_id, 0), seq);
CREATE INDEX action_sort   ON action(sort_key);
CREATE INDEX action_rag    ON action(rag, sort_key);
CREATE INDEX action_agency ON action(agency_id, sort_key);
CREATE INDEX action_review ON action(review_id, sort_key);
-- overdue, due within: counted from the index alone, per agency and review too (dashboard)
CREATE INDEX action_target ON action(target_date, rag, review_id, agency_id);
CREATE INDEX action_response ON action(response_id);
-- Withdrawn actions (no longer in the plan): lists leave them out unless asked, and the
-- counted totals subtract them, both through this small index.
CREATE INDEX action_withdrawn ON action(review_id, agency_id, rag) WHERE withdrawn = 1;

-- A review's extra fields: spreadsheet columns that map to no field of ragtrack, kept
-- under their header as written, in the order the files had them (pos from 0).  An
-- action's values sit in action.extra, the pos-th value after pos unit separators
-- (char(31), which cleaned text never holds); missing trailing values are empty.
CREATE TABLE extra_field (
    review_id INTEGER NOT NULL REFERENCES review(id),
    pos       INTEGER NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (review_id, pos)
) WITHOUT ROWID;

-- The browser's sorts, each read in windows by key (store_query.c's keysets): target
-- date, last change (also list --changed-since), lead; RAG and agency use action_rag and
-- action_agency.
CREATE INDEX action_by_target  ON action(target_date, sort_key);
CREATE INDEX action_by_updated ON action(updated_at DESC, sort_key);
CREATE INDEX action_by_lead    ON action(lead COLLATE NOCASE, sort_key);

-- Every change to an action: append-only (the triggers refuse edits and deletes), each
-- row chained to the one before by a hash (check reports a row rewritten, removed or moved).
CREATE TABLE change_log (
    id        INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES action(id),
    at        TEXT NOT NULL,
    user      TEXT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    source    TEXT NOT NULL CHECK (source IN ('import', 'cli', 'tui')),
    reason    TEXT,
    batch     INTEGER NOT NULL,               -- the changes of one edit share a batch (undo)
    undoes    INTEGER,                        -- batch this one reversed
    os_user   TEXT,                           -- the account that ran the command (NULL: before v2)
    undoes_change INTEGER,                    -- the one change undo --change reversed
    prev_hash TEXT NOT NULL DEFAULT '',       -- the hash chain (src/store_chain.c): the row
    hash      TEXT NOT NULL DEFAULT ''        -- before's hash; SHA-256 of it and this row
);
CREATE INDEX change_log_action ON change_log(action_id, id);
CREATE INDEX change_log_user   ON change_log(user, batch);
CREATE INDEX change_log_at     ON change_log(at);
-- undo: is a batch, or one change of it, undone (read from the index alone)
CREATE INDEX change_log_undoes ON change_log(undoes, undoes_change, user) WHERE undoes IS NOT NULL;
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log cannot be edited'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log cannot be deleted'); END;

-- Dated progress notes ("Update 6.6.16 exemplars of referrals are being collated").
CREATE TABLE note (
    id        INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES action(id),
    at        TEXT NOT NULL,
    user      TEXT NOT NULL,
    source    TEXT NOT NULL,
    text      TEXT NOT NULL
);
CREATE INDEX note_action ON note(action_id, id);

-- A review's own RAG words (import --rag-map '1=Red,2=Amber'), remembered for its later
-- imports.  word is compared as the importer folds it: lowercase, single-spaced.
CREATE TABLE rag_word (
    review_id INTEGER NOT NULL REFERENCES review(id),
    word      TEXT NOT NULL,
    rag       INTEGER NOT NULL CHECK (rag BETWEEN 0 AND 4),
    PRIMARY KEY (review_id, word)
) WITHOUT ROWID;

-- Per-user screen state (filters, sort, cursor), one row per setting.
CREATE TABLE ui_state (
    user  TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (user, key)
);

-- Derived data (the full-text index and rag_count) is kept in step by the triggers below,
-- whatever path changes an action.  An import run sets meta 'import_run' inside its own
-- transaction, which pauses them; the run then brings both up to date in bulk before it
-- commits (several times faster than row by row).

-- Actions per review, agency (0 = none) and RAG state: the totals the list's top bar and
-- the dashboard show stay instant on a million actions.  dated: how many of them have a
-- target date; the overdue totals are these less the ones not yet due (store_query.c).
CREATE TABLE rag_count (
    review_id INTEGER NOT NULL,
    agency_id INTEGER NOT NULL,
    rag       INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    dated     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (review_id, agency_id, rag)
) WITHOUT ROWID;

CREATE TRIGGER rag_count_insert AFTER INSERT ON action
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'import_run')
BEGIN
    INSERT INTO rag_count VALUES (new.review_id, ifnull(new.agency_id, 0), new.rag, 1, new.target_date IS NOT NULL)
        ON CONFLICT DO UPDATE SET n = n + 1, dated = dated + excluded.dated;
END;
CREATE TRIGGER rag_count_update AFTER UPDATE OF rag, agency_id, review_id, target_date ON action
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'import_run')
BEGIN
    UPDATE rag_count SET n = n - 1, dated = dated - (old.target_date IS NOT NULL)
     WHERE review_id = old.review_id AND agency_id = ifnull(old.agency_id, 0) AND rag = old.rag;
    INSERT INTO rag_count VALUES (new.review_id, ifnull(new.agency_id, 0), new.rag, 1, new.target_date IS NOT NULL)
        ON CONFLICT DO UPDATE SET n = n + 1, dated = dated + excluded.dated;
END;
CREATE TRIGGER rag_count_delete AFTER DELETE ON action
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'import_run')
BEGIN
    UPDATE rag_count SET n = n - 1, dated = dated - (old.target_date IS NOT NULL)
     WHERE review_id = old.review_id AND agency_id = ifnull(old.agency_id, 0) AND rag = old.rag;
END;

-- Board meetings: the state of every action when a meeting was recorded (ragtrack board
-- record), so the paper for the next meeting can say what moved since.  A recording is
-- a dated record like the change log (who and when are kept with it): the triggers
-- refuse edits and deletes, so later imports and edits never change it.
CREATE TABLE board (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    held_on     TEXT NOT NULL,                -- the meeting's date, ISO
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE TABLE board_action (
    board_id     INTEGER NOT NULL REFERENCES board(id),
    action_id    INTEGER NOT NULL REFERENCES action(id),
    rag          INTEGER NOT NULL,
    target_date  TEXT,
    target_raw   TEXT NOT NULL,
    has_evidence INTEGER NOT NULL,
    withdrawn    INTEGER NOT NULL,
    PRIMARY KEY (board_id, action_id)
) WITHOUT ROWID;
CREATE TRIGGER board_no_update BEFORE UPDATE ON board
BEGIN SELECT RAISE(ABORT, 'a recorded board cannot be edited'); END;
CREATE TRIGGER board_no_delete BEFORE DELETE ON board
BEGIN SELECT RAISE(ABORT, 'a recorded board cannot be deleted'); END;
CREATE TRIGGER board_action_no_update BEFORE UPDATE ON board_action
BEGIN SELECT RAISE(ABORT, 'a recorded board cannot be edited'); END;
CREATE TRIGGER board_action_no_delete BEFORE DELETE ON board_action
BEGIN SELECT RAISE(ABORT, 'a recorded board cannot be deleted'); END;

-- Full-text search over question, response, action, evidence, notes and the extra fields'
-- values (the unit separators between them separate words); rowid = action.id.
-- English word forms: porter stems over unicode61, so "audit" finds "audits" and
-- "safeguard" "safeguarding"; diacritics are ignored ("cafe" finds "café").
-- External content: the index reads its text from action_fts_source and stores none of
-- its own (half the database size).  The price: an entry must be deleted with exactly the
-- values it was indexed with, so every trigger deletes BEFORE a change and re-inserts
-- AFTER it.  ragtrack check compares the index with the actions.  This section stays the
-- last of the file: an upgrade that changes the index runs the file from its CREATE VIEW
-- on (FTS_FROM_SCHEMA in src/store.c).
CREATE VIEW action_fts_source AS
SELECT a.id AS id, q.text AS question, r.text AS response, a.text AS action,
       a.evidence AS evidence,
       (SELECT group_concat(n.text, char(10)) FROM note n WHERE n.action_id = a.id) AS notes,
       a.extra AS extra
  FROM action a JOIN question q ON q.id = a.question_id JOIN response r ON r.id = a.response_id;

CREATE VIRTUAL TABLE action_fts USING fts5(
    question, response, action, evidence, notes, extra,
    content = 'action_fts_source', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER action_fts_insert AFTER INSERT ON action
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'import_run')
BEGIN
    INSERT INTO action_fts(rowid, question, response, action, evidence, notes, extra)
    SELECT id, question, response, action, evidence, notes, extra FROM action_fts_source WHERE id = new.id;
END;
CREATE TRIGGER action_fts_unindex BEFORE UPDATE OF text, evidence, extra, question_id, response_id ON action
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'import_run')
BEGIN
    INSERT INTO action_fts(action_fts, rowid, question, response, action, evidence, notes, extra)
    SELECT 'delete', id, question, response, action, evidence, notes, extra FROM action_fts_source WHERE id = old.id;
END;
CREATE TRIGGER action_fts_reindex AFTER UPDATE OF text, evidence, extra, question_id, response_id ON action
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'import_run')
BEGIN
    INSERT INTO action_fts(rowid, question, response, action, evidence, notes, extra)
    SELECT id, question, response, action, evidence, notes, extra FROM action_fts_source WHERE id = new.id;
END;
CREATE TRIGGER action_fts_delete BEFORE DELETE ON action
BEGIN
    INSERT INTO action_fts(action_fts, rowid, question, response, action, evidence, notes, extra)
    SELECT 'delete', id, question, response, action, evidence, notes, extra FROM action_fts_source WHERE id = old.id;
END;
CREATE TRIGGER question_fts_unindex BEFORE UPDATE OF text ON question
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'import_run')
BEGIN
    INSERT INTO action_fts(action_fts, rowid, question, response, action, evidence, notes, extra)
    SELECT 'delete', id, question, response, action, evidence, notes, extra FROM action_fts_source
     WHERE id IN (SELECT id FROM action WHERE question_id = old.id);
END;
CREATE TRIGGER question_fts_reindex AFTER UPDATE OF text ON question
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'import_run')
BEGIN
    INSERT INTO action_fts(rowid, question, response, action, evidence, notes, extra)
    SELECT id, question, response, action, evidence, notes, extra FROM action_fts_source
     WHERE id IN (SELECT id FROM action WHERE question_id = new.id);
END;
CREATE TRIGGER response_fts_unindex BEFORE UPDATE OF text ON response
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'import_run')
BEGIN
    INSERT INTO action_fts(action_fts, rowid, question, response, action, evidence, notes, extra)
    SELECT 'delete', id, question, response, action, evidence, notes, extra FROM action_fts_source
     WHERE id IN (SELECT id FROM action WHERE response_id = old.id);
END;
CREATE TRIGGER response_fts_reindex AFTER UPDATE OF text ON response
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'import_run')
BEGIN
    INSERT INTO action_fts(rowid, question, response, action, evidence, notes, extra)
    SELECT id, question, response, action, evidence, notes, extra FROM action_fts_source
     WHERE id IN (SELECT id FROM action WHERE response_id = new.id);
END;
CREATE TRIGGER note_fts_unindex BEFORE INSERT ON note
BEGIN
    INSERT INTO action_fts(action_fts, rowid, question, response, action, evidence, notes, extra)
    SELECT 'delete', id, question, response, action, evidence, notes, extra FROM action_fts_source WHERE id = new.action_id;
END;
CREATE TRIGGER note_fts_reindex AFTER INSERT ON note
BEGIN
    INSERT INTO action_fts(rowid, question, response, action, evidence, notes, extra)
    SELECT id, question, response, action, evidence, notes, extra FROM action_fts_source WHERE id = new.action_id;
END;
