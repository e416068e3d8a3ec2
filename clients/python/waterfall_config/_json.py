"""Strict JSON (RFC 8259) as Waterfall reads and writes it.

Numbers keep their exact literal (``1.50`` stays ``1.50``, ``6.02e23`` stays ``6.02e23``), because a
Java reader fingerprints every value by its literal: rewriting another program's ``1.0`` as ``1``
would show as a change nobody made. Integers become ``int`` (exact at any size); every other number
becomes :class:`Number`, a ``decimal.Decimal`` that remembers how it was written.

A document that breaks the grammar raises :class:`JsonError` with the line and column Java's reader
(Jackson) reports for it, so every language names the same place in a broken file.
"""

import decimal
import json as _stdlib_json
import re

from . import _keys

__all__ = ["Number", "JsonError", "parse", "dumps", "literal_of"]


class Number(decimal.Decimal):
    """An exact number that is not a plain integer, keeping the literal it was written as."""

    def __new__(cls, literal):
        literal = str(literal)
        if literal not in ("inf", "-inf", "nan") and not _NUMBER_FULL.fullmatch(literal):
            raise ValueError(f'"{literal}" is not a number; write it as JSON does, e.g. 42, -1.5 or 6.02e23')
        value = decimal.Decimal.__new__(cls, {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}.get(literal, literal))
        value.literal = literal
        return value

    def __repr__(self):
        return f"Number({self.literal!r})"

    def __str__(self):
        return self.literal

    def __eq__(self, other):
        if isinstance(other, Number):
            return self.literal == other.literal
        return decimal.Decimal.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return decimal.Decimal.__hash__(self)


_NUMBER_FULL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_WS = re.compile(r"[ \t\n\r]*")
_STRING_CHUNK = re.compile(r'[^"\\\x00-\x1f]*')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
MAX_DEPTH = 1000


class JsonError(ValueError):
    """A document that is not valid JSON: what is wrong, and where (1-based line and column)."""

    def __init__(self, message, line, column):
        super().__init__(f"{message} (line {line}, column {column})")
        self.reason = message
        self.line = line
        self.column = column


def number_of(literal):
    """The Python value for a JSON number literal: ``int`` for a plain integer, else :class:`Number`."""
    if _INTEGER.fullmatch(literal) and literal != "-0" and len(literal) < 4000:
        return int(literal)
    return Number(literal)


_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


