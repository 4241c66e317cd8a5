"""Helper of test_sigkill: submits N applications, one transaction each, printing

    inside <id>      when the application row is inserted (the transaction is open: installments and
                     the audit entry are not written yet), then sleeping a moment (from the
                     SLOW_AFTER-th application on, long enough to be killed there for certain);
    committed <id>   after each commit.

    python tests/ledger/bulk_insert.py URL N ACTOR COMPANY PERSON SITUATION.json SLOW_AFTER
"""

import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event  # noqa: E402

from jiuye.ledger import Ledger  # noqa: E402
from jiuye.ledger.models import Application  # noqa: E402


def main() -> None:
    url, n, actor, company, person, situation, slow_after = sys.argv[1:8]
    done = []
    facts = json.loads(Path(situation).read_text(encoding="utf-8"))
    ledger = Ledger(url, migrate_schema=False)

    @event.listens_for(Application, "after_insert")
    def inside(mapper, connection, target):
        print(f"inside {target.id}", flush=True)
        time.sleep(30 if len(done) >= int(slow_after) else 0.01)

    print("ready", flush=True)
    for i in range(int(n)):
        # one claim per contract (one entitlement, one claim): each its own contract start date
        facts["persons"][next(iter(facts["persons"]))]["contract_start_date"] = (dt.date(2022, 1, 1) + dt.timedelta(days=i)).isoformat()
        app = ledger.submit(int(actor), measure_id="xicheng/6/employer", beneficiary_id=int(company),
                            person_id=int(person), situation=facts, on="2024-03-20")
        done.append(app.id)
        print(f"committed {app.id}", flush=True)


if __name__ == "__main__":
    main()
