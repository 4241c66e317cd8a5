"""Users (who may act: 申请人, 经办, 审核, 管理员) and applicants (who applies or benefits: a person
by 居民身份证号, an organisation by 统一社会信用代码, checked by ``jiuye.ids``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import ids
from ..ids import mask_id
from .base import STAFF, LedgerBase, as_text
from .errors import Forbidden, InvalidInput, NotFound, Refused
from .models import APPLICANT_KINDS, ROLES, Applicant, User
from .passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
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
        username = as_text(username, "username", limit=64)
        if role not in ROLES:
            raise InvalidInput("role", f"角色应为{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())} unknown role {role!r}")
        if password is not None and len(password) < MIN_LENGTH:
            raise InvalidInput("password", f"密码至少{MIN_LENGTH}位 at least {MIN_LENGTH} characters")
        if role == "applicant" and applicant_id is None:
            raise InvalidInput("applicant_id", "申请人用户须关联申请人（个人或单位） an applicant user needs an applicant record")
        password_hash = hash_password(password) if password is not None else None
        with self._write() as s:
            who = self._actor(s, actor, ("admin",), system_ok=True)
            if applicant_id is not None:
                self._applicant(s, applicant_id)
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise Refused("duplicate", f"用户名{username}已存在", {"username": username})
            user = User(username=username, display_name=display_name or username, role=role,
                        password_hash=password_hash, applicant_id=applicant_id, is_demo=is_demo, active=True,
                        created_at=self.clock())
            s.add(user)
            s.flush()
            self._log(s, who, "create_user", "user", user.id, [user],
                      {"username": username, "role": role, "is_demo": is_demo})
            return user_info(user)

    def authenticate(self, username: str, password: str, *, demo: bool | None = None) -> UserInfo | None:
        """The user when the password matches and the account is active (demo accounts only in demo
        mode), else None. Rehashes an outdated hash (an audited write)."""
        from .config import demo_mode
        demo = demo_mode() if demo is None else demo
        with self.db.read() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None or not user.active or not verify_password(user.password_hash, password):
                return None
            if user.is_demo and not demo:
                return None
            info = user_info(user)
            rehash = needs_rehash(user.password_hash)
        if rehash:
            self._set_password_hash(info.id, hash_password(password), None)
        return info

    def set_password(self, actor: int | None, user_id: int, password: str) -> None:
        """Admins (or the CLI operator) set any password; a user sets their own."""
        if len(password or "") < MIN_LENGTH:
            raise InvalidInput("password", f"密码至少{MIN_LENGTH}位 at least {MIN_LENGTH} characters")
        self._set_password_hash(user_id, hash_password(password), actor)

    def _set_password_hash(self, user_id: int, password_hash: str, actor: int | None) -> None:
        with self._write() as s:
            who = self._actor(s, actor, None, system_ok=True)
            if who is not None and who.role != "admin" and who.id != user_id:
                raise Forbidden("只能修改本人的密码 only an admin sets another user's password")
            user = s.get(User, user_id)
            if user is None:
                raise NotFound("user", user_id)
            user.password_hash = password_hash
            self._log(s, who, "set_password", "user", user.id, [user], {"username": user.username})

    def set_active(self, actor: int | None, user_id: int, active: bool) -> UserInfo:
        with self._write() as s:
            who = self._actor(s, actor, ("admin",), system_ok=True)
            user = s.get(User, user_id)
            if user is None:
                raise NotFound("user", user_id)
            user.active = bool(active)
            self._log(s, who, "set_active", "user", user.id, [user], {"active": user.active})
            return user_info(user)

    def user(self, user_id: int) -> UserInfo:
        with self.db.read() as s:
            user = s.get(User, user_id)
            if user is None:
                raise NotFound("user", user_id)
            return user_info(user)

    def user_by_name(self, username: str) -> UserInfo:
        with self.db.read() as s:
            user = s.scalar(select(User).where(User.username == username))
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

    def _register(self, actor: int | None, kind: str, number: str, name: str) -> ApplicantInfo:
        with self._write() as s:
            who = self._actor(s, actor, STAFF, system_ok=True)
            existing = s.scalar(select(Applicant).where(Applicant.kind == kind, Applicant.id_number == number))
            if existing is not None:
                return applicant_info(existing)
            applicant = Applicant(kind=kind, id_number=number, name=name, created_at=self.clock())
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
