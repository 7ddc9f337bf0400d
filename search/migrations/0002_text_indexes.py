"""The text indexes, which differ by database: on PostgreSQL pg_trgm (GIN) over the normalised
text plus a tsvector over the segmented words; on SQLite an FTS5 table with the trigram
tokenizer, kept in step with the index rows by triggers."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "haystack, content='search_searchdocument', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(rowid, haystack) VALUES (new.id, new.haystack); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, haystack) VALUES ('delete', old.id, old.haystack); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE OF haystack ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, haystack) VALUES ('delete', old.id, old.haystack); "
    "INSERT INTO search_fts(rowid, haystack) VALUES (new.id, new.haystack); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
# The tsvector is a stored generated column, not an expression index alone: a match must be
# checked again on the row (a bitmap recheck, NOT for the partial matches), and parsing 1-2 KB
# of text per row on every query cost about 1 ms a row (bench 10).
POSTGRES_FORWARD = [
    "CREATE INDEX search_haystack_trgm ON search_searchdocument USING gin (haystack gin_trgm_ops)",
    "ALTER TABLE search_searchdocument ADD COLUMN segmented_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, segmented)) STORED",
    "CREATE INDEX search_segmented_tsv ON search_searchdocument USING gin (segmented_tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_segmented_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS segmented_tsv",
    "DROP INDEX IF EXISTS search_haystack_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
