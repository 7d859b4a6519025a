"""Schema migrations, applied in order and recorded in `schema_migrations`.

Each entry is (version, name, sqlite_sql, postgres_sql). Never edit an applied
migration: add a new one. Version blocks by area keep parallel work apart:
1-9 core, 10-19 copies/recycled, 20-29 stories, 30-39 facts, 40-49 web, 50-59 sources, 60-69 scale-out.
"""
from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str, str]] = [
    (1, "core tables", """
CREATE TABLE raw_documents (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    media_type TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    first_seen_source TEXT NOT NULL,
    hints TEXT NOT NULL DEFAULT '{}',
    data BLOB NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE quarantine (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    content_id TEXT,
    data BLOB,
    recorded_at TEXT NOT NULL,
    UNIQUE (origin, stage, reason)
);
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE REFERENCES raw_documents(id),
    external_id TEXT,
    origin TEXT NOT NULL,
    title TEXT,
    outlet TEXT,
    url TEXT,
    author TEXT,
    published TEXT,
    published_source TEXT,
    language TEXT,
    text TEXT NOT NULL,
    paragraphs TEXT NOT NULL,
    captions TEXT NOT NULL,
    boilerplate TEXT NOT NULL,
    first_seen TEXT,
    first_seen_source TEXT,
    media_type TEXT,
    story_id TEXT,
    duplicate_of TEXT,
    recycled TEXT
);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_published ON articles(published);
CREATE TABLE enrichments (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    data TEXT NOT NULL
);
CREATE TABLE links (
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (src, dst, kind)
);
CREATE INDEX links_dst ON links(dst);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
""", """
CREATE TABLE raw_documents (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    media_type TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    first_seen_source TEXT NOT NULL,
    hints TEXT NOT NULL DEFAULT '{}',
    data BYTEA NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE quarantine (
    seq BIGSERIAL PRIMARY KEY,
    origin TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    content_id TEXT,
    data BYTEA,
    recorded_at TEXT NOT NULL,
    UNIQUE (origin, stage, reason)
);
CREATE TABLE articles (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE REFERENCES raw_documents(id),
    external_id TEXT,
    origin TEXT NOT NULL,
    title TEXT,
    outlet TEXT,
    url TEXT,
    author TEXT,
    published TEXT,
    published_source TEXT,
    language TEXT,
    text TEXT NOT NULL,
    paragraphs TEXT NOT NULL,
    captions TEXT NOT NULL,
    boilerplate TEXT NOT NULL,
    first_seen TEXT,
    first_seen_source TEXT,
    media_type TEXT,
    story_id TEXT,
    duplicate_of TEXT,
    recycled TEXT
);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_published ON articles(published);
CREATE TABLE enrichments (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    data TEXT NOT NULL
);
CREATE TABLE links (
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    kind TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    evidence TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (src, dst, kind)
);
CREATE INDEX links_dst ON links(dst);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""),
    (2, "full-text search over articles", """
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq');
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
""", """
ALTER TABLE articles ADD COLUMN tsv tsvector
  GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED;
CREATE INDEX articles_tsv ON articles USING GIN (tsv);
"""),
    (3, "articles: how precise the claimed publication time is (day, or minute with its UTC offset)", """
ALTER TABLE articles ADD COLUMN published_precision TEXT;
""", """
ALTER TABLE articles ADD COLUMN published_precision TEXT;
"""),
    (10, "MinHash signatures and LSH band buckets (near-duplicates)", """
CREATE TABLE minhash_signatures (
    article_id TEXT PRIMARY KEY,
    shingles INTEGER NOT NULL,
    sig BLOB NOT NULL
);
CREATE TABLE lsh_buckets (
    key INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
""", """
CREATE TABLE minhash_signatures (
    article_id TEXT PRIMARY KEY,
    shingles INTEGER NOT NULL,
    sig BYTEA NOT NULL
);
CREATE TABLE lsh_buckets (
    key BIGINT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (key, article_id)
);
"""),
    (20, "story index: document frequencies, article representations, story sums, term postings", """
CREATE TABLE story_df (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
CREATE TABLE story_reps (
    article_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    rep TEXT NOT NULL,
    emb BLOB
);
CREATE INDEX story_reps_story ON story_reps(story_id);
CREATE TABLE story_index (
    story_id TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    centroid TEXT NOT NULL,
    emb BLOB,
    touched INTEGER NOT NULL,
    built_at INTEGER NOT NULL
);
CREATE TABLE story_postings (
    term TEXT NOT NULL,
    story_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    touched INTEGER NOT NULL,
    PRIMARY KEY (term, story_id)
);
CREATE INDEX story_postings_recent ON story_postings(term, touched DESC);
CREATE INDEX story_postings_story ON story_postings(story_id);
""", """
CREATE TABLE story_df (
    term TEXT PRIMARY KEY,
    df BIGINT NOT NULL
);
CREATE TABLE story_reps (
    article_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    rep TEXT NOT NULL,
    emb BYTEA
);
CREATE INDEX story_reps_story ON story_reps(story_id);
CREATE TABLE story_index (
    story_id TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    centroid TEXT NOT NULL,
    emb BYTEA,
    touched BIGINT NOT NULL,
    built_at BIGINT NOT NULL
);
CREATE TABLE story_postings (
    term TEXT NOT NULL,
    story_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    touched BIGINT NOT NULL,
    PRIMARY KEY (term, story_id)
);
CREATE INDEX story_postings_recent ON story_postings(term, touched DESC);
CREATE INDEX story_postings_story ON story_postings(story_id);
"""),
    # Candidate lookups read (story_id, n) of a term's most recent postings: from the index alone, one range scan
    # instead of a table row per posting (4x faster per lookup at 20k articles, bench/bench_stories.py).
    (21, "story postings: covering index for candidate lookups", """
CREATE INDEX story_postings_cover ON story_postings(term, touched DESC, story_id, n);
DROP INDEX story_postings_recent;
""", """
CREATE INDEX story_postings_cover ON story_postings(term, touched DESC, story_id, n);
DROP INDEX story_postings_recent;
"""),
    (40, "story sort columns for paged story lists (web)", """
ALTER TABLE stories ADD COLUMN n_articles INTEGER GENERATED ALWAYS AS (coalesce(json_array_length(data, '$.articles'), 0)) VIRTUAL;
ALTER TABLE stories ADD COLUMN period_start TEXT GENERATED ALWAYS AS (json_extract(data, '$.period.start')) VIRTUAL;
ALTER TABLE stories ADD COLUMN period_end TEXT GENERATED ALWAYS AS (json_extract(data, '$.period.end')) VIRTUAL;
CREATE INDEX stories_largest ON stories(n_articles DESC, period_end DESC, id);
CREATE INDEX stories_newest ON stories(period_end DESC, id);
""", """
ALTER TABLE stories ADD COLUMN n_articles INTEGER GENERATED ALWAYS AS (
  CASE WHEN jsonb_typeof(data::jsonb -> 'articles') = 'array' THEN jsonb_array_length(data::jsonb -> 'articles') ELSE 0 END) STORED;
ALTER TABLE stories ADD COLUMN period_start TEXT GENERATED ALWAYS AS (data::jsonb #>> '{period,start}') STORED;
ALTER TABLE stories ADD COLUMN period_end TEXT GENERATED ALWAYS AS (data::jsonb #>> '{period,end}') STORED;
CREATE INDEX stories_largest ON stories(n_articles DESC, period_end DESC NULLS LAST, id);
CREATE INDEX stories_newest ON stories(period_end DESC NULLS LAST, id);
"""),
    (50, "feed state for `watch`: conditional-GET validators, last poll, items seen", """
CREATE TABLE feed_state (
    feed_url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    title TEXT,
    last_poll TEXT,
    last_status TEXT
);
CREATE TABLE feed_items (
    feed_url TEXT NOT NULL,
    item_key TEXT NOT NULL,
    link TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    last_try TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (feed_url, item_key)
);
""", """
CREATE TABLE feed_state (
    feed_url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    title TEXT,
    last_poll TEXT,
    last_status TEXT
);
CREATE TABLE feed_items (
    feed_url TEXT NOT NULL,
    item_key TEXT NOT NULL,
    link TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    last_try TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (feed_url, item_key)
);
"""),
    (51, "raw documents by origin (URLs already fetched are not fetched again)", """
CREATE INDEX raw_documents_origin ON raw_documents(origin);
""", """
CREATE INDEX raw_documents_origin ON raw_documents(origin);
"""),
    # Rows written without a claim (batch `load`, older stores) count as processed; bytes an interrupted run
    # stored without their article or failure are reopened, so the next ingest of them makes the article.
    (70, "claims on raw documents: owner, time, done (interrupted ingest runs are resumed)", """
ALTER TABLE raw_documents ADD COLUMN claimed_by TEXT;
ALTER TABLE raw_documents ADD COLUMN claimed_at REAL;
ALTER TABLE raw_documents ADD COLUMN done INTEGER NOT NULL DEFAULT 1;
UPDATE raw_documents SET done=0 WHERE id NOT IN (SELECT id FROM articles)
    AND id NOT IN (SELECT content_id FROM quarantine WHERE content_id IS NOT NULL);
""", """
ALTER TABLE raw_documents ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_at DOUBLE PRECISION,
    ADD COLUMN done SMALLINT NOT NULL DEFAULT 1;
UPDATE raw_documents SET done=0 WHERE id NOT IN (SELECT id FROM articles)
    AND id NOT IN (SELECT content_id FROM quarantine WHERE content_id IS NOT NULL);
"""),
]
