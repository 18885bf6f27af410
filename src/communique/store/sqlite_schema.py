"""The SQLite archive's schema, as forward migrations.

``MIGRATIONS[n]`` takes an archive from version ``n`` to ``n + 1``; the version is
kept in ``PRAGMA user_version``. Migrations only ever append: a released one is
never edited, a change is a new one. Each runs in its own transaction.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 0 -> 1: posts, their former keys, channels, and the full-text index.
    """
    CREATE TABLE posts (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        channel TEXT COLLATE NOCASE,
        message_id INTEGER,
        url TEXT,
        date TEXT,
        title TEXT NOT NULL,
        title_key TEXT NOT NULL,
        text TEXT NOT NULL,
        forwarded_from TEXT,
        reply_to TEXT,
        media TEXT NOT NULL DEFAULT '[]',
        hashtags TEXT NOT NULL DEFAULT '[]',
        links TEXT NOT NULL DEFAULT '[]',
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX posts_message ON posts (channel, message_id)
        WHERE message_id IS NOT NULL;
    CREATE INDEX posts_title_key ON posts (title_key);
    CREATE INDEX posts_date ON posts (date);

    -- A post keeps answering to the keys it had before a merge gave it a better one.
    CREATE TABLE post_aliases (
        alias TEXT PRIMARY KEY,
        post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE
    );

    CREATE TABLE channels (
        username TEXT PRIMARY KEY COLLATE NOCASE,
        title TEXT,
        description TEXT,
        subscribers INTEGER
    );

    -- External-content FTS5 index over posts, kept in sync by triggers.
    CREATE VIRTUAL TABLE posts_fts USING fts5 (
        title, text,
        content = 'posts', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
        INSERT INTO posts_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
        INSERT INTO posts_fts (posts_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, text ON posts BEGIN
        INSERT INTO posts_fts (posts_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO posts_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    """,
    # 1 -> 2: fields of the web preview and exports, provenance, edit history,
    # channels followed and their sync state.
    """
    ALTER TABLE posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'post';
    ALTER TABLE posts ADD COLUMN service TEXT;
    ALTER TABLE posts ADD COLUMN views INTEGER;
    ALTER TABLE posts ADD COLUMN views_rounding INTEGER;
    ALTER TABLE posts ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE posts ADD COLUMN author TEXT;
    ALTER TABLE posts ADD COLUMN forwarded_url TEXT;
    ALTER TABLE posts ADD COLUMN link_preview TEXT;
    ALTER TABLE posts ADD COLUMN text_kind TEXT;
    ALTER TABLE posts ADD COLUMN reply_key TEXT;
    UPDATE posts SET text_kind = json_extract(source, '$.kind');
    CREATE INDEX posts_reply_key ON posts (reply_key) WHERE reply_key IS NOT NULL;

    -- Every place a post was seen: a file and its line span, or a fetched page.
    CREATE TABLE post_sources (
        post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        path TEXT NOT NULL DEFAULT '',
        first_line INTEGER NOT NULL DEFAULT 0,
        last_line INTEGER,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (post_id, kind, path, first_line)
    );
    CREATE INDEX post_sources_place ON post_sources (path, first_line);
    INSERT INTO post_sources
        SELECT id, json_extract(source, '$.kind'), coalesce(json_extract(source, '$.path'), ''),
               coalesce(json_extract(source, '$.lines[0]'), 0),
               json_extract(source, '$.lines[1]'), created_at, updated_at
        FROM posts;

    -- Earlier texts of edited posts.
    CREATE TABLE post_versions (
        id INTEGER PRIMARY KEY,
        post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        replaced_at TEXT NOT NULL
    );
    CREATE INDEX post_versions_post ON post_versions (post_id);

    ALTER TABLE channels ADD COLUMN followed INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE channels ADD COLUMN last_synced_id INTEGER;
    ALTER TABLE channels ADD COLUMN last_synced_at TEXT;
    """,
    # 2 -> 3: the extracted structure, an entity index for filters and facets, and
    # people with their spellings.
    """
    ALTER TABLE posts ADD COLUMN speaker TEXT;
    ALTER TABLE posts ADD COLUMN event_date TEXT;
    ALTER TABLE posts ADD COLUMN place TEXT;
    ALTER TABLE posts ADD COLUMN countries TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE posts ADD COLUMN organizations TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE posts ADD COLUMN people TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE posts ADD COLUMN events TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE posts ADD COLUMN language TEXT;
    ALTER TABLE posts ADD COLUMN extractor TEXT;
    CREATE INDEX posts_kind ON posts (kind);
    CREATE INDEX posts_speaker ON posts (speaker);
    CREATE INDEX posts_event_date ON posts (event_date);

    -- One row per (entity, post): countries, organisations, people (by person key),
    -- hashtags. Derived from the post's fields on every write, like the FTS index.
    CREATE TABLE post_entities (
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        PRIMARY KEY (type, value, post_id)
    ) WITHOUT ROWID;
    CREATE INDEX post_entities_post ON post_entities (post_id);

    -- A person per name key (names.person_key), with every spelling seen.
    CREATE TABLE people (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT,
        country TEXT
    );
    CREATE TABLE person_aliases (
        alias TEXT PRIMARY KEY,
        person_key TEXT NOT NULL REFERENCES people (key) ON DELETE CASCADE
    );
    """,
    # 3 -> 4: sentence embeddings and near-duplicate groups (search and analysis).
    """
    -- Identity rule 3 for posts with channel and id looks only among posts without
    -- them; this index keeps that look-up small when many posts share a title.
    CREATE INDEX posts_title_key_anonymous ON posts (title_key)
        WHERE message_id IS NULL OR channel IS NULL;

    -- One embedding per post and model, quantised (see communique/embed.py).
    CREATE TABLE post_vectors (
        post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,  -- of the text embedded: a changed text is re-embedded
        vector BLOB NOT NULL,
        PRIMARY KEY (model, post_id)
    );
    CREATE INDEX post_vectors_post ON post_vectors (post_id);

    -- Near-duplicate detection (communique/dedupe.py): each post's MinHash
    -- signature, and the group of posts that share its text; a group is named by
    -- its earliest post.
    CREATE TABLE post_signatures (
        post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
        text_hash TEXT NOT NULL,
        signature BLOB NOT NULL
    );
    CREATE TABLE dup_groups (
        post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
        group_id INTEGER NOT NULL
    );
    CREATE INDEX dup_groups_group ON dup_groups (group_id);
    """,
    # 4 -> 5: incremental near-duplicate detection: LSH buckets and a queue of the
    # posts dedupe has yet to look at.
    """
    -- Near-duplicate detection, incrementally (communique/dedupe.py). The LSH buckets
    -- of each post's MinHash signature, one row per band: the band's number and its
    -- values in one integer. A post's own rows are found again from its stored
    -- signature when its text changes, so there is no index on post_id.
    CREATE TABLE lsh_buckets (
        bucket INTEGER NOT NULL,
        post_id INTEGER NOT NULL,
        PRIMARY KEY (bucket, post_id)
    ) WITHOUT ROWID;

    -- Posts dedupe has yet to look at: new ones, and those whose text, date or kind
    -- changed. Kept by triggers, so that dedupe.update() costs what changed, not the
    -- size of the archive.
    CREATE TABLE dedupe_queue (post_id INTEGER PRIMARY KEY);
    INSERT INTO dedupe_queue (post_id) SELECT id FROM posts;
    CREATE TRIGGER dedupe_queue_insert AFTER INSERT ON posts BEGIN
        INSERT OR IGNORE INTO dedupe_queue (post_id) VALUES (new.id);
    END;
    CREATE TRIGGER dedupe_queue_update AFTER UPDATE OF text, date, kind ON posts
    WHEN old.text IS NOT new.text OR old.date IS NOT new.date OR old.kind IS NOT new.kind
    BEGIN
        INSERT OR IGNORE INTO dedupe_queue (post_id) VALUES (new.id);
    END;
    """,
    # 5 -> 6: the change log the ranking index (communique/textindex.py) follows.
    """
    -- Every write to a post, in order. The tantivy index remembers the last seq it
    -- applied, so that bringing it up to date costs what changed and needs no write
    -- here (a read-only web server can refresh it). Writers prune applied rows.
    -- AUTOINCREMENT: a pruned seq is never handed out again.
    CREATE TABLE search_queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        post_id INTEGER NOT NULL
    );
    -- Names this archive, so that an index left beside a deleted and re-created
    -- archive of the same name is recognised as foreign and rebuilt.
    CREATE TABLE search_meta (archive_id TEXT NOT NULL);
    INSERT INTO search_meta VALUES (lower(hex(randomblob(16))));
    CREATE TRIGGER search_queue_insert AFTER INSERT ON posts BEGIN
        INSERT INTO search_queue (post_id) VALUES (new.id);
    END;
    CREATE TRIGGER search_queue_update AFTER UPDATE ON posts BEGIN
        INSERT INTO search_queue (post_id) VALUES (new.id);
    END;
    CREATE TRIGGER search_queue_delete AFTER DELETE ON posts BEGIN
        INSERT INTO search_queue (post_id) VALUES (old.id);
    END;
    """,
    # 6 -> 7: a person's spellings by person (the post and entity pages list them):
    # without it each look-up scans every alias (~110 ms at 1M posts).
    """
    CREATE INDEX person_aliases_person ON person_aliases (person_key);
    """,
    # 7 -> 8: cheaper writes to a large archive (bench/RESULTS.md, 2026-11-24).
    # - The title look-up (identity rule 3) goes by a hash of the title key
    #   (sqlite_rows.title_hash, registered as an SQL function by SQLiteStore): an
    #   index of the keys themselves, long and in no order, grew to 147 MB at 1M
    #   posts, and every insertion dirtied a page of it; the hashes take 17 MB.
    # - FTS5 merges its segments eight at a time instead of four: each post's index
    #   entries are rewritten at fewer levels, for a few more segments to read at
    #   query time.
    """
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 8);
    ALTER TABLE posts ADD COLUMN title_hash INTEGER;
    -- Filling it in changes nothing the ranking index holds: no change log rows.
    DROP TRIGGER search_queue_update;
    UPDATE posts SET title_hash = title_hash(title_key);
    CREATE TRIGGER search_queue_update AFTER UPDATE ON posts BEGIN
        INSERT INTO search_queue (post_id) VALUES (new.id);
    END;
    CREATE INDEX posts_title_hash ON posts (title_hash);
    DROP INDEX posts_title_key;
    """,
    # 8 -> 9: LSH buckets as sorted runs (communique/lshindex.py) instead of a B-tree
    # of random keys, which cost ~145 µs a post at 1M posts. The runs are built
    # afresh: every post is signed and grouped again at the next dedupe update.
    """
    CREATE TABLE lsh_runs (
        id INTEGER PRIMARY KEY,
        level INTEGER NOT NULL,    -- size class (lshindex.size_class)
        entries INTEGER NOT NULL,
        keys BLOB NOT NULL,        -- bucket keys, sorted: little-endian uint64
        posts BLOB NOT NULL        -- the post of each: little-endian int64
    );
    DROP TABLE lsh_buckets;
    DELETE FROM post_signatures;
    DELETE FROM dup_groups;
    INSERT OR IGNORE INTO dedupe_queue (post_id) SELECT id FROM posts;
    """,
]

VERSION = len(MIGRATIONS)
