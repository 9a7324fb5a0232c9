"""How the code is laid out, measured: the import graph's upward edges and circles, and the path of a figure.

Two measurements, on this tree or on another checkout given with `--tree` (to compare with an older commit):

- **Import graph** (grimp, which reads every import, those inside functions included): project modules,
  imports between them, imports that point up the layer order (`--order`, bottom layer first, `|` between
  layers of the same rank), and circles (groups of modules that import each other, directly or not).
- **Path of a figure** (a profiler on the real page, run by Streamlit's AppTest in a fresh process, cold
  caches, its own store): every call the page makes is recorded; for the calls of the page that end up in
  the figure's module (`growth.py` for the 30-day growth, `shares.py` for a survey share), the project files
  they run through and the hops between files (distinct caller file -> callee file pairs). Also the number
  of survey breakdowns one Surveys run computes.

    python bench/bench_structure.py                       # this tree
    python bench/bench_structure.py --tree ../old --order "survey_model,store,collectors,analysis,exports,dashboard"
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _figures import PROJECT_ROOT, report

ORDER = "survey_model,store,collectors,exports,analysis,cli|dashboard,app_pages"
PAGES = {"growth": ("pulls", "growth.py"), "share": ("surveys", "shares.py")}

GRAPH_PROBE = r"""
import json, sys
import grimp
order = [layer.split("|") for layer in sys.argv[1].split(",")]
rank = {package: number for number, layer in enumerate(order) for package in layer}
graph = grimp.build_graph(*rank, cache_dir=None)
modules = sorted(graph.modules)
edges = [(a, b) for a in modules for b in graph.find_modules_directly_imported_by(a)]
up = [(a, b) for a, b in edges if rank[a.split(".")[0]] < rank[b.split(".")[0]]]
index, low, stack, on, circles, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in graph.find_modules_directly_imported_by(v):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        group = []
        while True:
            w = stack.pop(); on.discard(w); group.append(w)
            if w == v: break
        if len(group) > 1: circles.append(sorted(group))
for v in modules:
    if v not in index: visit(v)
print(json.dumps({"modules": len(modules), "edges": len(edges), "up": up, "circles": circles}))
"""

TRACE_PROBE = r"""
import json, os, sys, threading
from pathlib import Path
root = Path.cwd().resolve()
page, target = sys.argv[1], sys.argv[2]
skip = ("tests", "bench")
known = {}
def project_file(code):
    name = code.co_filename
    if code.co_name == "<module>" or name.startswith("<"):
        return None  # an import, not a step of the figure
    if name not in known:
        try:
            relative = Path(name).resolve().relative_to(root)
            known[name] = None if relative.parts[0] in skip else str(relative)
        except (ValueError, OSError):
            known[name] = None
    return known[name]
nodes, active = [], {}
def profile(frame, event, arg):
    if event == "call":
        name = project_file(frame.f_code)
        if name is None:
            return
        parent, back = None, frame.f_back
        while back is not None:
            if id(back) in active:
                parent = active[id(back)]
                break
            back = back.f_back
        nodes.append((name, frame.f_code.co_name, parent))
        active[id(frame)] = len(nodes) - 1
    elif event == "return":
        active.pop(id(frame), None)
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(str(root / "app.py"), default_timeout=3000)
at.switch_page(f"app_pages/{page}.py") if hasattr(at, "switch_page") else None
threading.setprofile(profile); sys.setprofile(profile)
at.run()
sys.setprofile(None); threading.setprofile(None)
page_file = f"dashboard/page_{page}.py"
children = {}
for number, (name, func, parent) in enumerate(nodes):
    children.setdefault(parent, []).append(number)
def page_call(number):
    while nodes[number][2] is not None and nodes[nodes[number][2]][0] != page_file:
        number = nodes[number][2]
    return number if nodes[number][2] is not None else None
roots = {page_call(n) for n, (name, func, parent) in enumerate(nodes) if name.endswith(target)} - {None}
files, hops, seen = {page_file}, set(), list(roots)
for r in roots:
    hops.add((page_file, nodes[r][0]))
while seen:
    number = seen.pop()
    files.add(nodes[number][0])
    for child in children.get(number, []):
        if nodes[child][0] != nodes[number][0]:
            hops.add((nodes[number][0], nodes[child][0]))
        seen.append(child)
breakdowns = sum(1 for name, func, parent in nodes if name.endswith("shares.py") and func == "breakdown")
errors = [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]
print(json.dumps({"files": sorted(files), "hops": sorted(hops), "breakdowns": breakdowns, "errors": errors}))
"""


def _probe(tree: Path, code: str, *args: str, env: dict | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=tree, capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"probe failed in {tree}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _page_env(scratch: Path) -> dict:
    env = {**os.environ, "ADOPTION_DB": str(scratch / "adoption.db"), "ADOPTION_CACHE_DIR": str(scratch / "cache")}
    env.pop("ADOPTION_DB_URL", None)
    env["PYTHONPATH"] = ""
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=PROJECT_ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--order", default=ORDER, help=f"layers, bottom first, `|` for equals (default: {ORDER})")
    parser.add_argument("--quick", action="store_true", help="the import graph only (the page runs take a minute)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the upward imports, circles and paths")
    args = parser.parse_args()
    graph = _probe(args.tree, GRAPH_PROBE, args.order)
    entry = [edge for edge in graph["up"] if edge[0].endswith(".__main__")]
    report("structure.modules", graph["modules"], "modules")
    report("structure.imports", graph["edges"], "imports")
    report("structure.upward_imports", len(graph["up"]), "imports")
    report("structure.upward_imports_entry_points", len(entry), "imports")
    report("structure.circles", len(graph["circles"]), "circles")
    report("structure.modules_in_circles", sum(len(group) for group in graph["circles"]), "modules")
    if args.verbose:
        print("\n".join(f"up: {a} -> {b}" for a, b in graph["up"]))
        print("\n".join("circle: " + " ".join(group) for group in graph["circles"]))
    if args.quick:
        return 0
    for figure, (page, target) in PAGES.items():
        with tempfile.TemporaryDirectory() as scratch:
            path = _probe(args.tree, TRACE_PROBE, page, target, env=_page_env(Path(scratch)))
        report(f"structure.{figure}_files", len(path["files"]), "files")
        report(f"structure.{figure}_hops", len(path["hops"]), "hops")
        if page == "surveys":
            report("structure.surveys_breakdowns_per_run", path["breakdowns"], "calls")
        if args.verbose:
            print(f"{figure}: " + " ".join(path["files"]))
            print("\n".join(f"  {a} -> {b}" for a, b in path["hops"]))
        if path["errors"]:
            print(f"{figure}: the page showed errors: {path['errors']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
