"""The sha1 of the bytes the API would send (orjson, as jiuye.web.routes.calculator_api.Report) of
every example's full answer, compact answer (`jiuye.answers.compact`) and, where the tree has it,
the compact answer the explainer makes itself (`calculate(..., compact=True)`; else compact() again),
and of `calculate_many` of all examples together (full, compact, direct): a speed change must not
change a byte. Run from the root of the tree to check (it is put first on sys.path):

    cd /tmp/main-tree && /work/wt/X/.venv/bin/python /work/wt/X/bench/answer_bytes.py --dump /tmp/main.json
    cd /work/wt/X && .venv/bin/python bench/answer_bytes.py --compare /tmp/main.json

Each example is answered twice in one process (the second time with every cache warm); both must be
equal, and `expand(compact(full)) == full`. `--compare` exits 1 naming what differs.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def digests() -> dict:
    import orjson
    from jiuye.answers import compact, expand
    from jiuye.examples import example_files, example_name, load_example
    from jiuye.explain import calculate, calculate_many
    from jiuye.model.system import get_system
    option = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
    direct = "compact" in inspect.signature(calculate).parameters
    system = get_system()

    def encode(answer) -> bytes:
        return repr(answer).encode() if isinstance(answer, BaseException) else orjson.dumps(answer, option=option)

    def compacted(answer):
        return answer if isinstance(answer, BaseException) else compact(answer, system)

    out, requests = {}, []
    for path in example_files():
        name = example_name(path)
        situation, on = load_example(path)
        requests.append((situation, on, None))
        rounds = []
        for _ in range(2):
            try:
                full = calculate(situation, on)
                if expand(compact(full, system), system) != full:
                    raise SystemExit(f"{name}: expand(compact(full)) differs from full")
                made = calculate(situation, on, compact=True) if direct else compact(full, system)
                rounds.append((encode(full), encode(compact(full, system)), encode(made)))
            except Exception as error:          # an example that fails must fail the same way
                rounds.append((repr(error).encode(),) * 3)
        if rounds[0] != rounds[1]:
            raise SystemExit(f"{name}: a second answer differs from the first")
        out[name] = dict(zip(("full", "compact", "direct"), map(_sha1, rounds[0])))
    many = calculate_many(requests)
    made = calculate_many(requests, compact=True) if direct else [compacted(a) for a in many]
    out["(calculate_many of all)"] = {"full": _sha1(b"".join(map(encode, many))),
                                      "compact": _sha1(b"".join(encode(compacted(a)) for a in many)),
                                      "direct": _sha1(b"".join(map(encode, made)))}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--dump", type=Path)
    group.add_argument("--compare", type=Path)
    args = parser.parse_args()
    found = digests()
    everything = _sha1(json.dumps(found, sort_keys=True).encode())
    if args.dump:
        args.dump.write_text(json.dumps(found, sort_keys=True, indent=1), encoding="utf-8")
        print(f"{len(found) - 1} examples dumped to {args.dump}; all: {everything}")
        return
    expected = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = sorted(k for k in set(found) | set(expected) if found.get(k) != expected.get(k))
    if differ:
        print(f"{len(differ)} of {len(expected)} differ: {', '.join(differ)}")
        raise SystemExit(1)
    print(f"{len(found) - 1} examples and calculate_many of all: every byte equal; all: {everything}")


if __name__ == "__main__":
    main()
