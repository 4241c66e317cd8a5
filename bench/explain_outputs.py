"""Every example's `jiuye.explain.calculate` output, dumped or compared (a speed change must not
change a single result).

    .venv/bin/python bench/explain_outputs.py --dump /tmp/before.json     # at the base commit
    .venv/bin/python bench/explain_outputs.py --compare /tmp/before.json  # on the branch

Each example (jiuye.examples) is calculated twice in one process (the second time with every
per-system cache warm) and both answers must be equal; `--compare` exits 1 naming the examples
whose JSON differs from the dump's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def outputs() -> dict:
    import numpy as np
    from jiuye.examples import example_files, example_name, load_example
    from jiuye.explain import calculate
    out = {}
    with np.errstate(all="ignore"):
        for path in example_files():
            name = example_name(path)
            situation, on = load_example(path)
            texts = []
            for _ in range(2):
                try:
                    texts.append(json.dumps(calculate(situation, on), ensure_ascii=False, sort_keys=True, default=str))
                except Exception as error:          # an example that fails must fail the same way
                    texts.append(json.dumps({"error": repr(error)}, ensure_ascii=False))
            if texts[0] != texts[1]:
                raise SystemExit(f"{name}: a second calculation differs from the first")
            out[name] = json.loads(texts[0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--dump", type=Path)
    group.add_argument("--compare", type=Path)
    args = parser.parse_args()
    found = outputs()
    if args.dump:
        args.dump.write_text(json.dumps(found, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")
        print(f"{len(found)} examples dumped to {args.dump}")
        return
    expected = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = sorted(k for k in set(found) | set(expected) if found.get(k) != expected.get(k))
    if differ:
        print(f"{len(differ)} of {len(expected)} examples differ: {', '.join(differ)}")
        raise SystemExit(1)
    print(f"{len(found)} examples: every result equal")


if __name__ == "__main__":
    main()