class _Parser:
    """A recursive-descent parser over the decoded text. Every error names the place Jackson (the Java
    side's parser) names for it: the offending character for most mistakes, the start of an
    unrecognised word, the end of the input when it stops short."""

    def __init__(self, text, keys):
        self.text = text
        self.pos = 0
        self.keys = keys

    def where(self, pos):
        """1-based line and column of the character at ``pos``, columns in UTF-16 units as in Java."""
        text = self.text
        line = text.count("\n", 0, pos) + 1
        start = text.rfind("\n", 0, pos) + 1
        segment = text[start:pos]
        column = len(segment) + sum(1 for c in segment if ord(c) > 0xFFFF) + 1
        return line, column

    def fail(self, message, pos):
        line, column = self.where(pos)
        raise JsonError(message, line, column)

    def skip(self):
        self.pos = _WS.match(self.text, self.pos).end()

    def eof(self, what):
        self.fail(f"unexpected end of input {what} (the file is truncated or a bracket is missing)", len(self.text))

    def value(self, depth, lines, path):
        self.skip()
        text = self.text
        if self.pos >= len(text):
            self.eof("where a value should be")
        c = text[self.pos]
        if c == "{":
            return self.obj(depth + 1, lines, path)
        if c == "[":
            return self.array(depth + 1)
        if c == '"':
            return self.string()
        if c == "-" or "0" <= c <= "9":
            return self.number()
        for word, result in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, self.pos):
                end = self.pos + len(word)
                if end < len(text) and (text[end].isalnum() or text[end] in "_$"):
                    break
                self.pos = end
                return result
        end = self.pos
        while end < len(text) and (text[end].isalnum() or text[end] in "_$"):
            end += 1
        word = text[self.pos:max(end, self.pos + 1)]
        if word in ("NaN", "Infinity"):
            self.fail(f"'{word}' is not JSON: JSON has no infinities or NaN", end)
        self.fail(f"unrecognized token '{word}': expected a string, number, array, object, true, false or null", self.pos)

    def number(self):
        text = self.text
        start = self.pos
        i = start + 1 if text[start] == "-" else start
        n = len(text)
        if i >= n or not "0" <= text[i] <= "9":
            self.fail("a minus sign must be followed by a digit", i)
        if text[i] == "0" and i + 1 < n and "0" <= text[i + 1] <= "9":
            self.fail("invalid number: leading zeroes are not allowed", i + 1)
        match = _NUMBER.match(text, start)
        end = match.end()
        if end < n and text[end] in ".eE":
            self.fail("invalid number: a decimal point or exponent must be followed by a digit", end)
        self.pos = end
        return number_of(match.group())

    def obj(self, depth, lines, path):
        if depth > MAX_DEPTH:
            self.fail(f"nested deeper than {MAX_DEPTH} levels", self.pos)
        text = self.text
        self.pos += 1
        members = {}
        self.skip()
        if self.pos < len(text) and text[self.pos] == "}":
            self.pos += 1
            return members
        while True:
            self.skip()
            if self.pos >= len(text):
                self.eof("inside an object")
            if text[self.pos] != '"':
                self.fail(f"unexpected character {text[self.pos]!r}: expected a member name in double quotes "
                          "(a trailing comma before '}', or a member name without quotes?)", self.pos)
            name_pos = self.pos
            name = self.string()
            if name in members:
                self.fail(f'duplicate member "{name}" (a member appears twice in one object; keep one)', self.pos)
            self.skip()
            if self.pos >= len(text):
                self.eof("inside an object")
            if text[self.pos] != ":":
                self.fail(f"unexpected character {text[self.pos]!r}: expected ':' after a member name", self.pos)
            self.pos += 1
            child = None
            if path is not None:
                child = path + (name,)
                # Any member name is a key segment: quoted in the key's text when it is not bare, a top-level
                # %dev written bare as a profile's (_keys).
            item = self.value(depth, lines, child)
            members[name] = item
            if lines is not None and child is not None and not isinstance(item, dict):
                lines[_keys.join(child)] = text.count("\n", 0, name_pos) + 1
            self.skip()
            if self.pos >= len(text):
                self.eof("inside an object")
            c = text[self.pos]
            if c == "}":
                self.pos += 1
                return members
            if c != ",":
                self.fail(f"unexpected character {c!r}: expected ',' or '}}' after a member (a comma missing?)", self.pos)
            self.pos += 1

    def array(self, depth):
        if depth > MAX_DEPTH:
            self.fail(f"nested deeper than {MAX_DEPTH} levels", self.pos)
        text = self.text
        self.pos += 1
        items = []
        self.skip()
        if self.pos < len(text) and text[self.pos] == "]":
            self.pos += 1
            return items
        while True:
            self.skip()
            if self.pos < len(text) and text[self.pos] in ",]":
                self.fail(f"unexpected character {text[self.pos]!r}: expected a value (a trailing comma before ']'?)", self.pos)
            items.append(self.value(depth, None, None))
            self.skip()
            if self.pos >= len(text):
                self.eof("inside an array")
            c = text[self.pos]
            if c == "]":
                self.pos += 1
                return items
            if c != ",":
                self.fail(f"unexpected character {c!r}: expected ',' or ']' after an array item (a comma missing?)", self.pos)
            self.pos += 1

    def string(self):
        text = self.text
        self.pos += 1
        parts = []
        while True:
            match = _STRING_CHUNK.match(text, self.pos)
            parts.append(match.group())
            self.pos = match.end()
            if self.pos >= len(text):
                self.eof("inside a string")
            c = text[self.pos]
            if c == '"':
                self.pos += 1
                break
            if c == "\\":
                if self.pos + 1 >= len(text):
                    self.eof("inside a string")
                e = text[self.pos + 1]
                if e in _ESCAPES:
                    parts.append(_ESCAPES[e])
                    self.pos += 2
                elif e == "u":
                    digits = text[self.pos + 2:self.pos + 6]
                    bad = next((i for i, d in enumerate(digits) if d not in "0123456789abcdefABCDEF"), None)
                    if bad is not None:
                        self.fail("invalid \\u escape: expected 4 hexadecimal digits", self.pos + 2 + bad)
                    if len(digits) < 4:
                        self.eof("inside a string")
                    parts.append(chr(int(digits, 16)))
                    self.pos += 6
                else:
                    self.fail(f"unrecognized escape '\\{e}' in a string", self.pos + 1)
            else:
                self.fail(f"control character U+{ord(c):04X} in a string: write it as an escape (\\n, \\t, \\u00XX)", self.pos)
        value = "".join(parts)
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            value = _join_surrogates(value)
        return value


