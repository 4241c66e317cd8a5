"""Credentials of the web side of the ledger: login sessions and API bearer tokens.

Two tables beside the ledger's own, in the same database (``JIUYE_DATABASE_URL``), in their own
SQLAlchemy metadata (the ledger's Alembic migrations and backups do not cover them; they are
created here with ``CREATE TABLE IF NOT EXISTS`` when the web app first opens the ledger):

* ``web_sessions`` — one row per login. The browser holds only a random session id inside a signed
  cookie; the table holds its SHA-256, the user, the expiry and whether it was ended (logout): a
  copied cookie stops working at logout, at expiry, or when the user is deactivated.
* ``web_api_tokens`` — bearer tokens for ``/api/v1/ledger``: shown once when created, stored only as
  their SHA-256 (a token is 256 random bits, so a fast hash suffices: nothing to brute-force), with
  a short prefix to recognise it in the list, revocable by their owner.

Each row also keeps the username: user ids are reused after a ``restore --replace``, usernames are
unique and never change, so a stale row cannot open another person's account.
Creating and revoking a token is appended to the ledger's hash-chained audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import DateTime, Integer, MetaData, String, delete, select, update
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..ledger import audit
from ..ledger.errors import InvalidInput, NotFound

SESSION_HOURS = 8

# -- response headers and cookies (every response of the app: pages, API, docs, static files) ------------
# Content-Security-Policy: everything from this origin only; no plugins, no framing, forms post here.
# Inline style attributes are allowed (layout only); inline scripts are not, but for the print buttons'
# handler "window.print()" (by hash). /docs and /redoc (Swagger UI, ReDoc: bundled, no CDN) start with
# an inline script, so they get 'unsafe-inline' for scripts and nothing else more.
PRINT_HANDLER = "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='"     # sha256 of window.print()
CSP = ("default-src 'self'; script-src 'self' 'unsafe-hashes' " + PRINT_HANDLER + "; style-src 'self' "
       "'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
CSP_DOCS = CSP.replace("script-src 'self' 'unsafe-hashes' " + PRINT_HANDLER, "script-src 'self' 'unsafe-inline'")
DOCS_PATHS = ("/docs", "/redoc")
HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
# The staff's pages and APIs (claims, the registry of persons, supervision) show personal data: no
# copy of them is kept by the browser or a proxy.
STAFF_PATHS = ("/ledger", "/api/v1/ledger", "/registry", "/api/v1/registry", "/supervision", "/api/v1/supervision")


def security_headers(path: str) -> dict[str, str]:
    """The headers every response gets where it does not set them itself (`app.SecurityHeaders`)."""
    headers = dict(HEADERS, **{"Content-Security-Policy": CSP_DOCS if path.startswith(DOCS_PATHS) else CSP})
    if path.startswith(STAFF_PATHS):
        headers["Cache-Control"] = "no-store"
    return headers


def secure_cookies() -> bool:
    """Session cookies carry ``Secure`` (sent over HTTPS only) unless ``JIUYE_INSECURE_COOKIES=1``
    (local http, e.g. ``make run`` on 127.0.0.1)."""
    return os.environ.get("JIUYE_INSECURE_COOKIES", "").strip() not in ("1", "true", "yes")
TOKEN_PREFIX = "jy_"
TOKEN_PATTERN = re.compile(r"jy_[A-Za-z0-9_-]{43}")   # "jy_" + token_urlsafe(32)


class WebBase(DeclarativeBase):
    metadata = MetaData(naming_convention={"ix": "ix_%(table_name)s_%(column_0_N_name)s",
                                           "uq": "uq_%(table_name)s_%(column_0_N_name)s",
                                           "pk": "pk_%(table_name)s"})


class WebSession(WebBase):
    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ApiToken(WebBase):
    __tablename__ = "web_api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_tables(engine) -> None:
    """Create the two tables when missing (several workers may race: the loser's error is ignored)."""
    try:
        WebBase.metadata.create_all(engine, checkfirst=True)
    except (OperationalError, ProgrammingError):
        WebBase.metadata.create_all(engine, checkfirst=True)


class CredentialStore:
    def __init__(self, ledger) -> None:
        self.ledger = ledger
        self.db = ledger.db
        create_tables(self.db.engine)

    # -- sessions ------------------------------------------------------------------------------
    def open_session(self, user_id: int, username: str, *, hours: int = SESSION_HOURS) -> str:
        """A new session id (random, 256 bits) for the cookie; the table keeps its hash."""
        sid = secrets.token_urlsafe(32)
        now = audit.utcnow()
        with self.db.write() as s:
            # sessions over for a day are of no use any more: dropped as new ones open
            s.execute(delete(WebSession).where(WebSession.expires_at < now - dt.timedelta(days=1)))
            s.add(WebSession(id_hash=digest(sid), user_id=user_id, username=username, created_at=now,
                             expires_at=now + dt.timedelta(hours=hours)))
        return sid

    def session_user(self, sid: str) -> tuple[int, str, dt.datetime] | None:
        """(user id, username, opened at) of a live session, else None."""
        if not isinstance(sid, str) or not sid:
            return None
        with self.db.read() as s:
            row = s.get(WebSession, digest(sid))
            if row is None or row.ended_at is not None or row.expires_at <= audit.utcnow():
                return None
            return row.user_id, row.username, row.created_at

    def end_session(self, sid: str) -> None:
        if not isinstance(sid, str) or not sid:
            return
        with self.db.write() as s:
            s.execute(update(WebSession).where(WebSession.id_hash == digest(sid), WebSession.ended_at.is_(None))
                      .values(ended_at=audit.utcnow()))

    # -- API tokens ---------------------------------------------------------------------------------
    def create_token(self, user, name: str) -> tuple[str, TokenInfo]:
        """(the token, shown once; its record). ``user``: the ledger's UserInfo of the owner."""
        name = (name or "").strip()
        if not name:
            raise InvalidInput("name", "请填写令牌名称（用途） required")
        if len(name) > 100:
            raise InvalidInput("name", "令牌名称最多100字 at most 100 characters")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.db.write() as s:
            row = ApiToken(user_id=user.id, username=user.username, name=name, token_hash=digest(token),
                           prefix=token[:10], created_at=audit.utcnow())
            s.add(row)
            s.flush()
            audit.append(s, actor_id=user.id, actor=user.username, action="create_api_token", entity="api_token",
                         entity_id=row.id, summary={"name": name, "prefix": row.prefix})
            return token, _token_info(row)

    def revoke_token(self, user, token_id: int) -> TokenInfo:
        """Revoke one of the user's own tokens (an admin may revoke anyone's)."""
        with self.db.write() as s:
            row = s.get(ApiToken, token_id)
            if row is None or (row.user_id != user.id and user.role != "admin"):
                raise NotFound("api_token", token_id)
            if row.revoked_at is None:
                row.revoked_at = audit.utcnow()
                audit.append(s, actor_id=user.id, actor=user.username, action="revoke_api_token",
                             entity="api_token", entity_id=row.id, summary={"name": row.name, "prefix": row.prefix,
                                                                             "owner": row.username})
            return _token_info(row)

    def tokens(self, user_id: int) -> list[TokenInfo]:
        with self.db.read() as s:
            rows = s.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc()))
            return [_token_info(r) for r in rows]

    def token_user(self, token: str) -> tuple[int, str, dt.datetime] | None:
        """(user id, username, created at) of a live token, else None. Malformed tokens never reach the
        database."""
        if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
            return None
        with self.db.read() as s:
            row = s.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
            if row is None or row.revoked_at is not None:
                return None
            return row.user_id, row.username, row.created_at

    def end_all(self, user, *, keep_sid: str | None = None) -> int:
        """A password change: end every session of the user (but ``keep_sid``) and revoke every token
        (audited). Returns how many tokens were revoked. (Credentials older than the user's
        ``credentials_changed_at`` are refused anyway: this also tidies the lists.)"""
        now = audit.utcnow()
        with self.db.write() as s:
            query = update(WebSession).where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
            if keep_sid:
                query = query.where(WebSession.id_hash != digest(keep_sid))
            s.execute(query.values(ended_at=now))
            rows = list(s.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))))
            for row in rows:
                row.revoked_at = now
            if rows:
                audit.append(s, actor_id=user.id, actor=user.username, action="revoke_api_token",
                             entity="api_token", entity_id=",".join(str(r.id) for r in rows)[:40],
                             summary={"reason": "password_changed", "count": len(rows)})
            return len(rows)


def _token_info(row: ApiToken) -> TokenInfo:
    return TokenInfo(id=row.id, name=row.name, prefix=row.prefix, created_at=row.created_at, revoked_at=row.revoked_at)
