"""Keys, values and actors as Waterfall's Java library defines them (config-api): the same key rule,
the same environment-variable names, the same value fingerprints and the same secret-name rule."""

import datetime
import decimal
import getpass
import hashlib
import os
import re
import socket

from . import _json
from . import _keys
from .errors import InvalidKeyError, InvalidValueError

MAX_KEY_LENGTH = 256
KEY_RULE = _keys.RULE
_KEY = re.compile(r"%?[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")  # %dev.x: a profile's key (docs/references.md)
_APP = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_REFERENCE = re.compile(r"\$\{secret:([A-Za-z0-9._-]+)\}")


def check_key(key):
    """Returns ``key`` as Waterfall writes it (``target.'cfg(unix)'`` becomes ``target."cfg(unix)"``) if it
    follows the rule, else raises :class:`InvalidKeyError` naming it."""
    if isinstance(key, str) and len(key) <= MAX_KEY_LENGTH and _KEY.fullmatch(key):
        return key
    return _keys.written(key)


def check_app(app):
    if not isinstance(app, str) or not _APP.fullmatch(app):
        raise InvalidValueError(f'invalid application name "{app}": use letters, digits, \'.\', \'_\' or \'-\', '
                                "starting with a letter or digit")
    return app


def normalize_env(text):
    """Upper-cased, every character that is not an ASCII letter or digit turned into '_' (EnvNames)."""
    return "".join(c if ("a" <= c <= "z" or "A" <= c <= "Z" or "0" <= c <= "9") else "_" for c in text).upper()


def env_name(prefix, key):
    """The variable of ``key``; None for a key with a quoted segment, which has none (EnvNames)."""
    return prefix + "_" + normalize_env(key) if '"' not in key else None


def type_label(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, float, decimal.Decimal)):
        return "number"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "table"
    raise InvalidValueError(f"a {type(value).__name__} cannot be stored: use str, int, float, Number, bool, None, list or dict")


def canonical(value):
    """The compact JSON text Java keeps for a value (histories, SQL columns)."""
    return _json.dumps(value)


def value_hash(value):
    """Java's Hashes.valueHash: the first 8 bytes of SHA-256 over ``<type label>:<ASCII-only JSON>``."""
    digest = hashlib.sha256((type_label(value) + ":" + _json.dumps(value, ascii_only=True)).encode("ascii"))
    return digest.hexdigest()[:16]


def same_value(a, b):
    """Equality as Java's values define it: exact literals, types distinct (1 is not 1.0, True is not 1)."""
    return type_label(a) == type_label(b) and _json.dumps(a) == _json.dumps(b)


def check_value(value, depth=0):
    """Raises :class:`InvalidValueError` for what JSON cannot hold (NaN, infinities, other types)."""
    if depth > 1000:
        raise InvalidValueError("value nested deeper than 1000 levels")
    type_label(value)
    if isinstance(value, (list, tuple)):
        for item in value:
            check_value(item, depth + 1)
    elif isinstance(value, dict):
        for name, item in value.items():
            if not isinstance(name, str):
                raise InvalidValueError(f"table member names must be strings, not {name!r}")
            check_value(item, depth + 1)
    elif isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
        try:
            _json.literal_of(value)
        except ValueError as e:
            raise InvalidValueError(f"{value!r}: {e}") from None


def parse_literal(text):
    """A value given as text (``set`` and environment variables): JSON if the text is one JSON value,
    otherwise the text itself as a string (JsonValues.parseLiteral)."""
    trimmed = text.strip()
    if not trimmed:
        return text
    first = trimmed[0]
    looks_like_json = first in '"[{-' or "0" <= first <= "9" or trimmed in ("true", "false", "null")
    if not looks_like_json:
        return text
    try:
        return _json.parse(trimmed)
    except _json.JsonError as e:
        if first in '"[{':
            raise InvalidValueError(f'"{text}" starts like JSON but is not valid JSON ({e}); fix it, or pass it as a plain string') from None
        return text


_SECRET_WORDS = {"password", "passwd", "passphrase", "secret", "token", "apikey", "credential", "credentials"}
_BEFORE_KEY = {"api", "private", "access", "secret", "signing", "encryption"}


def _words(name):
    words, current = [], ""
    for i, c in enumerate(name):
        if c in "_-":
            if current:
                words.append(current)
            current = ""
            continue
        if c.isupper() and current and (current[-1].islower() or current[-1].isdigit()):
            words.append(current)
            current = ""
        current += c
    if current:
        words.append(current)
    return [w.lower() for w in words]


def looks_secret(key):
    """SecretPolicy.looksSecret: the last segment's last word is password, token, secret... or api-key."""
    words = _words(_keys.segments(key)[-1])
    if not words:
        return False
    if words[-1] in _SECRET_WORDS:
        return True
    return words[-1] == "key" and len(words) >= 2 and words[-2] in _BEFORE_KEY


def secret_reference(value):
    """The NAME of a value that is exactly ``${secret:NAME}``, else None."""
    if isinstance(value, str):
        match = _REFERENCE.fullmatch(value)
        if match:
            return match.group(1)
    return None


def now():
    """The current time as Java's Instant.toString() writes it (UTC, milliseconds, 'Z')."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def identity(environ, surface):
    """Who writes: the surface, user, host and pid, read as Java's ProcessIdentity reads them."""
    def first(*names):
        for name in names:
            value = environ.get(name)
            if value is not None and value.strip():
                return value.strip()
        return None
    user = first("USER", "USERNAME", "LOGNAME")
    if user is None:
        try:
            user = getpass.getuser()
        except Exception:  # no user name in the environment or the password database
            user = "unknown"
    host = first("HOSTNAME", "COMPUTERNAME")
    if host is None:
        try:
            with open("/etc/hostname", encoding="utf-8") as f:
                host = f.read().strip() or "localhost"
        except OSError:
            host = socket.gethostname() or "localhost"
    return {"surface": surface, "user": user, "host": host, "pid": os.getpid()}
