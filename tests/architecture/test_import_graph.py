"""The import graph between the apps' service and model layers, read from the source.

Views, template tags, admin, forms, URLs, management commands, the AppConfig and the case-file
contributors (`casefile.py`, like admin.py) sit on top and may import anything below them; every
other module is a lower layer, and the apps' lower layers must not import each other in a
circle. `trappen/core` imports no Django (and no app).
"""

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "trappen"
# Module names (one path component) and packages whose modules are the delivery layer.
TOP = {
    "views",
    "templatetags",
    "admin",
    "forms",
    "urls",
    "management",
    "apps",
    "casefile",
    "migrations",
}
# Not an app: the project's own wiring, on top of everything.
PROJECT = {"settings", "urls", "wsgi", "cli", "pgcheck", "__init__"}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        yield ".".join(parts), path


def _is_top(module: str) -> bool:
    parts = module.split(".")[1:]  # without "trappen"
    if len(parts) == 1:
        return parts[0] in PROJECT
    return any(p in TOP for p in parts[1:])


def _imports(module: str, path: Path) -> Iterator[str]:
    """Every module `module` imports, anywhere in the file (lazy imports inside functions
    count: they are the same dependency, only hidden)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield name
            yield from (f"{name}.{alias.name}" for alias in node.names)


def _node(module: str) -> str:
    """An app's layer: `trappen.cases:models` (models.py or a models package) or
    `trappen.cases:services` (every other lower module: services, queries, rules, ...)."""
    parts = module.split(".")
    layer = "models" if "models" in parts[2:] else "services"
    return f"{'.'.join(parts[:2])}:{layer}"


def layer_graph() -> dict[str, dict[str, set[str]]]:
    """layer -> layer it imports -> the modules that do it."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for module, path in _modules():
        if _is_top(module) or "." not in module.removeprefix("trappen."):
            continue
        for name in _imports(module, path):
            if not name.startswith("trappen."):
                continue
            source, target = _node(module), _node(name)
            if target != source and not _is_top(name):
                graph[source][target].add(module)
    return graph


def cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """The strongly connected components with more than one layer (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, {}):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _explain(graph: dict[str, dict[str, set[str]]], component: list[str]) -> str:
    lines = [" <-> ".join(component)]
    for a in component:
        for b in component:
            if b in graph.get(a, {}):
                lines.append(f"  {a} -> {b}: {', '.join(sorted(graph[a][b]))}")
    return "\n".join(lines)


def test_the_lower_layers_of_the_apps_import_each_other_in_no_circle():
    graph = layer_graph()
    found = cycles(graph)
    assert not found, "\n".join(_explain(graph, c) for c in found)


def test_core_imports_neither_django_nor_an_app():
    bad = [
        f"{module}: {name}"
        for module, path in _modules()
        if module.startswith("trappen.core.") or module == "trappen.core"
        for name in _imports(module, path)
        if name.split(".")[0] == "django"
        or (name.startswith("trappen.") and not name.startswith("trappen.core"))
    ]
    assert not bad


def test_the_graph_sees_an_import_hidden_in_a_function(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("def f():\n    from trappen.network.calendar import events_for\n")
    assert "trappen.network.calendar" in set(_imports("trappen.meetings.calendar", path))


def test_a_circle_of_three_apps_is_found():
    graph = {"a": {"b": {"a.x"}}, "b": {"c": {"b.x"}}, "c": {"a": {"c.x"}}, "d": {"a": {"d.x"}}}
    assert cycles(graph) == [["a", "b", "c"]]
