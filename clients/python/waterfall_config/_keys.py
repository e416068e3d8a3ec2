"""Key paths as Waterfall writes them (config-api's Key and KeySyntax): segments joined by '.', each
bare (ASCII letters, digits, '_', '-') or quoted as TOML quotes keys: "cfg(unix)" with TOML's escapes,
or 'cfg(unix)' without. Every key has one written form: bare segments where they can be, the others
double-quoted, escaping '"', '\\' and control characters. Only keys of bare segments have an
environment variable. A first segment of '%' and a bare name is a profile's (%dev.server.port) and is
written bare, never quoted; "%dev".x reads as %dev.x (docs/references.md)."""

import re

from .errors import InvalidKeyError

MAX_LENGTH = 256
RULE = ("a key is one or more segments joined by '.' (e.g. plant.default_name); a segment is ASCII letters, digits, "
        "'_' or '-', or any other text in quotes as TOML writes keys (target.\"cfg(unix)\".dependencies), "
        f"at most {MAX_LENGTH} characters")
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '"', "\\": "\\", "b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r"}
_WRITTEN = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def is_bare(segment):
    return bool(_BARE.fullmatch(segment))


def segment_text(segment):
    """One segment as written: itself when bare, else in double quotes with TOML's escapes."""
    if is_bare(segment):
        return segment
    out = []
    for c in segment:
        if c in _WRITTEN:
            out.append(_WRITTEN[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def is_profile_segment(segment):
    """Whether ``segment``, first in a key, names a profile: '%' and a bare name (%dev)."""
    return len(segment) > 1 and segment[0] == "%" and is_bare(segment[1:])


def join(segments):
    """The written text of a key made of ``segments``."""
    return ".".join(s if i == 0 and is_profile_segment(s) else segment_text(s) for i, s in enumerate(segments))


def child(prefix, segment):
    """The written text of ``segment`` under the key text ``prefix`` ("" for the top level)."""
    if not prefix:
        return segment if is_profile_segment(segment) else segment_text(segment)
    return prefix + "." + segment_text(segment)


def _fail(text, problem):
    raise InvalidKeyError(f'invalid key "{text}": {problem}; {RULE}')


def segments(text):
    """The segments of a key's text (any spelling), or InvalidKeyError naming what is wrong."""
    if not isinstance(text, str) or not text:
        _fail(text, "the key is empty")
    out, i, n = [], 0, len(text)
    while True:
        if i == n:
            _fail(text, "it ends with '.'")
        c = text[i]
        if c in "\"'":
            start, i, seg, closed = i, i + 1, [], False
            while i < n:
                d = text[i]
                if d == c:
                    closed, i = True, i + 1
                    break
                if c == '"' and d == "\\":
                    e = text[i + 1] if i + 1 < n else ""
                    if e in _ESCAPES:
                        seg.append(_ESCAPES[e])
                        i += 2
                        continue
                    if e in ("u", "U"):
                        digits = 4 if e == "u" else 8
                        hexa = text[i + 2:i + 2 + digits]
                        if len(hexa) != digits or not re.fullmatch(r"[0-9A-Fa-f]+", hexa):
                            _fail(text, f"the escape at position {i + 1} needs {digits} hex digits")
                        code = int(hexa, 16)
                        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                            _fail(text, f"the escape at position {i + 1} is not a Unicode scalar value")
                        seg.append(chr(code))
                        i += 2 + digits
                        continue
                    _fail(text, f"the escape \\{e} at position {i + 1} is not one of TOML's")
                if (ord(d) < 0x20 and d != "\t") or ord(d) == 0x7F:
                    _fail(text, f"character U+{ord(d):04X} at position {i + 1} must be escaped inside quotes")
                seg.append(d)
                i += 1
            if not closed:
                _fail(text, f"the quote at position {start + 1} is not closed")
            raw = "".join(seg)
            if any(0xD800 <= ord(ch) <= 0xDFFF for ch in raw):
                _fail(text, "a segment holds a lone UTF-16 surrogate")
            out.append(raw)
            if i < n and text[i] != ".":
                _fail(text, f"character {text[i]!r} at position {i + 1} follows a quoted segment; put a '.' between segments")
        else:
            start = i
            if c == "%" and not out:  # a profile's first segment, %dev
                i += 1
                if i == n or text[i] == ".":
                    _fail(text, "'%' is not followed by a profile's name")
            while i < n and text[i] != ".":
                if not is_bare(text[i]):
                    _fail(text, f"character {text[i]!r} at position {i + 1} is not allowed; quote the segment (\"...\") to use it")
                i += 1
            if i == start:
                _fail(text, "it starts with '.'" if i == 0 else f"it has an empty segment at position {i + 1}")
            out.append(text[start:i])
        if i == n:
            return out
        i += 1


def written(text):
    """The written form of a key's text (any spelling), checked against the rule."""
    result = join(segments(text))
    if len(result) > MAX_LENGTH:
        _fail(text, f"it is {len(result)} characters long")
    return result
