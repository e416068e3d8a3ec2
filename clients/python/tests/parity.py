"""Runs the shared resolution cases (clients/parity/cases.json) with the Python client.

    python3 clients/python/tests/parity.py clients/parity/cases.json

prints one JSON line per case: {"name": ..., "result": null | {"value", "layer", "source", "line"}}
with $DIR standing for the case's folder, so Java's ClientParityTest compares them with what it
expects; test_parity.py checks them here."""

import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from waterfall_config import Config, _json  # noqa: E402


def _write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def run_case(case, folder):
    """The case's key resolved in ``folder``: None, or a dict with value, layer, source and line."""
    def here(text):
        return text.replace("$DIR", folder)
    env = {name: here(value) for name, value in case.get("env", {}).items()}
    home = os.path.join(folder, "home")
    os.makedirs(home, exist_ok=True)
    store_file = here(case.get("storeFile", "$DIR/store.json"))
    if "store" in case:
        _write(store_file, case["store"])
    store_uri = case.get("storeUri", "json:$DIR/store.json")
    system = None
    if "system" in case:
        system = os.path.join(folder, "system.json")
        _write(system, case["system"])
    elif "systemPath" in case:
        system = here(case["systemPath"])
    defaults = None
    if "defaults" in case:
        defaults = here(case.get("defaultsFile", "$DIR/defaults.json"))
        _write(defaults, case["defaults"])
    config = Config(case["app"], store=None if store_uri is None else here(store_uri), environ=env, home=home,
                    system_file=system, defaults=defaults, os_name=case.get("os", "Linux"))
    found = config.get(case["key"])
    if found is None:
        return None
    return {"value": found.value, "layer": found.origin.layer,
            "source": found.origin.source.replace(folder, "$DIR"), "line": found.origin.line}


def load(path):
    with open(path, encoding="utf-8") as f:
        return _json.parse(f.read())["cases"]


def main(path):
    for case in load(path):
        with tempfile.TemporaryDirectory(prefix="wf-parity-") as folder:
            folder = os.path.realpath(folder)
            result = run_case(case, folder)
        print(_json.dumps({"name": case["name"], "result": result}))


if __name__ == "__main__":
    main(sys.argv[1])
