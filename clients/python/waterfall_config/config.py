"""The waterfall: environment variable > the user's store > an optional system file > defaults, key by
key, highest first, with the same names and places as Waterfall's Java library (config-api's
``Waterfall``), so a Python program and a Java one agree on every value and where it came from."""

import os
import sys

from . import _json, _model, stores
from .errors import SecretError, StoreBrokenError, StoreUnavailableError, WaterfallError


class Origin:
    """Where a value came from: the layer (``env``, ``store``, ``system``, ``defaults``), its source
    (the variable, the store's location, the file) and the line (0 when there is none)."""

    __slots__ = ("layer", "source", "line")

    def __init__(self, layer, source, line=0):
        self.layer = layer
        self.source = source
        self.line = line

    def __str__(self):
        return f"{self.layer} {self.source}" + (f":{self.line}" if self.line > 0 else "")

    def __repr__(self):
        return f"Origin({self.layer!r}, {self.source!r}, {self.line})"

    def __eq__(self, other):
        return isinstance(other, Origin) and (self.layer, self.source, self.line) == (other.layer, other.source, other.line)


class Resolved:
    """A key's winning value and its origin; ``secret`` names the secret a ``${secret:NAME}`` stood for;
    ``entry`` is the store's entry when the store won (revision, author)."""

    __slots__ = ("key", "value", "origin", "secret", "entry")

    def __init__(self, key, value, origin, secret=None, entry=None):
        self.key = key
        self.value = value
        self.origin = origin
        self.secret = secret
        self.entry = entry

    def __repr__(self):
        return f"Resolved({self.key!r}, {self.value!r}, {self.origin!r})"


class LayerValue:
    """One layer's part in an explanation: its source, whether it is configured, its value if any."""

    __slots__ = ("layer", "source", "configured", "present", "value", "line")

    def __init__(self, layer, source, configured, present, value, line):
        self.layer, self.source, self.configured, self.present, self.value, self.line = layer, source, configured, present, value, line


class Explanation:
    __slots__ = ("key", "variable", "layers", "winner")

    def __init__(self, key, variable, layers, winner):
        self.key, self.variable, self.layers, self.winner = key, variable, layers, winner


def config_directory(app, environ, home, os_name=None):
    """The app's configuration folder on this platform (DefaultLocations.configDirectory)."""
    os_name = (os_name or _os_name()).lower()
    if os_name.startswith("windows"):
        app_data = environ.get("APPDATA")
        base = app_data if app_data and app_data.strip() else os.path.join(home, "AppData", "Roaming")
        return os.path.join(base, app)
    if os_name.startswith("mac") or os_name.startswith("darwin"):
        return os.path.join(home, "Library", "Application Support", app)
    xdg = environ.get("XDG_CONFIG_HOME")
    if xdg and xdg.strip() and os.path.isabs(xdg):
        return os.path.join(xdg, app)
    return os.path.join(home, ".config", app)


def _os_name():
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "mac os x"
    return "linux"


class _FileLayer:
    """A read-only layer: the system file (missing means empty) or a defaults file (must exist)."""

    def __init__(self, path, optional):
        self.source = path
        self.path = path
        self.optional = optional

    def values(self):
        data = None
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            if self.optional:
                return {}, {}
            raise StoreUnavailableError(f"{self.path} does not exist; create it or stop naming it") from None
        except OSError as e:
            raise StoreUnavailableError(f"cannot read {self.path}: {e.strerror}") from None
        extension = self.path.rsplit(".", 1)[-1].lower() if "." in os.path.basename(self.path) else ""
        if extension == "json":
            lines = {}
            tree = stores.parse_json_document(data, self.path, lines)
            return stores._flatten(tree, "", {}), lines
        if extension == "toml":
            tree = stores.parse_toml_document(data, self.path)
            return stores._flatten(tree, "", {}), stores._toml_lines(data, tree)
        raise WaterfallError(f"cannot read {os.path.basename(self.path)}: the Python client reads .json and .toml layer files")


