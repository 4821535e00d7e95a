"""F7 point 6: every write lives in a service; views, API views and template tags only read,
validate and call a service. Read from the source, so a new write in a view fails here."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "trappen"
# Query and model methods that write.
WRITES = {
    "save",
    "delete",
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}


def _delivery_modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if path.stem == "views" or "views" in parts[:-1] or "templatetags" in parts:
            yield path


def _writes(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, receiver = node.func.attr, node.func.value
        # `x.update(...)` on a plain name is a dict's; on a query (a call or `.objects`) it writes.
        query = isinstance(receiver, ast.Call) or (
            isinstance(receiver, ast.Attribute) and receiver.attr == "objects"
        )
        if name in WRITES or (name == "update" and query):
            yield f"{path.relative_to(ROOT.parent)}:{node.lineno} .{name}()"


def test_the_scan_finds_a_write() -> None:
    tree = "def view(request):\n    Case.objects.filter(pk=1).update(status='x')\n"
    probe = ROOT.parent / "var" / "views.py"
    probe.write_text(tree, encoding="utf-8")
    try:
        assert [w.split(" ")[-1] for w in _writes(probe)] == [".update()"]
    finally:
        probe.unlink()


def test_no_view_writes() -> None:
    found = [w for path in _delivery_modules() for w in _writes(path)]
    assert not found, "writes in views (move them to a service):\n" + "\n".join(found)
