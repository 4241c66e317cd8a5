"""Registry fixtures: every test taking ``registry`` runs on SQLite and on PostgreSQL (the ledger's
database fixtures, imported from tests/ledger/conftest.py; PostgreSQL through `.ci/with-postgres`,
else skipped). Each test starts from an empty registry; ``world`` gives it areas and users."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from jiuye.ids import make_id_number
from jiuye.ledger import Ledger
from jiuye.ledger.db import Database
from jiuye.registry import Registry
from jiuye.registry.models import Base as RegistryBase
from tests.ledger.conftest import db_url, pg_server_url, pg_url, sqlite_template  # noqa: F401  (fixtures)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def wipe_registry(url: str) -> None:
    db = Database(url)
    with db.engine.begin() as connection:
        for table in reversed(RegistryBase.metadata.sorted_tables):
            connection.execute(table.delete())
    db.dispose()


@pytest.fixture
def ledger(db_url):  # noqa: F811
    wipe_registry(db_url)
    instance = Ledger(db_url, pool_size=20)
    yield instance
    instance.close()


@pytest.fixture
def registry(ledger):
    return Registry(ledger=ledger)


@dataclass
class World:
    admin: int
    xc: int            # 专员 of 西城 德胜街道 新街口社区
    xc2: int           # 专员 of another 西城 community
    hp: int            # 专员 of 和平 荣业社区
    hd: int            # 专员 of 海淀 中关村社区
    street_sup: int    # supervisor of 德胜街道
    district_sup: int  # supervisor of 西城区
    agency: int        # HR agency user
    xicheng: int
    desheng: int
    xinjiekou: int
    other: int         # another community of 德胜街道
    heping: int
    rongye: int
    haidian: int
    zgc: int


@pytest.fixture
def world(ledger, registry) -> World:
    admin = ledger.create_user(None, "admin", "admin").id
    users = {name: ledger.create_user(admin, name, "case_worker").id
             for name in ("xc", "xc2", "hp", "hd", "street_sup", "district_sup", "agency")}
    xicheng = registry.add_area(None, "district", "西城区", district="xicheng")["id"]
    desheng = registry.add_area(None, "street", "德胜街道", parent_id=xicheng)["id"]
    xinjiekou = registry.add_area(None, "community", "新街口社区", parent_id=desheng)["id"]
    other = registry.add_area(None, "community", "六铺炕社区", parent_id=desheng)["id"]
    heping = registry.add_area(None, "district", "和平区", district="heping")["id"]
    nanshi = registry.add_area(None, "street", "南市街道", parent_id=heping)["id"]
    rongye = registry.add_area(None, "community", "荣业社区", parent_id=nanshi)["id"]
    haidian = registry.add_area(None, "district", "海淀区", district="haidian")["id"]
    zgc_street = registry.add_area(None, "street", "中关村街道", parent_id=haidian)["id"]
    zgc = registry.add_area(None, "community", "中关村社区", parent_id=zgc_street)["id"]
    registry.assign_role(None, users["xc"], "specialist", area_id=xinjiekou)
    registry.assign_role(None, users["xc2"], "specialist", area_id=other)
    registry.assign_role(None, users["hp"], "specialist", area_id=rongye)
    registry.assign_role(None, users["hd"], "specialist", area_id=zgc)
    registry.assign_role(None, users["street_sup"], "supervisor", area_id=desheng)
    registry.assign_role(None, users["district_sup"], "supervisor", area_id=xicheng)
    registry.assign_role(None, users["agency"], "hr_agency", agency="北京某人力资源服务有限公司")
    return World(admin=admin, xicheng=xicheng, desheng=desheng, xinjiekou=xinjiekou, other=other, heping=heping,
                 rongye=rongye, haidian=haidian, zgc=zgc, **users)


_SEQ = iter(range(100, 999))


def person_number(region: str = "110102", birth: dt.date = dt.date(1990, 1, 1), sex: str = "m") -> str:
    """A valid 身份证号 (odd sequence: male; even: female)."""
    n = next(_SEQ)
    if (n % 2 == 1) != (sex == "m"):
        n = next(_SEQ)
    return make_id_number(region, birth, n)


def lines_of(registry, actor, on, person_id=None, duty=None, community_id=None):
    lines = registry.due(actor, on=on, community_id=community_id)
    return [x for x in lines if (person_id is None or x["person_id"] == person_id)
            and (duty is None or x["duty"] == duty)]