class _ValuesLayer:
    def __init__(self, values):
        self.source = "(built-in defaults)"
        flat = {}
        for key, value in values.items():
            key = _model.check_key(key)
            if isinstance(value, dict):
                stores._flatten(value, key + ".", flat)
            else:
                _model.check_value(value)
                flat[key] = value
        self._values = flat

    def values(self):
        return self._values, {}


class Config:
    """An application's configuration, resolved key by key through the waterfall.

    ``app`` names the default store's folder and the environment prefix (``my-app`` reads
    ``MY_APP_*``). ``store`` is a URI (``json:PATH``, ``ndjson:PATH``, ``toml:PATH``,
    ``sqlite:PATH``, ``postgresql://...``, or a bare path), else ``<PREFIX>_STORE``, else the
    platform's default JSON file. ``environ`` (default ``os.environ``) and ``home`` (default ``$HOME``)
    are parameters so tests never touch the real ones. ``system_file`` is an optional read-only
    file (missing means empty); ``defaults`` a file path or a dict of dotted keys.

    Every read is fresh: another process's write is seen by the next ``get``.
    """

    def __init__(self, app, store=None, environ=None, home=None, system_file=None, defaults=None,
                 env_prefix=None, surface="python", os_name=None):
        self.app = _model.check_app(app)
        self.environ = dict(os.environ if environ is None else environ)
        self.home = home if home is not None else (self.environ.get("HOME") or os.path.expanduser("~"))
        self.env_prefix = env_prefix or _model.normalize_env(app)
        self.actor = _model.identity(self.environ, surface)
        self.config_dir = config_directory(app, self.environ, self.home, os_name)
        if store is None:
            from_env = self.environ.get(self.env_prefix + "_STORE")
            if from_env is not None and from_env.strip():
                store = from_env
            else:
                store = "json:" + os.path.join(self.config_dir, "config.json")
        self.store_uri = store
        self.store = stores.open_store(store, app, self.home, self.actor)
        self.system = None if system_file is None else _FileLayer(stores.resolve_path(str(system_file), self.home), True)
        if defaults is None:
            self.defaults = None
        elif isinstance(defaults, dict):
            self.defaults = _ValuesLayer(defaults)
        else:
            self.defaults = _FileLayer(stores.resolve_path(str(defaults), self.home), False)

    # ------------------------------------------------------------------ names

    def env_variable(self, key):
        """The variable that overrides ``key``: ``<PREFIX>_<KEY>``; None for a key with a quoted segment."""
        return _model.env_name(self.env_prefix, _model.check_key(key))

    def reserved_variables(self):
        p = self.env_prefix
        return {p + "_STORE", p + "_SECRETS", p + "_SECRETS_FILE", p + "_SECRETS_PASSPHRASE"}

    def _env_text(self, key):
        variable = self.env_variable(key)
        if variable is None or variable in self.reserved_variables():
            return variable, None
        return variable, self.environ.get(variable)

    # ------------------------------------------------------------------ reading

    def _unresolved(self, key):
        variable, env_text = self._env_text(key)
        entry = self.store.get(key, with_meta=True)
        lower = None
        if entry is not None:
            lower = Resolved(key, entry.value, Origin("store", self.store.location, entry.line), entry=entry)
        else:
            for layer, kind in ((self.system, "system"), (self.defaults, "defaults")):
                if layer is None:
                    continue
                values, lines = layer.values()
                if key in values:
                    lower = Resolved(key, values[key], Origin(kind, layer.source, lines.get(key, 0)))
                    break
        if env_text is None:
            return lower
        value = env_text if lower is not None and isinstance(lower.value, str) else _model.parse_literal(env_text)
        return Resolved(key, value, Origin("env", variable, 0))

    def get(self, key):
        """The winning value of ``key`` and its origin (a :class:`Resolved`), or None. A value that is
        exactly ``${secret:NAME}`` is replaced by the secret NAME from the system keyring."""
        found = self._unresolved(_model.check_key(key))
        if found is None:
            return None
        name = _model.secret_reference(found.value)
        if name is None:
            return found
        return Resolved(key, self._secret(key, name, found.origin), found.origin, secret=name, entry=found.entry)

    def value(self, key, default=None):
        """Just the value of ``key`` (secrets resolved), or ``default``."""
        found = self.get(key)
        return default if found is None else found.value

    def _secret(self, key, name, origin):
        try:
            import keyring
        except ImportError:
            raise SecretError(f"{key} refers to the secret {name} ({origin}), but the keyring module is not installed: "
                              f"apt-get install python3-keyring (or pip install keyring), or set {self.env_variable(key)} "
                              "to override the key") from None
        try:
            secret = keyring.get_password("waterfall:" + self.app, name)
        except Exception as e:  # keyring backends raise their own types
            raise SecretError(f"{key} refers to the secret {name}, but the system keyring cannot be read ({e}); "
                              f"set {self.env_variable(key)} to override the key") from None
        if secret is None:
            raise SecretError(f"{key} refers to the secret {name}, which is not in the system keyring; "
                              f"add it (`waterfall secret set {name}`)")
        return secret

    def list(self, prefix=""):
        """Every key the store, the system file or the defaults know, under ``prefix`` if given, sorted,
        resolved; ``${secret:NAME}`` references are left as they are."""
        keys = set(self.store.entries())
        for layer in (self.system, self.defaults):
            if layer is not None:
                keys.update(layer.values()[0])
        if prefix:
            prefix = _model.check_key(prefix)
            keys = {k for k in keys if k == prefix or k.startswith(prefix + ".")}
        result = []
        for key in sorted(keys):
            found = self._unresolved(key)
            if found is not None:
                result.append(found)
        return result

    def explain(self, key):
        """Every layer's value for ``key``, the winner and the exact variable name."""
        key = _model.check_key(key)
        variable, env_text = self._env_text(key)
        layers = [LayerValue("env", variable or "", variable is not None, env_text is not None, env_text, 0)]
        entry = self.store.get(key, with_meta=True)
        layers.append(LayerValue("store", self.store.location, True, entry is not None,
                                 None if entry is None else entry.value, 0 if entry is None else entry.line))
        for layer, kind in ((self.system, "system"), (self.defaults, "defaults")):
            if layer is None:
                layers.append(LayerValue(kind, "", False, False, None, 0))
            else:
                values, lines = layer.values()
                layers.append(LayerValue(kind, layer.source, True, key in values, values.get(key), lines.get(key, 0)))
        return Explanation(key, variable, layers, self._unresolved(key))

    # ------------------------------------------------------------------ writing

    def _warnings(self, key):
        variable = self.env_variable(key)
        if variable in self.reserved_variables() or variable not in self.environ:
            return []
        return [f"the environment variable {variable} is set and overrides the stored value of {key}; "
                f"unset {variable} for the store's value to take effect"]

    def set(self, key, value, if_revision=stores.ANY):
        """Sets ``key`` in the user's store, durably; returns the warnings (an environment variable
        that shadows the key). ``if_revision`` makes it a compare-and-set (0: only if absent)."""
        self.store.apply([stores.Change(key, value, expected=if_revision)])
        return self._warnings(key)

    def unset(self, key, if_revision=stores.ANY):
        """Removes ``key`` from the user's store, so lower layers show through again."""
        self.store.apply([stores.Change(key, unset=True, expected=if_revision)])
        return self._warnings(key)

    def apply(self, changes):
        """Applies several :class:`stores.Change` in one commit; returns the store revision."""
        return self.store.apply(changes)

    def revision(self, key):
        """The revision of ``key`` in the store (0 when absent), for a compare-and-set."""
        entry = self.store.get(_model.check_key(key), with_meta=True)
        return 0 if entry is None else entry.revision


def show(value):
    """A value as the CLI prints it: compact JSON (strings quoted)."""
    return _json.dumps(value)
