"""``python3 -m waterfall_config [--app A] [--store URI] [--system-file F] [--defaults F] [--json]
get|set|unset|list|explain ...``: the Java CLI's commands of the same names, with its output
formats and exit codes (0 ok, 1 not found, 2 usage, 3 broken or unreachable store, 4 conflict)."""

import argparse
import sys

from . import _json, _model
from .config import Config
from .errors import (InvalidKeyError, InvalidValueError, KeyConflictError, RevisionConflictError, SecretError,
                     StoreBrokenError, StoreUnavailableError, WaterfallError)
from .stores import ANY, describe_actor


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _Usage(message)


def _parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--app", default=argparse.SUPPRESS)
    common.add_argument("--store", default=argparse.SUPPRESS)
    common.add_argument("--system-file", default=argparse.SUPPRESS)
    common.add_argument("--defaults", default=argparse.SUPPRESS)
    common.add_argument("--env-prefix", default=argparse.SUPPRESS)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    parser = _Parser(prog="python3 -m waterfall_config", parents=[common],
                     description="Read and write a Waterfall configuration from Python.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    get = commands.add_parser("get", parents=[common], help="print a key's winning value")
    get.add_argument("key")
    put = commands.add_parser("set", parents=[common], help="set a key in the store (JSON if VALUE is JSON, else a string)")
    put.add_argument("key")
    put.add_argument("value")
    put.add_argument("--if-revision", type=int, default=ANY)
    put.add_argument("--string", action="store_true", help="store VALUE as a string even if it looks like JSON")
    remove = commands.add_parser("unset", parents=[common], help="remove a key from the store")
    remove.add_argument("key")
    remove.add_argument("--if-revision", type=int, default=ANY)
    listing = commands.add_parser("list", parents=[common], help="every known key with its value and layer")
    listing.add_argument("prefix", nargs="?", default="")
    explain = commands.add_parser("explain", parents=[common], help="every layer's value of a key")
    explain.add_argument("key")
    return parser


def _resolved_json(found):
    out = {"key": found.key, "value": found.value, "type": _model.type_label(found.value),
           "origin": {"layer": found.origin.layer, "source": found.origin.source, "line": found.origin.line}}
    entry = found.entry
    if entry is not None and found.origin.layer == "store":
        out["revision"] = entry.revision
        out["updatedAt"] = entry.at
        out["updatedBy"] = entry.by if isinstance(entry.by, dict) else "external"
    return out


def _run(args, out, err, environ):
    options = vars(args)
    config = Config(options.get("app", "waterfall"), store=options.get("store"), environ=environ,
                    system_file=options.get("system_file"), defaults=options.get("defaults"),
                    env_prefix=options.get("env_prefix"))
    as_json = options.get("json", False)
    if args.command == "get":
        found = config.get(args.key)
        if found is None:
            err.write(f"waterfall: {args.key} is not set in any layer (see `explain {args.key}`)\n")
            return 1
        if as_json:
            out.write(_json.dumps(_resolved_json(found), indent="  ") + "\n")
        else:
            out.write((found.value if isinstance(found.value, str) else _json.dumps(found.value)) + "\n")
        return 0
    if args.command in ("set", "unset"):
        if args.command == "set":
            value = args.value if args.string else _model.parse_literal(args.value)
            warnings = config.set(args.key, value, args.if_revision)
        else:
            warnings = config.unset(args.key, args.if_revision)
        for warning in warnings:
            err.write(f"waterfall: warning: {warning}\n")
        if as_json:
            result = {"key": args.key, "warnings": warnings}
            entry = config.store.get(args.key, with_meta=True)
            if args.command == "set" and entry is not None:
                result.update({"value": entry.value, "type": _model.type_label(entry.value), "revision": entry.revision,
                               "updatedAt": entry.at, "updatedBy": entry.by})
            out.write(_json.dumps(result, indent="  ") + "\n")
        return 0
    if args.command == "list":
        found = config.list(args.prefix)
        if as_json:
            out.write(_json.dumps([_resolved_json(f) for f in found], indent="  ") + "\n")
            return 0
        if not found:
            err.write("waterfall: no keys\n")
        rows = [(f"{f.key} = {_json.dumps(f.value)}", f.origin.layer) for f in found]
        width = max((len(r[0]) for r in rows), default=0)
        for text, layer in rows:
            out.write(f"{text.ljust(width)}  # {layer}\n")
        return 0
    if args.command == "explain":
        explanation = config.explain(args.key)
        winner = explanation.winner
        if as_json:
            layers = []
            for layer in explanation.layers:
                layers.append({"layer": layer.layer, "source": layer.source, "configured": layer.configured,
                               "value": {"value": layer.value, "type": _model.type_label(layer.value)} if layer.present else None,
                               "line": layer.line, "wins": winner is not None and winner.origin.layer == layer.layer})
            out.write(_json.dumps({"key": args.key, "envVariable": explanation.variable,
                                   "winner": None if winner is None else _resolved_json(winner), "layers": layers}, indent="  ") + "\n")
            return 0 if winner is not None else 1
        if winner is None:
            out.write(f"{args.key} is not set in any layer\n")
        else:
            out.write(f"{args.key} = {_json.dumps(winner.value)}  from {winner.origin}\n")
        hints = {"system": "(no system file given: --system-file FILE)", "defaults": "(no defaults given: --defaults FILE)"}
        for layer in explanation.layers:
            mark = "*" if winner is not None and winner.origin.layer == layer.layer else " "
            shown = _json.dumps(layer.value) if layer.present and layer.layer != "env" else (layer.value if layer.present else "-")
            if not layer.configured:
                source = hints[layer.layer]
            else:
                source = layer.source + (f":{layer.line}" if layer.line > 0 else "")
            out.write(f"{mark} {layer.layer:<9} {shown:<5} {source}\n")
        return 0 if winner is not None else 1
    raise _Usage(f"unknown command {args.command}")


def main(argv=None, out=None, err=None, environ=None):
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parser().parse_args(argv)
        return _run(args, out, err, environ)
    except _Usage as e:
        err.write(f"waterfall: {e}; see `python3 -m waterfall_config --help`\n")
        return 2
    except (InvalidKeyError, InvalidValueError, KeyConflictError) as e:
        err.write(f"waterfall: {e}\n")
        return 2
    except (StoreBrokenError, StoreUnavailableError) as e:
        err.write(f"waterfall: {e}\n")
        return 3
    except RevisionConflictError as e:
        err.write(f"waterfall: {e}\n")
        return 4
    except (SecretError, WaterfallError) as e:
        err.write(f"waterfall: {e}\n")
        return 3


if __name__ == "__main__":
    sys.exit(main())
