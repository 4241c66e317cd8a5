"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile) and the
password policy: at least ``MIN_LENGTH`` characters, not guessable by zxcvbn (score ≥ ``MIN_SCORE``:
its lists of common and breached passwords, words, names, keyboard patterns, repeats and dates),
not built on the username or display name."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MIN_SCORE = 3            # zxcvbn: 3 "safely unguessable: moderate protection from offline slow-hash attack"
DUMMY = None             # a hash to verify against when the user is unknown (the same time either way)


def password_problem(password, username: str = "", display_name: str = "") -> str | None:
    """Why ``password`` may not be used, in Chinese, or None."""
    if not isinstance(password, str) or not password.strip():
        return "请填写密码"
    if len(password) < MIN_LENGTH:
        return f"密码至少{MIN_LENGTH}位"
    if len(password) > 256:
        return "密码最多256位"
    lowered = password.lower()
    for given in (username, display_name):
        if given and len(given) >= 2 and given.lower() in lowered:
            return "密码不能包含用户名或姓名"
    from zxcvbn import zxcvbn
    result = zxcvbn(password[:100], user_inputs=[x for x in (username, display_name) if x])
    if result["score"] < MIN_SCORE:
        return "密码太容易被猜中（常见密码、单词、键盘序列、重复或日期）：请用更长、不常见的组合"
    return None


def dummy_verify(password: str) -> None:
    """Spend the time of one verification (unknown user, locked account): answers take the same time."""
    global DUMMY
    if DUMMY is None:
        DUMMY = hasher().hash("jiuye-no-such-user")
    verify_password(DUMMY, password or "")


@functools.cache
def hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    try:
        return hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    try:
        return hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True
