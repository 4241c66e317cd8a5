"""What the claims ledger (jiuye/ledger) already holds, for `jiuye match --ledger`: outreach skips
the cases that have a claim.

The interface is one function, `claimed(url)`: the set of (measure id, beneficiary's id number,
person's id number or None) of every application that is not rejected — submitted (待审核) or
approved (已批准). A rejected claim does not stop outreach: the facts may have changed since.
Id numbers are the ledger applicants' 身份证号 / 统一社会信用代码, the ids of a roster.

Read-only: the database is opened, never created or migrated (a missing SQLite file is an error).
"""

from __future__ import annotations


class ClaimsError(ValueError):
    pass


def claimed(url: str) -> set[tuple[str, str, str | None]]:
    from sqlalchemy import create_engine, select
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import aliased

    from ..ledger.config import database_url
    from ..ledger.models import Applicant, Application
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        from pathlib import Path
        database = parsed.database
        if not database or database == ":memory:" or not Path(database).exists():
            raise ClaimsError(f"--ledger: no ledger database at {database!r}")
    engine = create_engine(url)
    beneficiary, person = aliased(Applicant), aliased(Applicant)
    query = (select(Application.measure_id, beneficiary.id_number, person.id_number)
             .join(beneficiary, Application.beneficiary_id == beneficiary.id)
             .outerjoin(person, Application.person_id == person.id)
             .where(Application.status != "rejected"))
    try:
        with engine.connect() as connection:
            rows = connection.execute(query).all()
    except SQLAlchemyError as error:
        raise ClaimsError(f"--ledger: not a jiuye ledger database ({type(error).__name__}: "
                          f"{str(error).splitlines()[0]})") from None
    finally:
        engine.dispose()
    return {(m, str(b).upper(), str(p).upper() if p else None) for m, b, p in rows}
