"""PostgreSQL only (nothing on SQLite): pg_trgm, and two generated tsvectors per document in
the text search configuration of its language, with GIN indexes: ``search_vector`` (title,
keywords, body) is what matches, ``head_vector`` (title, keywords, excerpt; small) what ranks,
so ranking thousands of matches never reads their long transcripts.

Django does not know the column (it is not a model field), so inserts and updates leave it
to PostgreSQL, which recomputes it whenever title, keywords or body change.
"""

from django.db import migrations

VECTOR = """
    CASE language WHEN 'de' THEN
        setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('german'::regconfig, coalesce(keywords, '')), 'B') ||
        setweight(to_tsvector('german'::regconfig, coalesce(body, '')), 'C')
    WHEN 'en' THEN
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(keywords, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    ELSE
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(keywords, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'C')
    END
"""

HEAD = """
    CASE language WHEN 'de' THEN
        setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('german'::regconfig, coalesce(keywords, '')), 'B') ||
        setweight(to_tsvector('german'::regconfig, coalesce(excerpt, '')), 'C')
    WHEN 'en' THEN
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(keywords, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, coalesce(excerpt, '')), 'C')
    ELSE
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(keywords, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(excerpt, '')), 'C')
    END
"""

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE site_search_searchdocument ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({VECTOR}) STORED",
    "ALTER TABLE site_search_searchdocument ADD COLUMN head_vector tsvector "
    f"GENERATED ALWAYS AS ({HEAD}) STORED",
    "CREATE INDEX site_search_document_vector ON site_search_searchdocument "
    "USING gin (search_vector)",
    "CREATE INDEX site_search_document_head_trgm ON site_search_searchdocument "
    "USING gin (head gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS site_search_document_head_trgm",
    "DROP INDEX IF EXISTS site_search_document_vector",
    "ALTER TABLE site_search_searchdocument DROP COLUMN IF EXISTS head_vector",
    "ALTER TABLE site_search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("site_search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
