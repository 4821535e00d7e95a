"""Set Danish translations in django.po by msgid and clear their fuzzy flags.

Usage: python scripts/po_set.py FILE.json   (a JSON object msgid -> msgstr)
Used after `make messages` when a handful of texts changed.
"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "trappen/locale/da/LC_MESSAGES/django.po"


def _joined(lines: list[str], key: str) -> str | None:
    out, inside = [], False
    for line in lines:
        if line.startswith(key + " "):
            inside = True
            out.append(line[len(key) + 1 :])
        elif inside and line.startswith('"'):
            out.append(line)
        elif inside:
            break
    if not inside:
        return None
    return "".join(json.loads(part) for part in out)


def main() -> None:
    wanted: dict[str, str] = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    done = set()
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        msgid = _joined(lines, "msgid")
        if msgid is None or msgid not in wanted:
            continue
        keep = []
        for line in lines:
            if line.startswith("#|"):
                continue
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if flags:
                    keep.append("#, " + ", ".join(flags))
                continue
            if line.startswith("msgstr") or (
                keep and keep[-1].startswith("msgstr") and line.startswith('"')
            ):
                if line.startswith("msgstr"):
                    keep.append("msgstr " + json.dumps(wanted[msgid], ensure_ascii=False))
                continue
            keep.append(line)
        blocks[i] = "\n".join(keep)
        done.add(msgid)
    PO.write_text("\n\n".join(blocks), encoding="utf-8")
    missing = set(wanted) - done
    if missing:
        sys.exit(f"not found in django.po: {sorted(missing)}")
    fuzzy = re.findall(r"#, .*fuzzy", PO.read_text(encoding="utf-8"))
    print(f"set {len(done)}; fuzzy entries left: {len(fuzzy)}")


if __name__ == "__main__":
    main()
