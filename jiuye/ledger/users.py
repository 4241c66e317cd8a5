"""Users (who may act: 申请人, 经办, 审核, 管理员) and applicants (who applies or benefits: a person
by 居民身份证号, an organisation by 统一社会信用代码, checked by ``jiuye.ids``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import ids
from ..ids import mask_id
from .base import STAFF, LedgerBase, as_text, key_of
from .errors import Forbidden, InvalidInput, LedgerError, NotFound, Refused, Throttled
from .models import APPLICANT_KINDS, ROLES, Applicant, LoginThrottle, User

# login throttling: failures per account and per address within WINDOW lock it for LOCKOUT
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)


def checked_username(username, field: str = "username") -> str:
    try:
        return ids.normalise_username(username, field)
    except ids.InvalidIdNumber as error:
        raise InvalidInput(error.field, error.message) from None


def checked_password(password, username: str = "", display_name: str = "") -> str:
    problem = password_problem(password, username, display_name)
    if problem:
        raise InvalidInput("password", problem)
    return password
from .passwords import dummy_verify, hash_password, needs_rehash, password_problem, verify_password
from .views import ApplicantInfo, UserInfo, applicant_info, user_info


def checked_number(kind: str, number, field: str = "id_number", today: dt.date | None = None) -> str:
    """The normalised 身份证号 (``kind="person"``) or 统一社会信用代码, or InvalidInput naming ``field``."""
    if kind not in APPLICANT_KINDS:
        raise InvalidInput("kind", f"应为person（个人）或organisation（单位），而不是{kind!r}")
    try:
        return ids.validate(kind, number, field, today)
    except ids.InvalidIdNumber as error:
        raise InvalidInput(error.field, error.message) from None


class Users(LedgerBase):
    """Users and applicants."""

    def create_user(self, actor: int | None, username: str, role: str, *, password: str | None = None,
                    display_name: str | None = None, applicant_id: int | None = None,
                    is_demo: bool = False) -> UserInfo:
        """A user (admin only; ``actor=None``: the CLI operator). ``password=None``: cannot log in."""
        if not isinstance(username, str) or not username.strip():
            raise InvalidInput("username", "请填写用户名")
        username = checked_username(username)
        if role not in ROLES:
            raise InvalidInput("role", f"角色应为{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())} unknown role {role!r}")
        if display_name is not None:
            display_name = as_text(display_name, "display_name", required=False, limit=200) or None
        if password is not None and not is_demo:
            # demo accounts (published passwords, usable only with JIUYE_DEMO=1) are exempt
            checked_password(password, username, display_name or "")
        if role == "applicant" and applicant_id is None:
            raise InvalidInput("applicant_id", "申请人用户须关联申请人（个人或单位） an applicant user needs an applicant record")
        password_hash = hash_password(password) if password is not None else None
        with self._write() as s:
            who = self._actor(s, actor, ("admin",), system_ok=True)
            if applicant_id is not None:
                self._applicant(s, applicant_id)
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise Refused("duplicate", f"用户名{username}已存在", {"username": username})
            now = self.clock()
            user = User(username=username, display_name=display_name or username, role=role,
                        password_hash=password_hash, applicant_id=applicant_id, is_demo=is_demo, active=True,
                        created_at=now, created_by=who.id if who else None,
                        password_set_by=(who.id if who else None) if password_hash else None,
                        credentials_changed_at=now)
            s.add(user)
            s.flush()
            self._log(s, who, "create_user", "user", user.id, [user],
                      {"username": username, "role": role, "is_demo": is_demo})
            return user_info(user)

    def authenticate(self, username: str, password: str, *, demo: bool | None = None,
                     address: str | None = None) -> UserInfo | None:
        """The user when the password matches and the account is active (demo accounts only in demo
        mode), else None. Rehashes an outdated hash (an audited write).

        Throttled: ``ACCOUNT_FAILURES`` failures for a username (known or not) or ``ADDRESS_FAILURES``
        from one ``address`` within ``WINDOW`` lock it for ``LOCKOUT`` (``Throttled``, also for the
        right password). Every answer costs one argon2 verification, known user or not, locked or not
        (no timing difference tells which usernames exist)."""
        from .config import demo_mode
        demo = demo_mode() if demo is None else demo
        name = username.strip().lower() if isinstance(username, str) else ""
        password = password if isinstance(password, str) else ""
        keys = [f"user:{name[:64]}"] + ([f"addr:{address[:100]}"] if address else [])
        locked = self._locked(keys)
        with self.db.read() as s:
            user = s.scalar(select(User).where(User.username == name)) if ids.username_problem(name) is None else None
            if user is None or not user.password_hash:
                dummy_verify(password)
                ok = False
            else:
                ok = verify_password(user.password_hash, password)
            if locked:
                raise Throttled(f"登录失败次数过多，请{max(1, locked // 60)}分钟后再试", locked)
            ok = ok and user.active and not (user.is_demo and not demo)
            if ok:
                info = user_info(user)
                rehash = needs_rehash(user.password_hash)
        if not ok:
            self._failed_login(keys)
            return None
        self._clear_failures(keys[:1])
        if rehash:
            self._set_password_hash(info.id, hash_password(password), None, by=info.id, keep_sessions=True)
        return info

    def _locked(self, keys: list[str]) -> int:
        """Seconds until the longest lockout of ``keys`` ends (0: none)."""
        now = self.clock()
        with self.db.read() as s:
            rows = s.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys))).all()
        ends = [r.locked_until for r in rows if r.locked_until and r.locked_until > now]
        return int((max(ends) - now).total_seconds()) + 1 if ends else 0

    def _failed_login(self, keys: list[str]) -> None:
        now = self.clock()
        for attempt in range(3):
            try:
                with self.db.write() as s:
                    for key in keys:
                        row = s.get(LoginThrottle, key, with_for_update=True)
                        if row is None:
                            row = LoginThrottle(key=key, failures=0, window_start=now)
                            s.add(row)
                        if row.window_start < now - WINDOW:
                            row.failures, row.window_start = 0, now
                        row.failures += 1
                        limit = ACCOUNT_FAILURES if key.startswith("user:") else ADDRESS_FAILURES
                        if row.failures >= limit:
                            row.locked_until, row.failures, row.window_start = now + LOCKOUT, 0, now
                return
            except IntegrityError:
                continue                   # a concurrent first failure inserted the row: count again

    def _clear_failures(self, keys: list[str]) -> None:
        with self.db.write() as s:
            for row in s.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys))):
                if not row.locked_until:
                    s.delete(row)

    def set_password(self, actor: int | None, user_id: int, password: str) -> None:
        """Admins (or the CLI operator) set any password; a user sets their own. The password policy
        applies (``passwords.password_problem``). Every session and API token of the user opened
        before ends (``credentials_changed_at``; the page that changed one's own password opens a
        new session)."""
        with self.db.read() as s:
            target = s.get(User, key_of(user_id))
            if target is None:
                raise NotFound("user", user_id)
            checked_password(password, target.username, target.display_name)
        self._set_password_hash(user_id, hash_password(password), actor)

    def _set_password_hash(self, user_id: int, password_hash: str, actor: int | None, *, by: int | None = None,
                           keep_sessions: bool = False) -> None:
        with self._write() as s:
            who = self._actor(s, actor, None, system_ok=True)
            if who is not None and who.role != "admin" and who.id != user_id:
                raise Forbidden("只能修改本人的密码 only an admin sets another user's password")
            user = s.get(User, key_of(user_id))
            if user is None:
                raise NotFound("user", user_id)
            user.password_hash = password_hash
            if not keep_sessions:       # a rehash of the same password keeps the sessions
                user.password_set_by = who.id if who else by
                user.credentials_changed_at = self.clock()
            self._log(s, who, "set_password", "user", user.id, [user],
                      {"username": user.username, "rehash": keep_sessions})

    def set_active(self, actor: int | None, user_id: int, active: bool) -> UserInfo:
        with self._write() as s:
            who = self._actor(s, actor, ("admin",), system_ok=True)
            user = s.get(User, key_of(user_id))
            if user is None:
                raise NotFound("user", user_id)
            user.active = bool(active)
            if user.active:
                user.credentials_changed_at = self.clock()     # reactivated: earlier sessions stay ended
            self._log(s, who, "set_active", "user", user.id, [user], {"active": user.active})
            return user_info(user)

    def user(self, user_id: int) -> UserInfo:
        with self.db.read() as s:
            user = s.get(User, key_of(user_id))
            if user is None:
                raise NotFound("user", user_id)
            return user_info(user)

    def user_by_name(self, username: str) -> UserInfo:
        with self.db.read() as s:
            user = s.scalar(select(User).where(User.username == str(username).strip().lower()))
            if user is None:
                raise NotFound("user", username)
            return user_info(user)

    def list_users(self, actor: int | None) -> list[UserInfo]:
        with self.db.read() as s:
            self._actor(s, actor, ("admin",), system_ok=True)
            return [user_info(u) for u in s.scalars(select(User).order_by(User.id))]

    # -- applicants --------------------------------------------------------------------------------
    def register_applicant(self, actor: int | None, kind: str, id_number: str, name: str,
                           *, today: dt.date | None = None) -> ApplicantInfo:
        """A person (居民身份证号码) or organisation (统一社会信用代码), validated; the existing record
        when the number is known already (get-or-create, for imports)."""
        number = checked_number(kind, id_number, "id_number", today)
        name = as_text(name, "name", limit=200)
        try:
            return self._register(actor, kind, number, name)
        except IntegrityError:
            # registered concurrently (PostgreSQL; SQLite writers queue): the record that won
            return self._register(actor, kind, number, name)

    def register_applicants(self, actor: int | None, parties: list[tuple[str, str, str]]) -> list:
        """Many ``register_applicant`` (an import's batch) in one transaction: for each (kind, number,
        name), the record (existing or new) or the error refusing it (InvalidInput, Forbidden); the
        others go on."""
        checked: list = []
        for kind, number, name in parties:
            try:
                checked.append((checked_number(kind, number, "id_number"), as_text(name, "name", limit=200), kind))
            except LedgerError as error:
                checked.append(error)
        try:
            return self._register_many(actor, checked)
        except IntegrityError:
            return self._register_many(actor, checked)      # registered concurrently: found this time

    def _register_many(self, actor: int | None, checked: list) -> list:
        wanted = [c for c in checked if not isinstance(c, LedgerError)]
        with self._write() as s:
            who = self._actor(s, actor, STAFF + ("applicant",), system_ok=True)
            applicant_user = who is not None and who.role == "applicant"
            found: dict[tuple[str, str], Applicant] = {}
            for kind in {k for _, _, k in wanted}:
                numbers = sorted({n for n, _, k in wanted if k == kind})
                for start in range(0, len(numbers), 500):
                    for a in s.scalars(select(Applicant).where(Applicant.kind == kind,
                                                               Applicant.id_number.in_(numbers[start:start + 500]))):
                        found[(kind, a.id_number)] = a
            out: list = []
            for item in checked:
                if isinstance(item, LedgerError):
                    out.append(item)
                    continue
                number, name, kind = item
                if applicant_user and kind != "person":
                    out.append(Forbidden("申请人只能登记本单位的职工（个人）"))
                    continue
                existing = found.get((kind, number))
                if existing is None:
                    existing = found[(kind, number)] = Applicant(kind=kind, id_number=number, name=name,
                                                                 created_at=self.clock(),
                                                                 registered_by=who.id if who else None)
                    s.add(existing)
                    s.flush()
                    self._log(s, who, "register_applicant", "applicant", existing.id, [existing],
                              {"kind": kind, "id_number": mask_id(number) if kind == "person" else number})
                elif applicant_user and existing.registered_by != who.id and existing.id != who.applicant_id:
                    out.append(Forbidden("该证件号的人员记录不是由您登记的，不能在您的申请中引用；请联系经办机构代为办理"))
                    continue
                out.append(applicant_info(existing))
            return out

    def _register(self, actor: int | None, kind: str, number: str, name: str) -> ApplicantInfo:
        with self._write() as s:
            who = self._actor(s, actor, STAFF + ("applicant",), system_ok=True)
            applicant_user = who is not None and who.role == "applicant"
            if applicant_user and kind != "person":
                raise Forbidden("申请人只能登记本单位的职工（个人）")
            existing = s.scalar(select(Applicant).where(Applicant.kind == kind, Applicant.id_number == number))
            if existing is not None:
                if applicant_user and existing.registered_by != who.id and existing.id != who.applicant_id:
                    # no disclosure: an applicant never learns another record's name or number
                    raise Forbidden("该证件号的人员记录不是由您登记的，不能在您的申请中引用；请联系经办机构代为办理")
                return applicant_info(existing)
            applicant = Applicant(kind=kind, id_number=number, name=name, created_at=self.clock(),
                                  registered_by=who.id if who else None)
            s.add(applicant)
            s.flush()
            self._log(s, who, "register_applicant", "applicant", applicant.id, [applicant],
                      {"kind": kind, "id_number": mask_id(number) if kind == "person" else number})
            return applicant_info(applicant)

    def applicant_for(self, actor: int | None, kind: str, id_number: str, name: str | None = None, *,
                      fields: tuple[str, str] = ("id_number", "name")) -> ApplicantInfo:
        """The applicant with this 身份证号 / 统一社会信用代码; registered with ``name`` when new (a form
        or an API body naming an applicant by number). InvalidInput names ``fields`` (number, name)."""
        number_field, name_field = fields
        if not (id_number or "").strip():
            raise InvalidInput(number_field, f"请填写{ids.number_label(kind)}")
        number = checked_number(kind, id_number, number_field)
        if self.user(actor).role == "applicant":
            if not (name or "").strip():
                raise InvalidInput(name_field, "请填写姓名")
            return self.register_applicant(actor, kind, number, as_text(name, name_field, limit=200))
        found = self.find_applicant(actor, kind, number)
        if found is not None:
            return found
        if not (name or "").strip():
            raise InvalidInput(name_field, "新申请人：请填写姓名或单位名称")
        return self.register_applicant(actor, kind, number, as_text(name, name_field, limit=200))

    def find_applicant(self, actor: int | None, kind: str, id_number: str) -> ApplicantInfo | None:
        with self.db.read() as s:
            self._actor(s, actor, STAFF, system_ok=True)
            found = s.scalar(select(Applicant).where(Applicant.kind == kind,
                                                     Applicant.id_number == id_number.strip().upper()))
            return applicant_info(found) if found else None

    def applicant(self, actor: int | None, applicant_id: int) -> ApplicantInfo:
        with self.db.read() as s:
            who = self._actor(s, actor, None, system_ok=True)
            if who is not None and who.role == "applicant" and who.applicant_id != applicant_id:
                raise Forbidden("申请人只能查看本人信息")
            return applicant_info(self._applicant(s, applicant_id))

    def reveal_id_number(self, actor: int, applicant_id: int) -> str:
        """The full ID number, for staff; each reveal of a person's number is logged."""
        with self._write() as s:
            who = self._actor(s, actor, STAFF)
            applicant = self._applicant(s, applicant_id)
            if applicant.kind == "person":
                self._log(s, who, "reveal_id_number", "applicant", applicant.id, [],
                          {"id_number": mask_id(applicant.id_number)})
            return applicant.id_number
