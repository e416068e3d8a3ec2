"""Unit tests of the Python client on real files and real SQLite databases, in temporary folders."""

import io
import multiprocessing
import os
import sqlite3
import tempfile
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from waterfall_config import (ABSENT, Change, Config, KeyConflictError, Number, RevisionConflictError, SecretError,
                              StoreBrokenError, InvalidKeyError, InvalidValueError, _json)
from waterfall_config.__main__ import main

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
SCHEMA = os.path.join(REPO, "backend-sqlite", "src", "main", "resources", "dev", "waterfall", "sqlite", "migration",
                      "V1__entries_history_namespaces.sql")


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [_json.parse(line) for line in f if line.strip()]


class Folder(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="wf-py-")
        self.dir = os.path.realpath(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def config(self, store, **kwargs):
        kwargs.setdefault("environ", {"USER": "ana", "HOSTNAME": "desk"})
        return Config("app", store=store, home=self.dir, **kwargs)


class JsonParserTest(unittest.TestCase):

    def test_numbers_keep_their_literal(self):
        value = _json.parse('{"a": [1.50, 6.02e23, -0, 123456789012345678901234567890, -1E-7]}')
        self.assertEqual(_json.dumps(value), '{"a":[1.50,6.02e23,-0,123456789012345678901234567890,-1E-7]}')
        self.assertIsInstance(value["a"][3], int)
        self.assertEqual(Number("1.50"), Number("1.50"))
        self.assertNotEqual(Number("1.50"), Number("1.5"))

    def test_strings_of_every_plane_and_escape_round_trip(self):
        text = "a\u00e9\u4e2d\U0001F600\U0010FFFF\"\\\n\t\x01\x7f\u2028"
        self.assertEqual(_json.parse(_json.dumps(text)), text)
        self.assertEqual(_json.parse(_json.dumps(text, ascii_only=True)), text)
        self.assertEqual(_json.parse('"\\ud83d\\ude00"'), "\U0001F600")

    def test_errors_name_jacksons_line_and_column(self):
        cases = {
            '{\n  "a": 1,\n  "b": 2,\n}\n': (4, 1),
            '{\n  "a": 1\n  "b": 2\n}\n': (3, 3),
            '{\n  "a": tru\n}\n': (2, 8),
            '{\n  "a": "x\n': (2, 10),
            '{\n  "a": [1, 2,]\n}\n': (2, 14),
            '{\n  "a": 01\n}\n': (2, 9),
            '{"a": 1} x': (1, 10),
            '{\n  "a" 1\n}': (2, 7),
            '{\n  "a": "\\q"\n}': (2, 10),
            '{\n  "a": 1,\n  "a": 2\n}': (3, 6),
            '{\n  "a": {\n': (3, 1),
        }
        for text, where in cases.items():
            with self.subTest(text):
                with self.assertRaises(_json.JsonError) as caught:
                    _json.parse(text)
                self.assertEqual((caught.exception.line, caught.exception.column), where)


class JsonStoreTest(Folder):

    def test_a_write_is_recorded_like_javas_with_surface_python(self):
        path = os.path.join(self.dir, "sub", "config.json")
        config = self.config("json:" + path)
        config.set("server.port", 8080)
        config.set("server.port", 9090)
        config.unset("server.port")
        config.set("plant.name", "Fern")
        with open(path, encoding="utf-8") as f:
            self.assertEqual(f.read(), '{\n  "plant": {\n    "name": "Fern"\n  }\n}\n')
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(os.path.dirname(path)).st_mode & 0o777, 0o700)
        history = lines(path + ".history.ndjson")
        records = [h for h in history if "key" in h]
        commits = [h for h in history if "commit" in h]
        self.assertEqual([(r["rev"], r["key"], r.get("old"), r.get("new")) for r in records],
                         [(1, "server.port", None, 8080), (2, "server.port", 8080, 9090), (3, "server.port", 9090, None),
                          (4, "plant.name", None, "Fern")])
        self.assertEqual(records[0]["by"], {"surface": "python", "user": "ana", "host": "desk", "pid": os.getpid()})
        self.assertEqual([c["commit"] for c in commits], [1, 2, 3, 4])
        import hashlib
        with open(path, "rb") as f:
            self.assertEqual(commits[-1]["sha256"], hashlib.sha256(f.read()).hexdigest())
        self.assertEqual(config.revision("plant.name"), 4)

    def test_an_edit_by_hand_is_recorded_as_external_before_the_next_write(self):
        path = os.path.join(self.dir, "config.json")
        config = self.config(path)
        config.set("a", 1)
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"a": 2}\n')
        self.assertEqual(config.revision("a"), 2)
        config.set("b", True)
        records = [h for h in lines(path + ".history.ndjson") if "key" in h]
        self.assertEqual([(r["rev"], r["by"], r["key"], r.get("old"), r.get("new")) for r in records][1],
                         (2, "external", "a", 1, 2))
        self.assertEqual(records[2]["rev"], 3)

    def test_a_store_holding_a_profiles_keys_reads_and_writes_beside_them(self):
        # Java writes a profile's keys under "%dev" (docs/references.md); a store holding them stays readable here
        path = os.path.join(self.dir, "config.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"%dev": {"port": 8081}, "port": 8080}\n')
        config = self.config(path)
        self.assertEqual(config.value("port"), 8080)
        self.assertEqual(config.value("%dev.port"), 8081)
        config.set("%dev.host", "dev-db")
        with open(path, encoding="utf-8") as f:
            self.assertIn('"%dev"', f.read())
        with self.assertRaises(InvalidKeyError):
            config.set("a.%dev", 1)

    def test_compare_and_set(self):
        config = self.config(os.path.join(self.dir, "c.json"))
        config.set("lock", "alice", if_revision=ABSENT)
        with self.assertRaises(RevisionConflictError) as caught:
            config.set("lock", "bob", if_revision=ABSENT)
        self.assertIn("conflict on lock: expected revision 0 (absent) but it is at 1", str(caught.exception))
        config.set("lock", "bob", if_revision=1)
        self.assertEqual(config.value("lock"), "bob")

    def test_the_leaf_rule(self):
        config = self.config(os.path.join(self.dir, "c.json"))
        config.set("a.b", 1)
        with self.assertRaises(KeyConflictError):
            config.set("a", 1)
        with self.assertRaises(KeyConflictError):
            config.set("a.b.c", 1)
        with self.assertRaises(InvalidKeyError):
            config.set("a..b", 1)

    def test_quoted_key_segments_are_written_as_java_writes_them(self):
        path = os.path.join(self.dir, "q.json")
        config = self.config(path, environ={"USER": "ana", "HOSTNAME": "desk", "APP_TARGET_CFG_UNIX__LIBC": "9"})
        config.set("target.'cfg(unix)'.libc", "0.2")
        config.set('"x.y"."~"', 1)
        with self.assertRaises(KeyConflictError):
            config.set('"x.y"', 2)
        config.set("x.y", 3)  # another key: segments x and y
        with open(path, encoding="utf-8") as f:
            self.assertEqual(_json.parse(f.read()), {"target": {"cfg(unix)": {"libc": "0.2"}}, "x.y": {"~": 1}, "x": {"y": 3}})
        self.assertEqual(config.value('target."cfg(unix)".libc'), "0.2")
        self.assertIsNone(config.env_variable("target.'cfg(unix)'.libc"))
        self.assertEqual([f.key for f in config.list("target.'cfg(unix)'")], ['target."cfg(unix)".libc'])
        with self.assertRaises(InvalidKeyError):
            config.set("target.'cfg(unix)", 1)
        sqlite = os.path.join(self.dir, "q.db")
        SqliteStoreTest.create(self, sqlite)
        other = self.config("sqlite:" + sqlite)
        other.set("target.'cfg(unix)'.libc", "0.2")
        connection = sqlite3.connect(sqlite)
        self.assertEqual(connection.execute("SELECT key FROM entries").fetchall(), [('target."cfg(unix)".libc',)])
        connection.close()
        with self.assertRaises(KeyConflictError):
            other.set('target."cfg(unix)"', 1)

    def test_a_broken_file_is_refused_with_its_place_and_never_rewritten(self):
        path = os.path.join(self.dir, "c.json")
        broken = '{\n  "a": 1,\n}\n'
        with open(path, "w", encoding="utf-8") as f:
            f.write(broken)
        config = self.config(path)
        for action in (lambda: config.get("a"), lambda: config.set("b", 2)):
            with self.assertRaises(StoreBrokenError) as caught:
                action()
            self.assertEqual((caught.exception.line, caught.exception.column), (3, 1))
            self.assertTrue(str(caught.exception).startswith(path + ":3:1: "))
        with open(path, encoding="utf-8") as f:
            self.assertEqual(f.read(), broken)
        self.assertFalse(os.path.exists(path + ".history.ndjson"))

    def test_secrets_stay_out_of_plain_text(self):
        config = self.config(os.path.join(self.dir, "c.json"))
        with self.assertRaises(InvalidValueError):
            config.set("db.password", "hunter2")
        config.set("db.password", "${secret:db}")
        env = {"APP_DB_PASSWORD": "from-env"}
        self.assertEqual(self.config(os.path.join(self.dir, "c.json"), environ=env).value("db.password"), "from-env")

    def test_writers_in_four_processes_lose_nothing(self):
        path = os.path.join(self.dir, "race.json")
        context = multiprocessing.get_context("fork")
        workers = [context.Process(target=_writer, args=(path, n, 40)) for n in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(120)
            self.assertEqual(w.exitcode, 0)
        config = self.config(path)
        for n in range(4):
            for i in range(40):
                self.assertEqual(config.value(f"w{n}.k{i}"), i)
        self.assertEqual(config.value("counter"), 160)
        commits = [h["commit"] for h in lines(path + ".history.ndjson") if "commit" in h]
        self.assertEqual(commits, list(range(1, 321)))


def _writer(path, n, count):
    config = Config("app", store=path, environ={}, home="/nonexistent")
    for i in range(count):
        config.set(f"w{n}.k{i}", i)
        while True:
            entry = config.store.get("counter", with_meta=True)
            try:
                config.set("counter", (entry.value if entry else 0) + 1, if_revision=entry.revision if entry else ABSENT)
                break
            except RevisionConflictError:
                continue


class NdjsonStoreTest(Folder):

    def test_each_commit_is_one_line_and_a_torn_tail_is_set_aside(self):
        path = os.path.join(self.dir, "log.ndjson")
        config = self.config("ndjson:" + path)
        config.apply([Change("a", 1), Change("b", [1, {"c": None}])])
        with open(path, "ab") as f:
            f.write(b'{"rev":2,"at":"2026-')
        self.assertEqual(config.value("b"), [1, {"c": None}])
        config.unset("a")
        log = lines(path)
        self.assertEqual([line["rev"] for line in log], [1, 2])
        self.assertEqual(log[1]["changes"], [{"key": "a", "unset": True}])
        self.assertEqual(log[1]["by"]["surface"], "python")
        with open(path + ".broken", "rb") as f:
            self.assertEqual(f.read(), b'{"rev":2,"at":"2026-\n')
        self.assertIsNone(config.get("a"))

    def test_a_damaged_line_is_an_error_with_its_place(self):
        path = os.path.join(self.dir, "log.ndjson")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"rev":1,"changes":[{"key":"a","value":1}]}\n{"rev":2,"changes":[}\n{"rev":3,"changes":[]}\n')
        with self.assertRaises(StoreBrokenError) as caught:
            self.config(path).set("x", 1)
        self.assertEqual(caught.exception.line, 2)


class SecretTest(Folder):
    """``${secret:NAME}`` through a real keyring backend: Debian's python3-keyring with python3-keyrings.alt's
    file backend (PlaintextKeyring, in the test's folder), in Debian's interpreter, where apt installs them
    (scripts/ensure-test-services does). The Secret Service backend, with a secret Java's CLI kept, is
    cli's PythonServicesJarTest."""

    DEBIAN_PYTHON = "/usr/bin/python3"

    def run_python(self, *args, python=DEBIAN_PYTHON):
        import subprocess
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.dir, "XDG_DATA_HOME": os.path.join(self.dir, "data"),
               "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
               "PYTHONPATH": os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")}
        return subprocess.run([python, *args], env=env, cwd=self.dir, capture_output=True, text=True, timeout=60)

    def setUp(self):
        super().setUp()
        self.store = "json:" + os.path.join(self.dir, "c.json")
        self.assertEqual(self.config(self.store).set("db.password", "${secret:db}"), [])

    def test_a_reference_resolves_from_the_keyring(self):
        stored = self.run_python("-c", "import keyring; keyring.set_password('waterfall:app', 'db', 'hunter2 \u00e9')")
        self.assertEqual(stored.returncode, 0, stored.stderr + "\n(scripts/ensure-test-services installs python3-keyring and "
                                                             "python3-keyrings.alt)")
        got = self.run_python("-m", "waterfall_config", "--app", "app", "--store", self.store, "get", "db.password")
        self.assertEqual((got.returncode, got.stdout, got.stderr), (0, "hunter2 \u00e9\n", ""))
        listed = self.run_python("-m", "waterfall_config", "--app", "app", "--store", self.store, "list")
        self.assertNotIn("hunter2", listed.stdout + listed.stderr)

    def test_a_secret_missing_from_the_keyring_is_a_clear_error(self):
        got = self.run_python("-m", "waterfall_config", "--app", "app", "--store", self.store, "get", "db.password")
        self.assertEqual(got.returncode, 3, got.stderr)
        self.assertIn("refers to the secret db, which is not in the system keyring", got.stderr)

    def test_without_the_keyring_module_the_error_says_what_to_install(self):
        script = ("import sys; sys.modules['keyring'] = None\n"  # what an interpreter without the module does on import
                  "from waterfall_config.__main__ import main; sys.exit(main(sys.argv[1:]))")
        got = self.run_python("-c", script, "--app", "app", "--store", self.store, "get", "db.password", python=sys.executable)
        self.assertEqual(got.returncode, 3, got.stderr)
        self.assertIn("keyring module is not installed: apt-get install python3-keyring", got.stderr)


class SqliteStoreTest(Folder):

    def create(self, path):
        connection = sqlite3.connect(path)
        with open(SCHEMA, encoding="utf-8") as f:
            connection.executescript(f.read())
        connection.close()

    def test_a_write_is_one_transaction_with_its_history_rows(self):
        path = os.path.join(self.dir, "app.db")
        self.create(path)
        config = self.config("sqlite:" + path)
        config.set("a", Number("1.50"))
        config.set("a", "x")
        config.unset("a")
        config.set("b.c", [1, 2])
        connection = sqlite3.connect(path)
        rows = connection.execute("SELECT revision, key, old_value, new_value, by_surface FROM history ORDER BY id").fetchall()
        self.assertEqual(rows, [(1, "a", None, "1.50", "python"), (2, "a", "1.50", '"x"', "python"), (3, "a", '"x"', None, "python"),
                                (4, "b.c", None, "[1,2]", "python")])
        self.assertEqual(connection.execute("SELECT revision FROM namespaces WHERE namespace = 'app'").fetchone(), (4,))
        connection.close()
        self.assertEqual(config.get("b.c").origin.source, f"sqlite:{path}?namespace=app")
        with self.assertRaises(RevisionConflictError):
            config.set("b.c", 1, if_revision=3)

    def schema(self, path):
        connection = sqlite3.connect(path)
        try:
            return connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
        finally:
            connection.close()

    def test_the_schema_copy_is_javas_migration_byte_for_byte(self):
        from waterfall_config import _sqlite_schema
        with open(SCHEMA, encoding="utf-8", newline="") as f:
            self.assertEqual(_sqlite_schema.V1, f.read())

    def test_a_new_database_gets_javas_schema_in_the_first_writes_transaction(self):
        path = os.path.join(self.dir, "new", "app.db")
        self.assertEqual(self.config("sqlite:" + path).apply([Change("a.b", Number("1.50"))]), 1)
        reference = os.path.join(self.dir, "reference.db")
        self.create(reference)  # the migration script as Java's Flyway runs it
        made = [row for row in self.schema(path) if not row[2].startswith("flyway_")]
        self.assertEqual(made, self.schema(reference))
        connection = sqlite3.connect(path)
        try:
            flyway = connection.execute('SELECT installed_rank, version, description, type, script, checksum, success'
                                        ' FROM flyway_schema_history').fetchall()
            history = connection.execute("SELECT revision, key, old_value, new_value, by_surface FROM history").fetchall()
        finally:
            connection.close()
        # The checksum Flyway 10 computes for the V1 script: a database Java made holds the same row.
        self.assertEqual(flyway, [(1, "1", "entries history namespaces", "SQL", "V1__entries_history_namespaces.sql", 1359459886, 1)])
        self.assertEqual(history, [(1, "a.b", None, "1.50", "python")])

    def test_a_first_write_that_fails_leaves_the_new_database_without_tables(self):
        path = os.path.join(self.dir, "app.db")
        with self.assertRaises(RevisionConflictError):
            self.config("sqlite:" + path).apply([Change("a", 1), Change("b", 2, expected=5)])
        self.assertEqual(self.schema(path), [])
        self.config("sqlite:" + path).set("a", 1)
        self.assertEqual(self.config("sqlite:" + path).get("a").value, 1)

    def test_a_database_with_other_tables_is_refused_and_left_alone(self):
        path = os.path.join(self.dir, "other.db")
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE orders (id INTEGER)")
        connection.commit()
        connection.close()
        with self.assertRaises(StoreBrokenError) as caught:
            self.config("sqlite:" + path).set("a", 1)
        self.assertIn("not Waterfall's (orders)", str(caught.exception))
        self.assertEqual([row[1] for row in self.schema(path)], ["orders"])

    def test_reading_a_missing_database_creates_nothing(self):
        path = os.path.join(self.dir, "none", "app.db")
        self.assertIsNone(self.config("sqlite:" + path).get("a"))
        self.assertFalse(os.path.exists(os.path.dirname(path)))


class TomlStoreTest(Folder):

    def test_reads_tables_numbers_and_lines(self):
        path = os.path.join(self.dir, "c.toml")
        with open(path, "w", encoding="utf-8") as f:
            f.write('# comment\ntitle = "x"\n[server]\nport = 8080\nratio = 1.50\n')
        config = self.config(path)
        self.assertEqual(config.get("server.port").origin.line, 4)
        self.assertEqual(_json.dumps(config.value("server.ratio")), "1.50")
        with open(path, "w", encoding="utf-8") as f:
            f.write('a = \n')
        with self.assertRaises(StoreBrokenError) as caught:
            config.get("a")
        self.assertEqual(caught.exception.line, 1)

    def test_quoted_keys_are_read_under_their_written_form_and_line_with_no_variable(self):
        path = os.path.join(self.dir, "Cargo.toml")
        with open(path, "w", encoding="utf-8") as f:
            f.write('"~" = 1\n"a\\"b" = 2\n[target.\'cfg(unix)\'.dependencies]\nlibc = "0.2"\n\n'
                    '[ project . entry-points . "x.y" ]\nrun = "m:f"\n')
        config = self.config(path, environ={"USER": "ana", "APP_TARGET_CFG_UNIX__DEPENDENCIES_LIBC": "9"})
        libc = config.get("target.'cfg(unix)'.dependencies.libc")
        self.assertEqual((libc.key, libc.value, libc.origin.line), ('target."cfg(unix)".dependencies.libc', "0.2", 4))
        self.assertEqual(config.get('project.entry-points."x.y".run').origin.line, 7)
        self.assertEqual(config.get('"~"').origin.line, 1)
        self.assertEqual(config.get("'a\"b'").key, '"a\\"b"')
        self.assertEqual(sorted(f.key for f in config.list()),
                         ['"a\\"b"', '"~"', 'project.entry-points."x.y".run', 'target."cfg(unix)".dependencies.libc'])


class CommandLineTest(Folder):

    def run_cli(self, *args, env=None):
        out, err = io.StringIO(), io.StringIO()
        code = main(list(args), out, err, env if env is not None else {"HOME": self.dir})
        return code, out.getvalue(), err.getvalue()

    def test_get_set_list_explain_and_exit_codes(self):
        store = os.path.join(self.dir, "c.json")
        self.assertEqual(self.run_cli("--store", store, "set", "server.port", "8080")[0], 0)
        self.assertEqual(self.run_cli("--store", store, "set", "name", "Fern")[0], 0)
        self.assertEqual(self.run_cli("get", "server.port", "--store", store), (0, "8080\n", ""))
        self.assertEqual(self.run_cli("--store", store, "get", "name"), (0, "Fern\n", ""))
        self.assertEqual(self.run_cli("--store", store, "get", "nope")[0], 1)
        self.assertEqual(self.run_cli("--store", store, "list")[1], 'name = "Fern"       # store\nserver.port = 8080  # store\n')
        code, out, _ = self.run_cli("--store", store, "explain", "server.port", env={"WATERFALL_SERVER_PORT": "9090"})
        self.assertEqual(code, 0)
        self.assertIn("server.port = 9090  from env WATERFALL_SERVER_PORT", out)
        self.assertIn(f"  store     8080  json:{store}:3", out)
        self.assertEqual(self.run_cli("--store", store, "set", "a..b", "1")[0], 2)
        self.assertEqual(self.run_cli("--store", store, "bogus")[0], 2)
        self.assertEqual(self.run_cli("--store", store, "set", "name", "x", "--if-revision", "0")[0], 4)
        with open(store, "w", encoding="utf-8") as f:
            f.write("{")
        code, _, err = self.run_cli("--store", store, "get", "name")
        self.assertEqual(code, 3)
        self.assertTrue(err.startswith(f"waterfall: {store}:1:2: "), err)


if __name__ == "__main__":
    unittest.main()
