"""The Python side of the cross-language tests run from Java (cli's CrossLanguageJarTest), as a process:

    crossproc.py distinct URI PREFIX COUNT    set PREFIX.k0 .. PREFIX.k(COUNT-1) to their index, one write each
    crossproc.py counter URI KEY COUNT        increment KEY COUNT times with compare-and-set and retry
    crossproc.py read URI STOPFILE            read the whole store again and again until STOPFILE exists; a
                                              read that fails to parse (a torn file) exits 1; prints "reads N"
    crossproc.py setmany URI FILE             set each "KEY<TAB>JSON" line of FILE, one write each
    crossproc.py dump URI                     print "KEY<TAB>JSON" for every entry, sorted
    crossproc.py get URI KEY                  print the value as JSON; a broken store exits 3 with the error

Writes are made as surface "python"; prints "ready" when the store is open, so the Java side can
start every writer at once."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from waterfall_config import ABSENT, Config, RevisionConflictError, StoreBrokenError, _json  # noqa: E402


def open_config(uri):
    return Config("contract", store=uri, environ={k: v for k, v in os.environ.items() if not k.startswith("CONTRACT_")})


def increment(config, key):
    while True:
        entry = config.store.get(key, with_meta=True)
        try:
            config.set(key, (entry.value if entry else 0) + 1, if_revision=entry.revision if entry else ABSENT)
            return
        except RevisionConflictError:
            continue


def main(args):
    mode, uri = args[0], args[1]
    config = open_config(uri)
    print("ready", flush=True)
    if mode == "distinct":
        for i in range(int(args[3])):
            config.set(f"{args[2]}.k{i}", i)
    elif mode == "counter":
        for _ in range(int(args[3])):
            increment(config, args[2])
    elif mode == "read":
        reads = 0
        while not os.path.exists(args[2]):
            try:
                config.store.entries()
            except StoreBrokenError as e:
                print(f"torn read: {e}", flush=True)
                return 1
            reads += 1
        print(f"reads {reads}", flush=True)
    elif mode == "setmany":
        with open(args[2], encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    key, text = line.rstrip("\n").split("\t", 1)
                    config.set(key, _json.parse(text))
    elif mode == "dump":
        for key, entry in sorted(config.store.entries().items()):
            print(f"{key}\t{_json.dumps(entry.value)}")
    elif mode == "get":
        try:
            found = config.get(args[2])
        except StoreBrokenError as e:
            print(f"waterfall: {e}", file=sys.stderr)
            return 3
        print(_json.dumps(None if found is None else found.value))
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
