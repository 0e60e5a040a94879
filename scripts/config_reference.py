"""Print the key reference of config/README.md from the config schema.

    python scripts/config_reference.py > keys.md
    python scripts/config_reference.py --write     # replace the table in config/README.md

The README keeps hand-written explanations above the generated table; the test
tests/unit/test_config.py checks that every schema key is listed there.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from greenindex.config import load_schema, resolve_ref


def keys(schema: dict, node: dict | None = None, prefix: str = "") -> list[tuple[str, dict]]:
    """(dotted key, schema node) for every leaf and object key, in schema order."""
    node = resolve_ref(schema, node or schema)
    out = []
    for k, sub in node.get("properties", {}).items():
        sub = resolve_ref(schema, sub)
        path = f"{prefix}{k}"
        out.append((path, sub))
        if sub.get("type") == "object" and "properties" in sub:
            out.extend(keys(schema, sub, path + "."))
    return out


def _fmt(v: object) -> str:
    return "`" + json.dumps(v, ensure_ascii=False) + "`"


def table() -> str:
    """The key table (Markdown) of every leaf key of the schema shipped in the package."""
    schema = load_schema()
    lines = ["| key | default | allowed | description |", "|---|---|---|---|"]
    for path, node in keys(schema):
        if node.get("type") == "object" and "properties" in node:
            continue
        allowed = ""
        if "enum" in node:
            allowed = " \\| ".join(str(v) for v in node["enum"])
        elif "oneOf" in node:
            allowed = " or ".join(
                ", ".join(map(str, o.get("enum", []))) or o.get("type", "") for o in node["oneOf"]
            )
        else:
            t = node.get("type", "")
            allowed = " or ".join(t) if isinstance(t, list) else str(t)
        desc = str(node.get("description", "")).replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{path}` | {_fmt(node.get('default'))} | {allowed} | {desc} |")
    return "\n".join(lines) + "\n"


def write(readme: Path) -> None:
    """Replace the key table of ``readme`` (the run of lines starting ``| key | default``)."""
    lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, s in enumerate(lines) if s.startswith("| key | default |"))
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    readme.write_text("".join(lines[:start]) + table() + "".join(lines[end:]), encoding="utf-8")


def main() -> None:
    if "--write" in sys.argv[1:]:
        write(Path(__file__).resolve().parents[1] / "config" / "README.md")
    else:
        sys.stdout.write(table())


if __name__ == "__main__":
    sys.exit(main())