def _join_surrogates(text):
    """Pairs of UTF-16 surrogate escapes (\\ud83d\\ude00) are one character, as in Java."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def parse(text, lines=None, keys=False):
    """Parses one JSON document. With ``lines`` (a dict), records the line of every leaf of the
    top-level object under its dotted path; with ``keys``, refuses member names of the top-level
    object tree that cannot be Waterfall key segments."""
    parser = _Parser(text, keys)
    parser.skip()
    if parser.pos >= len(text):
        parser.fail("the document holds only whitespace", parser.pos)
    tree = () if (lines is not None or keys) else None
    result = parser.value(0, lines, tree)
    parser.skip()
    if parser.pos < len(text):
        parser.fail(f"unexpected {text[parser.pos]!r} after the end of the document; remove it", parser.pos)
    return result


def loads_fast(text):
    """Parses trusted, machine-written JSON (history and log lines) at C speed, numbers exact; falls
    back to :func:`parse` for the error's place when the text is not valid."""
    try:
        return _stdlib_json.loads(text, parse_float=Number, parse_int=_int_or_number, parse_constant=_no_constant,
                                  object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError):
        return parse(text)


def _int_or_number(literal):
    return Number(literal) if literal == "-0" or len(literal) >= 4000 else int(literal)


def _no_constant(name):
    raise ValueError(name)


def _no_duplicates(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate member")
    return result


def literal_of(value):
    """The JSON literal of a number value."""
    if isinstance(value, bool):
        raise TypeError("not a number")
    if isinstance(value, Number):
        return value.literal
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("JSON has no infinities or NaN")
        text = repr(value)
        return text
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError("JSON has no infinities or NaN")
        return str(value).replace("E", "e")
    raise TypeError(f"not a number: {value!r}")


def _string(text, ascii_only, out):
    """A quoted string, escaped exactly as Java's JsonValues.appendString does: the value fingerprints
    Java keeps are hashes of this text (with ``ascii_only``), so a byte of difference is a change."""
    if (_PLAIN_ASCII if ascii_only else _PLAIN).fullmatch(text):
        out.append('"' + text + '"')
        return
    out.append('"')
    for ch in text:
        o = ord(ch)
        if 0x20 <= o < 0x7F and ch != '"' and ch != "\\" or o > 0x7F and not ascii_only and o != 0x2028 and o != 0x2029:
            out.append(ch)
        elif ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in _SHORT:
            out.append(_SHORT[ch])
        elif o > 0xFFFF:
            o -= 0x10000
            out.append(f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}")
        else:
            out.append(f"\\u{o:04x}")
    out.append('"')


_PLAIN = re.compile('[^"\\\\\x00-\x1f\x7f\u2028\u2029]*')
_PLAIN_ASCII = re.compile('[\x20\x21\x23-\x5b\x5d-\x7e]*')
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _write(value, out, indent, level, ascii_only):
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        _string(value, ascii_only, out)
    elif isinstance(value, (int, float, decimal.Decimal)):
        out.append(literal_of(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            if indent is not None:
                out.append("\n" + indent * (level + 1))
            _write(item, out, indent, level + 1, ascii_only)
        if indent is not None:
            out.append("\n" + indent * level)
        out.append("]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        out.append("{")
        for i, (name, item) in enumerate(value.items()):
            if i:
                out.append(",")
            if indent is not None:
                out.append("\n" + indent * (level + 1))
            _string(name, ascii_only, out)
            out.append(": " if indent is not None else ":")
            _write(item, out, indent, level + 1, ascii_only)
        if indent is not None:
            out.append("\n" + indent * level)
        out.append("}")
    else:
        raise TypeError(f"a {type(value).__name__} cannot be stored: use str, int, float, Number, bool, None, list or dict")


def dumps(value, indent=None, ascii_only=False):
    """The JSON text of ``value``: compact, or pretty with ``indent`` (a string such as two spaces)."""
    out = []
    _write(value, out, indent, 0, ascii_only)
    return "".join(out)
