"""The stores Waterfall's Java library writes, read and written from Python with the same formats,
the same lock protocol and the same history, so a Python write shows in ``waterfall history`` as
``by python user@host pid N`` beside the Java ones.

=========  ======  =======  ==========================================================
URI        read    write    notes
=========  ======  =======  ==========================================================
json:      yes     yes      history sidecar ``<file>.history.ndjson`` appended like Java
ndjson:    yes     yes      the log is its own history; one line per commit
toml:      yes     no       tomllib; write TOML stores with the Java library or CLI
sqlite:    yes     yes      the schema must exist (a Java write creates it); one transaction
postgresql yes     no       only when ``psycopg`` is importable
=========  ======  =======  ==========================================================
"""

import datetime
import decimal
import hashlib
import os
import sqlite3
import urllib.parse

from . import _files, _json, _keys, _model
from .errors import (InvalidKeyError, InvalidValueError, KeyConflictError, RevisionConflictError, StoreBrokenError,
                     StoreUnavailableError, WaterfallError)

ANY = -1
"""Expected revision meaning "whatever it is": no compare-and-set."""

ABSENT = 0
"""Expected revision meaning "only if the key is absent"."""


class Entry:
    """A stored value with its metadata: the revision, time and author of the change that last set it,
    and the line of the file it is on (0 when the store has no lines)."""

    __slots__ = ("key", "value", "revision", "at", "by", "line")

    def __init__(self, key, value, revision=0, at=None, by=None, line=0):
        self.key = key
        self.value = value
        self.revision = revision
        self.at = at
        self.by = by
        self.line = line

    def __repr__(self):
        return f"Entry({self.key!r}, {self.value!r}, revision={self.revision}, line={self.line})"


class Change:
    """One change of a write: ``Change(key, value)`` sets, ``Change(key)`` with ``unset=True`` removes;
    ``expected`` is the compare-and-set revision (``ANY``, ``ABSENT`` or a revision)."""

    __slots__ = ("key", "value", "unset", "expected")

    def __init__(self, key, value=None, unset=False, expected=ANY):
        self.key = _model.check_key(key)
        if not unset:
            _model.check_value(value)
        self.value = value
        self.unset = unset
        self.expected = expected


def describe_actor(by):
    if not isinstance(by, dict):
        return "external"
    return f"{by.get('surface', '')} {by.get('user', '')}@{by.get('host', '')} pid {by.get('pid', 0)}"


def _check_leaf(keys, key):
    """The leaf rule: ``key`` may not sit under another key's value, nor above other keys."""
    parts = _keys.segments(key)
    for i in range(1, len(parts)):
        parent = _keys.join(parts[:i])
        if parent in keys:
            raise KeyConflictError(f"cannot set {key}: {parent} holds a value; unset {parent} first")
    prefix = key + "."
    for other in keys:
        if other.startswith(prefix):
            raise KeyConflictError(f"cannot set {key}: it is a table holding {other}; unset the keys under it first")


def _check_plaintext(key, value, location):
    if _model.looks_secret(key) and _model.secret_reference(value) is None:
        raise InvalidValueError(f"{key} looks like a secret, and {location} is plain text: give it through the environment "
                                f"or keep it in a database store, or store a reference such as \"${{secret:{key}}}\"")


def _flatten(tree, prefix, out):
    """The leaves of a tree under the key text ``prefix`` ("" or a key's text followed by '.')."""
    for name, value in tree.items():
        key = _keys.child(prefix[:-1], name)  # a top-level %dev is a profile's, written bare
        if isinstance(value, dict):
            _flatten(value, key + ".", out)
        else:
            out[key] = value
    return out


# ---------------------------------------------------------------------------------------------- JSON


class _Recorded:
    """What the history says: the store revision, the SHA-256 of the file the last recorded write
    produced, and per key (revision, at, by, value hash)."""

    def __init__(self):
        self.revision = 0
        self.commit_sha = ""
        self.entries = {}


