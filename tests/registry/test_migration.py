"""The registry's Alembic branch (r001) creates exactly the tables of jiuye/registry/models.py, on a
branch of its own after the ledger's first revision."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from jiuye.ledger.db import Database
from jiuye.registry.models import Base


def test_the_migrated_schema_matches_the_models(db_url):
    db = Database(db_url)
    try:
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        ours = [d for d in diff if "reg_" in repr(d)]
        # compare_metadata also reports the ledger's tables as "not in this metadata": only ours count
        assert [d for d in ours if d[0] != "remove_table"] == []
        heads = MigrationContext.configure(db.engine.connect()).get_current_heads()
        assert "r001" in heads
    finally:
        db.dispose()


def test_the_branch_is_labelled_registry():
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from jiuye.ledger.db import MIGRATIONS
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    revision = ScriptDirectory.from_config(config).get_revision("r001")
    assert revision.branch_labels == {"registry"} and revision.down_revision == "0001"
