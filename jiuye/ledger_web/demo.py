"""``python -m jiuye.ledger_web.demo``: what ``make run`` runs before starting the server.

In demo mode (``JIUYE_DEMO=1``, ``make run``'s default) an empty ledger is seeded with the ledger's
demo data (``jiuye.ledger.demo.seed_demo``) and the demo accounts are printed; a ledger that already
has users is left as it is (its demo accounts, if any, are printed). Outside demo mode
(``make run DEMO=0``) nothing is written and it says that demo accounts are refused.
"""

from __future__ import annotations

import sys


def main() -> int:
    from ..ledger import Ledger
    from ..ledger.config import database_url, demo_mode
    from ..ledger.demo import DEMO_USERS, seed_demo
    from ..ledger.errors import LedgerError

    if not demo_mode():
        print("经办台账 /ledger：演示模式未开启，演示账号不可登录（make run DEMO=1 开启；"
              "用户由管理员在 /ledger/users 或 `jiuye ledger add-user` 创建）")
        return 0
    ledger = Ledger()
    try:
        if not ledger.counts().get("users"):
            try:
                seed_demo(ledger)
                print(f"经办台账：已写入演示数据（{database_url()}）")
            except LedgerError as error:
                print(f"经办台账：未写入演示数据：{error.message}", file=sys.stderr)
        names = set()
        for username, *_ in DEMO_USERS:
            try:
                if ledger.user_by_name(username).is_demo:
                    names.add(username)
            except LedgerError:
                pass
        if names:
            print("经办台账 /ledger 演示账号（仅演示模式 JIUYE_DEMO=1 下可登录）：")
            for username, role, display, password in DEMO_USERS:
                if username in names:
                    print(f"  用户名 {username:<8} 密码 {password:<18} {display}")
        else:
            print("经办台账：台账已有用户，没有演示账号")
    finally:
        ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