class JsonStore:
    """A Waterfall JSON store (``json:PATH``): a pretty-printed object whose nested objects are key paths."""

    scheme = "json"
    writable = True

    def __init__(self, path, actor):
        self.path = path
        self.actor = actor
        self.location = "json:" + path

    # ----------------------------------------------------------------- reading

    def _parse(self, data, source, lines=None):
        return parse_json_document(data, source, lines)

    def _recorded(self, data_path, fresh=False):
        """The metadata snapshot plus every history record after it (MetaIndex.refresh), read
        incrementally: a second call reads only the history appended since the first. A writer
        under the lock passes fresh=True and reads both again (see _parsed)."""
        meta_path = data_path + ".meta.json"
        history_path = data_path + ".history.ndjson"
        try:
            st = os.stat(meta_path)
            meta_stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        except FileNotFoundError:
            meta_stamp = None
        try:
            st = os.stat(history_path)
            history_stamp = (st.st_dev, st.st_ino)
            history_size = st.st_size
        except FileNotFoundError:
            history_stamp, history_size = None, 0
        cache = getattr(self, "_cache", None)
        if not fresh and cache and cache[0] == (data_path, meta_stamp, history_stamp) and cache[1] <= history_size:
            recorded, offset, base_revision = cache[2], cache[1], cache[3]
        else:
            recorded, offset = self._snapshot(meta_path, history_path)
            base_revision = recorded.revision
        if history_size > offset:
            with open(history_path, "rb") as f:
                f.seek(offset)
                chunk = f.read(history_size - offset)
            chunk = chunk[:chunk.rfind(b"\n") + 1]
            self._apply_history(recorded, chunk, base_revision)
            offset += len(chunk)
        self._cache = ((data_path, meta_stamp, history_stamp), offset, recorded, base_revision)
        copy = _Recorded()
        copy.revision, copy.commit_sha, copy.entries = recorded.revision, recorded.commit_sha, dict(recorded.entries)
        return copy

    @staticmethod
    def _snapshot(meta_path, history_path):
        """The metadata sidecar, and where in the history the records after it begin."""
        recorded = _Recorded()
        offset = 0
        meta_bytes = _files.read_bytes(meta_path)
        if meta_bytes:
            try:
                meta = _json.loads_fast(meta_bytes.decode("utf-8"))
                recorded.revision = int(meta["revision"])
                recorded.commit_sha = meta.get("dataSha256", "")
                actors = meta.get("actors", [])
                for key, (revision, at, actor, hashed) in meta.get("entries", {}).items():
                    recorded.entries[key] = (int(revision), at, "external" if actor < 0 else actors[actor], hashed)
                try:
                    st = os.stat(history_path)
                    identity = f"(dev={st.st_dev:x},ino={st.st_ino})"
                    if meta.get("historyFile") == identity and int(meta.get("historyOffset", 0)) <= st.st_size:
                        offset = int(meta.get("historyOffset", 0))
                except FileNotFoundError:
                    pass
            except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
                recorded, offset = _Recorded(), 0  # unreadable: rebuilt from the history, as Java does
        return recorded, offset

    @staticmethod
    def _apply_history(recorded, chunk, base_revision):
        for raw in chunk.split(b"\n"):
            if not raw.strip():
                continue
            try:
                line = _json.loads_fast(raw.decode("utf-8"))
            except (_json.JsonError, UnicodeDecodeError):
                continue  # a damaged record: the history is a record, the data file is the truth
            if "commit" in line:
                if line["commit"] > base_revision:
                    recorded.commit_sha = line.get("sha256", "")
                    recorded.revision = max(recorded.revision, line["commit"])
                continue
            revision = line.get("rev", 0)
            if revision <= base_revision:
                continue
            key = line.get("key")
            if "new" in line:
                value = _retype(line["new"], line.get("newType"))
                recorded.entries[key] = (revision, line.get("at"), line.get("by"), _model.value_hash(value))
            else:
                recorded.entries.pop(key, None)
            recorded.revision = max(recorded.revision, revision)

    def _state(self, with_meta=True, want_lines=True, fresh=False):
        """(tree, values, lines, sha, entries-meta, revision, external) of the file as it is now."""
        data_path = _files.data_path(self.path)
        tree, values, lines, sha = self._parsed(data_path, want_lines, fresh)
        if not with_meta:
            return tree, values, lines, sha, {}, 0, {}
        recorded = self._recorded(data_path, fresh)
        known = recorded.entries
        if sha and sha == recorded.commit_sha and len(known) == len(values):
            return tree, values, lines, sha, known, recorded.revision, {}
        if not sha and not known:
            return tree, values, lines, sha, {}, recorded.revision, {}
        external_revision = recorded.revision + 1
        try:
            mtime = datetime.datetime.fromtimestamp(os.stat(data_path).st_mtime, datetime.timezone.utc)
            file_time = mtime.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        except FileNotFoundError:
            file_time = "1970-01-01T00:00:00Z"
        meta, external = {}, {}
        for key, value in values.items():
            record = known.get(key)
            hashed = _model.value_hash(value)
            if record is not None and record[3] == hashed:
                meta[key] = record
            else:
                meta[key] = (external_revision, file_time, "external", hashed)
                external[key] = (True, value)
        for key in known:
            if key not in values:
                external[key] = (False, None)
        revision = external_revision if external else recorded.revision
        return tree, values, lines, sha, meta, revision, external

    def _parsed(self, data_path, want_lines, fresh=False):
        """(tree, values, lines, sha) of the data file; parsed again only when its inode, size or
        modification time changed (a replacement is a new inode), as Java's store does. A writer
        passes fresh=True: under the lock it always reads the bytes, because a replacement can reuse
        the inode number of a file deleted a moment before and have the same size within one tick of
        the file system's clock, so the stamp alone can name two contents (a lost update, seen once
        in 160 compare-and-set increments of four processes)."""
        try:
            st = os.stat(data_path)
            stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        except FileNotFoundError:
            return None, {}, ({} if want_lines else None), ""
        cached = getattr(self, "_parsed_cache", None)
        if not fresh and cached and cached[0] == stamp and (cached[3] is not None or not want_lines):
            tree, values, lines, sha = cached[1], cached[2], cached[3], cached[4]
            return _copy_tree(tree), dict(values), (dict(lines) if lines is not None else None), sha
        data = _files.read_bytes(data_path)
        if data is None:
            return None, {}, ({} if want_lines else None), ""
        lines = {} if want_lines else None
        tree = self._parse(data, self.path, lines)
        values = _flatten(tree, "", {})
        sha = hashlib.sha256(data).hexdigest()
        st = os.stat(data_path)
        if len(data) == st.st_size and (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == stamp:
            self._parsed_cache = (stamp, _copy_tree(tree), dict(values), (dict(lines) if lines is not None else None), sha)
        return tree, values, lines, sha

    def entries(self, with_meta=False):
        """Every entry, by key."""
        _, values, lines, _, meta, _, _ = self._state(with_meta)
        result = {}
        for key, value in values.items():
            m = meta.get(key)
            result[key] = Entry(key, value, m[0] if m else 0, m[1] if m else None, m[2] if m else None, (lines or {}).get(key, 0))
        return result

    def get(self, key, with_meta=False):
        return self.entries(with_meta).get(key)

    def revision(self):
        return self._state(True)[5]

    # ----------------------------------------------------------------- writing

    def apply(self, changes):
        """Applies the changes in one durable write under the store's lock; returns the new revision
        (the old one when nothing changed)."""
        changes = list(changes)
        for change in changes:
            if not change.unset:
                _check_plaintext(change.key, change.value, self.location)
                if isinstance(change.value, float) and change.value != change.value:
                    raise InvalidValueError(f"cannot set {change.key} in {self.location}: JSON has no infinities or NaN")
        data_path = _files.data_path(self.path)
        with _files.locked(data_path):
            tree, values, _, _, meta, revision, external = self._state(True, want_lines=False, fresh=True)
            keys = set(values)
            edits = {}
            for change in changes:
                key = change.key
                if change.expected != ANY:
                    actual = meta[key][0] if key in values else ABSENT
                    if actual != change.expected:
                        raise RevisionConflictError(key, change.expected, actual)
                if change.unset:
                    keys.discard(key)
                    edits[key] = (False, None)
                else:
                    keys.discard(key)
                    _check_leaf(keys, key)
                    keys.add(key)
                    edits[key] = (True, change.value)
            real = {k: e for k, e in edits.items()
                    if not (e[0] and k in values and _model.same_value(values[k], e[1])) and not (not e[0] and k not in values)}
            if not real and not external:
                return revision
            at = _model.now()
            if real:
                tree = {} if tree is None else tree
                for key, (present, value) in real.items():
                    _edit_tree(tree, _keys.segments(key), present, value)
                content = (_json.dumps(tree, indent="  ") + "\n").encode("utf-8")
                _files.replace_durably(data_path, content)
                sha = hashlib.sha256(content).hexdigest()
                new_revision = revision + 1
            else:
                sha = self._state(False, want_lines=False, fresh=True)[3]
                new_revision = revision
            records = []
            if external:
                last_known = self._last_known(data_path, external)
                mtime = next((meta[k][1] for k in external if k in meta), at)
                for key, (present, value) in external.items():
                    records.append(_history_record(revision, mtime, "external", key, last_known.get(key, _MISSING),
                                                   value if present else _MISSING))
            for key, (present, value) in real.items():
                records.append(_history_record(new_revision, at, self.actor, key, values.get(key, _MISSING),
                                               value if present else _MISSING))
            records.append('{"commit":%d,"at":"%s","sha256":"%s"}' % (new_revision, at, sha))
            history = data_path + ".history.ndjson"
            _files.drop_torn_tail(history)
            _files.append(history, ("\n".join(records) + "\n").encode("utf-8"))
            return new_revision

    def _last_known(self, data_path, external):
        known = {}
        for path in (data_path + ".history.1.ndjson", data_path + ".history.ndjson"):
            content = _files.read_bytes(path) or b""
            for raw in content.split(b"\n"):
                if not raw.strip():
                    continue
                try:
                    line = _json.loads_fast(raw.decode("utf-8"))
                except (_json.JsonError, UnicodeDecodeError):
                    continue
                key = line.get("key")
                if key in external:
                    if "new" in line:
                        known[key] = _retype(line["new"], line.get("newType"))
                    else:
                        known.pop(key, None)
        return known


_MISSING = object()


def _copy_tree(tree):
    """A copy of the object tree (the leaves are shared: a write replaces them, never changes them)."""
    return {k: _copy_tree(v) if isinstance(v, dict) else v for k, v in tree.items()}


def _history_record(revision, at, by, key, old, new):
    parts = ['{"rev":%d,"at":"%s","by":' % (revision, at),
             '"external"' if not isinstance(by, dict) else _json.dumps(by), ',"key":', _json.dumps(key)]
    if old is not _MISSING:
        parts += [',"old":', _json.dumps(old)]
    if new is not _MISSING:
        parts += [',"new":', _json.dumps(new)]
    parts.append("}")
    return "".join(parts)


def _retype(value, label):
    if label == "number" and isinstance(value, str):
        return _json.Number(value)
    return value


def _edit_tree(tree, path, present, value):
    """Sets or removes the leaf at ``path``, keeping the order of existing members (new ones go at
    the end of their object) and dropping the objects an unset leaves empty."""
    node = tree
    parents = []
    for name in path[:-1]:
        child = node.get(name)
        if not isinstance(child, dict):
            if not present:
                return
            child = {}
            node[name] = child
        parents.append((node, name))
        node = child
    if present:
        node[path[-1]] = value
    else:
        node.pop(path[-1], None)
        while parents and not node:
            parent, name = parents.pop()
            del parent[name]
            node = parent


def _fast_tree(text):
    """The document parsed at C speed, or None when it is not a valid store (the careful parser then
    names the place of the mistake)."""
    try:
        tree = _json._stdlib_json.loads(text, parse_float=_json.Number, parse_int=_json._int_or_number,
                                        parse_constant=_json._no_constant, object_pairs_hook=_json._no_duplicates)
    except (ValueError, RecursionError):
        return None
    if not isinstance(tree, dict) or not _valid_names(tree):
        return None
    return tree


def _valid_names(tree, top=True):
    """Any member name is a key segment (_keys quotes the ones that are not bare); a name holding a
    lone surrogate goes to the careful parser, which treats it as Java does."""
    for name, value in tree.items():
        if not name.isascii() and any(0xD800 <= ord(c) <= 0xDFFF for c in name):
            return False
        if isinstance(value, dict) and not _valid_names(value, False):
            return False
    return True


def parse_json_document(data, source, lines=None):
    """A JSON store's or layer's bytes as a tree, or :class:`StoreBrokenError` naming file:line:col."""
    if not data:
        raise StoreBrokenError(source, 1, 1, "the file is empty; a JSON store is an object: write {} into it or delete the file")
    if data.startswith(b"\xef\xbb\xbf"):
        raise StoreBrokenError(source, 1, 1, "the file starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow; "
                                             "save it as UTF-8 without BOM")
    if data[:2] in (b"\xfe\xff", b"\xff\xfe"):
        raise StoreBrokenError(source, 1, 1, "the file is UTF-16; JSON files must be UTF-8: save it as UTF-8 without BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        start = data.rfind(b"\n", 0, e.start) + 1
        column = len(data[start:e.start].decode("utf-8", "replace")) + 1
        raise StoreBrokenError(source, line, column, f"invalid UTF-8 (byte 0x{data[e.start]:02X} at offset {e.start}); "
                                                     "the file must be UTF-8: re-save it as UTF-8") from None
    try:
        tree = None
        if lines is None:  # no lines wanted (a write): the C parser, when the file is valid
            tree = _fast_tree(text)
        if tree is None:
            tree = _json.parse(text, lines if lines is not None else {}, keys=True)
    except _json.JsonError as e:
        raise StoreBrokenError(source, e.line, e.column, "not valid JSON: " + e.reason + "; nothing was changed and no write will "
                               "replace the file: fix it by hand, or run `waterfall backups restore`") from None
    if not isinstance(tree, dict):
        raise StoreBrokenError(source, 1, 1, "the top level must be a JSON object ({...})")
    return tree


# -------------------------------------------------------------------------------------------- NDJSON


class NdjsonStore:
    """A Waterfall NDJSON store (``ndjson:PATH``): an append-only change log, one JSON line per commit."""

    scheme = "ndjson"
    writable = True

    def __init__(self, path, actor):
        self.path = path
        self.actor = actor
        self.location = "ndjson:" + path

    def _read(self, data):
        """(entries by key, revision) of the log's bytes; a torn last line is not read."""
        entries = {}
        revision = 0
        if not data:
            return entries, revision
        end = data.rfind(b"\n") + 1
        tail = data[end:]
        body = data[:end]
        if tail.strip():
            try:
                whole = _json.parse(tail.decode("utf-8"))
                body = data  # a whole record that lacks only its newline, as an editor may leave it
                del whole
            except (_json.JsonError, UnicodeDecodeError):
                pass  # torn by a writer that died: never read
        for number, raw in enumerate(body.split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise StoreBrokenError(self.path, number, e.start + 1, "invalid UTF-8; fix or remove the line by hand") from None
            try:
                line = _json.loads_fast(text)
            except _json.JsonError as e:
                raise StoreBrokenError(self.path, number, e.column, f"not valid JSON: {e.reason}; nothing was changed: "
                                       "fix or remove the line by hand") from None
            if not isinstance(line, dict) or not isinstance(line.get("rev"), int):
                raise StoreBrokenError(self.path, number, 1, 'a log line must be an object with a "rev" number; fix or remove the line by hand')
            revision = line["rev"]
            at = line.get("at")
            by = line.get("by", "external")
            if "snapshot" in line:
                entries = {}
                for item in line["snapshot"]:
                    key = item["key"]
                    entries[key] = Entry(key, _retype(item.get("value"), item.get("type")), item.get("rev", revision),
                                         item.get("at", at), item.get("by", "external"), number)
            for change in line.get("changes", []):
                key = change.get("key")
                if change.get("unset"):
                    entries.pop(key, None)
                else:
                    entries[key] = Entry(key, _retype(change.get("value"), change.get("type")), revision, at, by, number)
        return entries, revision

    def entries(self, with_meta=False):
        return self._read(_files.read_bytes(_files.data_path(self.path)))[0]

    def get(self, key, with_meta=False):
        return self.entries().get(key)

    def revision(self):
        return self._read(_files.read_bytes(_files.data_path(self.path)))[1]

    def apply(self, changes):
        changes = list(changes)
        for change in changes:
            if not change.unset:
                _check_plaintext(change.key, change.value, self.location)
        path = _files.data_path(self.path)
        with _files.locked(path):
            created = not os.path.exists(path)
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                data = os.pread(fd, os.fstat(fd).st_size, 0)
                if data and not data.endswith(b"\n"):
                    cut = data.rfind(b"\n") + 1
                    try:
                        _json.parse(data[cut:].decode("utf-8"))
                        os.write(fd, b"\n")  # a whole last record without its newline: kept
                        data += b"\n"
                    except (_json.JsonError, UnicodeDecodeError):
                        with open(path + ".broken", "ab") as broken:
                            broken.write(data[cut:] + b"\n")
                        os.ftruncate(fd, cut)
                        data = data[:cut]
                entries, revision = self._read(data)
                keys = set(entries)
                out = []
                for change in changes:
                    key = change.key
                    if change.expected != ANY:
                        actual = entries[key].revision if key in entries else ABSENT
                        if actual != change.expected:
                            raise RevisionConflictError(key, change.expected, actual)
                    if change.unset:
                        if key in keys:
                            keys.discard(key)
                            out.append('{"key":%s,"unset":true}' % _json.dumps(key))
                    else:
                        keys.discard(key)
                        _check_leaf(keys, key)
                        keys.add(key)
                        if key in entries and _model.same_value(entries[key].value, change.value):
                            continue
                        out.append('{"key":%s,"value":%s}' % (_json.dumps(key), _json.dumps(change.value)))
                if not out:
                    return revision
                line = '{"rev":%d,"at":"%s","by":%s,"changes":[%s]}\n' % (
                    revision + 1, _model.now(), _json.dumps(self.actor), ",".join(out))
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
            if created:
                _files.fsync_folder(os.path.dirname(os.path.abspath(path)))
            return revision + 1


# ---------------------------------------------------------------------------------------------- TOML


def parse_toml_document(data, source):
    """A TOML file as a tree; tomllib's error position becomes :class:`StoreBrokenError`."""
    import re
    import tomllib
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise StoreBrokenError(source, 0, 0, f"invalid UTF-8 at byte {e.start}; re-save it as UTF-8") from None

    def number(literal):
        literal = literal.replace("_", "").lstrip("+")
        return _json.Number({"inf": "inf", "-inf": "-inf", "nan": "nan", "-nan": "nan"}.get(literal, literal))
    try:
        return tomllib.loads(text, parse_float=number)
    except tomllib.TOMLDecodeError as e:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise StoreBrokenError(source, line, column, f"not valid TOML: {reason}") from None


def _toml_key(text, i):
    """The segments of the TOML key starting at ``text[i]`` (bare, "basic" with escapes or 'literal',
    joined by '.' with optional blanks) and the index after it, or (None, i) when there is none."""
    segments = []
    while True:
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] in "\"'":
            quote, start, i = text[i], i, i + 1
            while i < len(text) and text[i] != quote:
                i += 2 if quote == '"' and text[i] == "\\" else 1
            if i >= len(text):
                return None, start
            try:
                segments.extend(_keys.segments(text[start:i + 1]))
            except InvalidKeyError:
                return None, start
            i += 1
        else:
            start = i
            while i < len(text) and _keys.is_bare(text[i]):
                i += 1
            if i == start:
                return None, start
            segments.append(text[start:i])
        while i < len(text) and text[i] in " \t":
            i += 1
        if i >= len(text) or text[i] != ".":
            return segments, i
        i += 1


def _toml_lines(data, tree):
    """The line of each leaf of a TOML document under its key's written text (_keys): the line
    where its last segment is assigned."""
    lines = {}
    table = []
    for number, raw in enumerate(data.decode("utf-8", "replace").split("\n"), start=1):
        text = raw.strip()
        if text.startswith("["):
            array = text.startswith("[[")
            segments, _ = _toml_key(text, 2 if array else 1)
            table = segments if segments is not None else []
            continue
        segments, end = _toml_key(text, 0)
        if segments is not None and end < len(text) and text[end] == "=":
            lines.setdefault(_keys.join(table + segments), number)
    return lines


class TomlStore:
    """A Waterfall TOML store (``toml:PATH``), read with tomllib. Writes keep comments in Java only."""

    scheme = "toml"
    writable = False

    def __init__(self, path, actor):
        self.path = path
        self.location = "toml:" + path

    def entries(self, with_meta=False):
        data = _files.read_bytes(_files.data_path(self.path))
        if data is None:
            return {}
        tree = parse_toml_document(data, self.path)
        lines = _toml_lines(data, tree)
        return {k: Entry(k, v, line=lines.get(k, 0)) for k, v in _flatten(tree, "", {}).items()}

    def get(self, key, with_meta=False):
        return self.entries().get(key)

    def apply(self, changes):
        raise StoreUnavailableError(f"{self.location}: the Python client reads TOML stores but does not write them "
                                    "(comments must survive); write with the Java library or `waterfall set`")


# -------------------------------------------------------------------------------------------- SQLite


def _encode_namespace(namespace):
    return urllib.parse.quote(namespace, safe="")


def _split_query(rest, allowed, uri):
    options = {}
    query = rest.find("?")
    if query >= 0:
        for parameter in rest[query + 1:].split("&"):
            if not parameter:
                continue
            name, _, value = parameter.partition("=")
            if name not in allowed:
                raise InvalidValueError(f"store {uri}: unknown option \"{name}\"; known: {', '.join(sorted(allowed))}")
            options[name] = urllib.parse.unquote(value.replace("+", "%2B"))
        rest = rest[:query]
    return rest, options


def _decode(value, label):
    if value is None:
        return _MISSING
    return _retype(_json.loads_fast(value), label)


def _type_tag(value):
    if isinstance(value, (_json.Number, decimal.Decimal)) and not value.is_finite():
        return "number"
    return None


class SqliteStore:
    """A Waterfall SQLite store (``sqlite:PATH?namespace=NAME``): the tables of Java's Flyway migration
    V1 (namespaces, entries, history), written in one ``BEGIN IMMEDIATE`` transaction per commit with
    its history rows and the namespace's new revision, ``synchronous=FULL``."""

    scheme = "sqlite"
    writable = True

    def __init__(self, path, namespace, actor):
        self.path = path
        self.namespace = namespace
        self.actor = actor
        self.location = f"sqlite:{path}?namespace={_encode_namespace(namespace)}"

    def _connect(self, create):
        if not create and not os.path.exists(self.path):
            return None
        if create:
            _files.ensure_folder(os.path.dirname(os.path.abspath(self.path)))
        try:
            uri = "file:" + urllib.parse.quote(os.path.abspath(self.path)) + ("" if create else "?mode=ro")
            connection = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreUnavailableError(f"cannot open {self.location}: {e}") from None
        connection.execute("PRAGMA busy_timeout=30000")
        if create:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
        return connection

    def _has_schema(self, connection):
        row = connection.execute("SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('entries','history','namespaces')").fetchone()
        return row[0] == 3

    def entries(self, with_meta=False):
        connection = self._connect(False)
        if connection is None:
            return {}
        try:
            if not self._has_schema(connection):
                return {}
            rows = connection.execute(
                "SELECT key, value, type, revision, updated_at, updated_by_surface, updated_by_user, updated_by_host, updated_by_pid"
                " FROM entries WHERE namespace = ? ORDER BY key", (self.namespace,)).fetchall()
        except sqlite3.DatabaseError as e:
            raise StoreBrokenError(self.path, 0, 0, f"not a readable SQLite database ({e})") from None
        finally:
            connection.close()
        return {row[0]: Entry(row[0], _decode(row[1], row[2]), row[3], row[4],
                              {"surface": row[5], "user": row[6], "host": row[7], "pid": row[8]}) for row in rows}

    def get(self, key, with_meta=False):
        return self.entries().get(key)

    def revision(self):
        connection = self._connect(False)
        if connection is None:
            return 0
        try:
            if not self._has_schema(connection):
                return 0
            row = connection.execute("SELECT revision FROM namespaces WHERE namespace = ?", (self.namespace,)).fetchone()
            return row[0] if row else 0
        finally:
            connection.close()

    def apply(self, changes):
        changes = list(changes)
        connection = self._connect(True)
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                if not self._has_schema(connection):
                    self._create_schema(connection)
                revision = self._apply(connection, changes)
                connection.execute("COMMIT")
                return revision
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as e:
            raise StoreUnavailableError(f"cannot write {self.location}: {e}") from None
        finally:
            connection.close()

    def _create_schema(self, connection):
        """A new database gets Java's schema (Flyway's history row included) in the first write's transaction."""
        from . import _sqlite_schema
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        if "flyway_schema_history" in tables:
            raise StoreUnavailableError(f"{self.location} is being set up by another program (Flyway's history is there, "
                                        "Waterfall's tables are not yet); try again in a moment")
        if tables:
            raise StoreBrokenError(self.path, 0, 0, f"holds tables that are not Waterfall's ({', '.join(sorted(tables))}); "
                                   "name a new file or the database Waterfall created")
        _sqlite_schema.create(connection)

    def _apply(self, connection, changes):
        ns = self.namespace
        row = connection.execute("SELECT revision FROM namespaces WHERE namespace = ?", (ns,)).fetchone()
        revision = row[0] if row else 0
        edits = []
        pending = {}
        for change in changes:
            key = change.key
            current = connection.execute("SELECT value, type, revision FROM entries WHERE namespace = ? AND key = ?", (ns, key)).fetchone()
            if key in pending:
                current = None if pending[key] is _MISSING else (None, None, revision + 1)
            if change.expected != ANY:
                actual = current[2] if current else ABSENT
                if actual != change.expected:
                    raise RevisionConflictError(key, change.expected, actual)
            old = _MISSING if current is None or current[0] is None else _decode(current[0], current[1])
            if key in pending:
                old = pending[key]
            if change.unset:
                if old is _MISSING:
                    continue
                pending[key] = _MISSING
                edits.append((key, old, _MISSING))
            else:
                parts = _keys.segments(key)
                for i in range(1, len(parts)):
                    parent = _keys.join(parts[:i])
                    if connection.execute("SELECT 1 FROM entries WHERE namespace = ? AND key = ?", (ns, parent)).fetchone() \
                            and pending.get(parent, None) is not _MISSING:
                        raise KeyConflictError(f"cannot set {key}: {parent} holds a value; unset {parent} first")
                under = connection.execute("SELECT key FROM entries WHERE namespace = ? AND key >= ? AND key < ? LIMIT 1",
                                           (ns, key + ".", key + "/")).fetchone()
                if under and pending.get(under[0], None) is not _MISSING:
                    raise KeyConflictError(f"cannot set {key}: it is a table holding {under[0]}; unset the keys under it first")
                if old is not _MISSING and _model.same_value(old, change.value):
                    continue
                pending[key] = change.value
                edits.append((key, old, change.value))
        if not edits:
            return revision
        new_revision = revision + 1
        at = _model.now()
        a = self.actor
        connection.execute("INSERT INTO namespaces (namespace, revision) VALUES (?, ?) "
                           "ON CONFLICT (namespace) DO UPDATE SET revision = excluded.revision", (ns, new_revision))
        for key, old, new in edits:
            if new is _MISSING:
                connection.execute("DELETE FROM entries WHERE namespace = ? AND key = ?", (ns, key))
            else:
                connection.execute(
                    "INSERT INTO entries (namespace, key, value, type, revision, updated_at, updated_by_surface, updated_by_user,"
                    " updated_by_host, updated_by_pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, type = excluded.type,"
                    " revision = excluded.revision, updated_at = excluded.updated_at, updated_by_surface = excluded.updated_by_surface,"
                    " updated_by_user = excluded.updated_by_user, updated_by_host = excluded.updated_by_host,"
                    " updated_by_pid = excluded.updated_by_pid",
                    (ns, key, _json.dumps(new), _type_tag(new), new_revision, at, a["surface"], a["user"], a["host"], a["pid"]))
            connection.execute(
                "INSERT INTO history (namespace, revision, at, by_surface, by_user, by_host, by_pid, key, old_value, old_type,"
                " new_value, new_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (ns, new_revision, at, a["surface"], a["user"], a["host"], a["pid"], key,
                 None if old is _MISSING else _json.dumps(old), None if old is _MISSING else _type_tag(old),
                 None if new is _MISSING else _json.dumps(new), None if new is _MISSING else _type_tag(new)))
        return new_revision


# ---------------------------------------------------------------------------------------- PostgreSQL


class PostgresStore:
    """A Waterfall PostgreSQL store, read through ``psycopg`` (schema ``waterfall``)."""

    scheme = "postgresql"
    writable = False

    def __init__(self, uri, namespace, actor):
        self.uri = uri
        self.namespace = namespace
        self.location = "postgresql:" + uri.split(":", 1)[1].split("?")[0]

    def entries(self, with_meta=False):
        try:
            import psycopg
        except ImportError:
            raise StoreUnavailableError(f"{self.location}: reading PostgreSQL stores needs psycopg "
                                        "(apt-get install python3-psycopg, or pip install psycopg)") from None
        conninfo = self.uri.split("?")[0].replace("postgres://", "postgresql://", 1)
        try:
            with psycopg.connect(conninfo, connect_timeout=5) as connection:
                exists = connection.execute("SELECT to_regclass('waterfall.entries')").fetchone()[0]
                if exists is None:
                    return {}
                rows = connection.execute(
                    "SELECT key, value, type, revision, updated_at, updated_by_surface, updated_by_user, updated_by_host,"
                    " updated_by_pid FROM waterfall.entries WHERE namespace = %s ORDER BY key", (self.namespace,)).fetchall()
        except psycopg.Error as e:
            raise StoreUnavailableError(f"cannot read {self.location}: {str(e).strip().splitlines()[0]}") from None
        return {r[0]: Entry(r[0], _decode(r[1], r[2]), r[3], str(r[4]), {"surface": r[5], "user": r[6], "host": r[7], "pid": r[8]})
                for r in rows}

    def get(self, key, with_meta=False):
        return self.entries().get(key)

    def apply(self, changes):
        raise StoreUnavailableError(f"{self.location}: the Python client reads PostgreSQL stores; write with the Java library or CLI")


# ------------------------------------------------------------------------------------------- opening


def split_uri(text):
    """(scheme, rest) of a store URI or bare path, as Java's StoreUri.parse has it."""
    import re
    trimmed = text.strip()
    if not trimmed:
        raise InvalidValueError("the store URI is empty; give one such as json:/path/config.json or sqlite:/path/app.db")
    match = re.fullmatch(r"([A-Za-z][A-Za-z0-9+.-]*):(.*)", trimmed, re.DOTALL)
    if match and len(match.group(1)) > 1:
        return match.group(1).lower(), match.group(2)
    name = trimmed.replace("\\", "/").rsplit("/", 1)[-1]
    dot = name.rfind(".")
    if dot <= 0 or dot == len(name) - 1:
        raise InvalidValueError(f'"{trimmed}" has no scheme and no file extension to pick a store by; '
                                "write it as json:PATH, toml:PATH, ndjson:PATH, sqlite:PATH or postgresql://host/db")
    extension = name[dot + 1:].lower()
    return {"db": "sqlite", "sqlite": "sqlite", "sqlite3": "sqlite", "jsonl": "ndjson"}.get(extension, extension), trimmed


def resolve_path(text, home):
    if text == "~":
        return home
    if text.startswith("~/") or text.startswith("~\\"):
        return os.path.join(home, text[2:])
    return text


def open_store(uri, app, home, actor):
    """The store a URI names."""
    scheme, rest = split_uri(uri)
    if scheme in ("json", "ndjson", "toml"):
        rest, _ = _split_query(rest, {"backups", "compact-after"}, uri)
        if rest.startswith("//"):
            rest = rest[2:]
        if not rest.strip():
            raise InvalidValueError(f"store {uri} names no file; write it as {scheme}:/path/to/config.{scheme}")
        path = resolve_path(rest, home)
        return {"json": JsonStore, "ndjson": NdjsonStore, "toml": TomlStore}[scheme](path, actor)
    if scheme == "sqlite":
        rest, options = _split_query(rest, {"namespace", "history"}, uri)
        if rest.startswith("//"):
            rest = rest[2:]
        return SqliteStore(resolve_path(rest, home), options.get("namespace", app), actor)
    if scheme in ("postgresql", "postgres"):
        _, options = _split_query(rest, {"namespace", "sslmode", "connect_timeout", "history"}, uri)
        return PostgresStore(scheme + ":" + rest, options.get("namespace", app), actor)
    raise WaterfallError(f'no store handles the scheme "{scheme}" of {uri}; the Python client knows json, ndjson, toml, sqlite '
                         "and postgresql")
