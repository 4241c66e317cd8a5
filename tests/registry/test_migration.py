"""The registry's Alembic branch: r001 creates the tables of jiuye/registry/models.py on a branch of
its own after the ledger's first revision; r002 adds the hukou's move to ``reg_persons``. The
migrated schema matches the models; a database of r001 with persons in it is upgraded on SQLite
and PostgreSQL with every row and the audit chain still verifying (no row rewritten), and down and
up again."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.orm import Session

from jiuye.ledger import Ledger, audit
from jiuye.ledger.db import Database, alembic_config, current_revision, migrate
from jiuye.registry import Registry
from jiuye.registry.models import Base
from tests.ledger.conftest import BACKENDS, database_at

from .conftest import person_number


def test_the_migrated_schema_matches_the_models(db_url):
    db = Database(db_url)
    try:
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        ours = [d for d in diff if "reg_" in repr(d)]
        # compare_metadata also reports the ledger's tables as "not in this metadata": only ours count
        assert [d for d in ours if d[0] != "remove_table"] == []
        heads = MigrationContext.configure(db.engine.connect()).get_current_heads()
        assert "r002" in heads
    finally:
        db.dispose()


def test_the_branch_is_labelled_registry():
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from jiuye.ledger.db import MIGRATIONS
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    revision = script.get_revision("r001")
    assert revision.branch_labels == {"registry"} and revision.down_revision == "0001"
    assert script.get_revision("r002").down_revision == "r001"
    assert script.get_revision("registry@head").revision == "r002"


@pytest.fixture(params=BACKENDS)
def r001_url(request, tmp_path) -> str:
    """A database at the registry's r001 (the ledger's and supervision's heads)."""
    return database_at(request, tmp_path, "registry_r001", ("0005", "r001", "s001"))


HIRE = dt.date(2026, 5, 10)


def _written_at_r001(url: str) -> dict:
    """Rows as the registry of r001 wrote them (the tables as they were: no move columns), each logged
    as it logged them: a community of 西城区 and two persons of 西城 hukou, the first hired on HIRE
    from unemployment (the registration cancelled on the hire day)."""
    db = Database(url)
    meta = sa.MetaData()
    tables = {name: sa.Table(name, meta, autoload_with=db.engine)
              for name in ("reg_areas", "reg_persons", "reg_statuses", "reg_spells")}
    assert "hukou_moved_in_on" not in tables["reg_persons"].c
    now = dt.datetime(2026, 6, 1, 8, 0)
    with Session(db.engine) as s, s.begin():
        def write(table: str, entity: str, **values) -> int:
            t = tables[table]
            row_id = s.execute(t.insert().values(**values).returning(t.c.id)).scalar_one()
            row = s.execute(sa.select(t).where(t.c.id == row_id)).mappings().one()
            audit.append(s, actor_id=None, actor="system", action=f"registry_add_{entity}", entity=f"reg_{entity}",
                         entity_id=row_id, records=[audit.record_of(table, {k: audit.plain(v) for k, v in row.items()})])
            return row_id
        area = dict(created_at=now)
        district = write("reg_areas", "area", kind="district", name="西城区", parent_id=None, district="xicheng", **area)
        street = write("reg_areas", "area", kind="street", name="德胜街道", parent_id=district, district="xicheng", **area)
        community = write("reg_areas", "area", kind="community", name="新街口社区", parent_id=street, district="xicheng",
                          **area)
        people = [write("reg_persons", "person", id_number=person_number("110102"), name=name, community_id=community,
                        household_id=None, phone=None, hukou_district="xicheng", retirement_category=None,
                        created_at=now) for name in ("张三", "李四")]
        write("reg_statuses", "status", person_id=people[0], kind="unemployed", start_on=dt.date(2026, 1, 5),
              end_on=HIRE, details_json="{}", supersedes_id=None, recorded_by=None, recorded_at=now)
        write("reg_spells", "spell", person_id=people[0], kind="employee", employer="北京某科技有限公司", start_on=HIRE,
              end_on=None, contract=True, insured=False, supersedes_id=None, recorded_by=None, recorded_at=now)
    db.dispose()
    return {"hired": people[0], "other": people[1]}


def _measures(registry, person_id) -> set[str]:
    return {m["measure"] for m in registry.outreach(None, person_id, on="2026-06-10")["measures"]}


def test_a_registry_of_r001_is_upgraded_and_still_verifies(r001_url):
    """The persons of r001 hold no move (read as before: 本区户籍 throughout) and keep their logged
    digests — the upgrade rewrites no row, the chain verifies; a move recorded since is logged with
    the row; a value set in the new columns outside the registry is found."""
    people = _written_at_r001(r001_url)
    ledger = Ledger(r001_url)                     # migrates every head
    try:
        assert current_revision(ledger.db.engine) == "0005+r002+s001"
        report = ledger.verify()
        assert report.ok, report.problems
        registry = Registry(ledger=ledger)
        person = registry.person(None, people["hired"])
        assert person["hukou_moved_in_on"] is None and person["previous_hukou_district"] is None
        assert "xicheng/6/person" in _measures(registry, people["hired"])     # no move recorded: as before
        # the hukou, it is learned now, moved into 西城 after the hire: not 本区户籍 at the hire
        registry.update_person(None, people["hired"], on="2026-06-05", hukou_moved_in_on="2026-05-11",
                               previous_hukou_district="chaoyang")
        assert "xicheng/6/person" not in _measures(registry, people["hired"])
        assert ledger.verify().ok, ledger.verify().problems
        with ledger.db.engine.begin() as connection:          # outside the registry: found
            connection.execute(sa.text("UPDATE reg_persons SET previous_hukou_district = 'dongcheng' WHERE id = :i"),
                               {"i": people["other"]})
        problems = ledger.verify().problems
        assert [(p["table"], p["id"], p["problem"]) for p in problems] == [("reg_persons", people["other"], "row_changed")]
    finally:
        ledger.close()


def test_r002_goes_down_and_up_again(r001_url):
    from alembic import command
    people = _written_at_r001(r001_url)
    db = Database(r001_url)
    try:
        migrate(db.engine)
        config = alembic_config(db.engine)
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "r001")
        assert current_revision(db.engine) == "0005+r001+s001"
        assert "hukou_moved_in_on" not in {c["name"] for c in sa.inspect(db.engine).get_columns("reg_persons")}
        migrate(db.engine)
        assert current_revision(db.engine) == "0005+r002+s001"
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT id, hukou_district, hukou_moved_in_on FROM reg_persons ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(people["hired"], "xicheng", None), (people["other"], "xicheng", None)]
    finally:
        db.dispose()
