# SPDX-License-Identifier: MIT
"""The package's imports run one way, as docs/architecture.md ("The Python package") draws.

Reads the import statements of every module of `tinygpu/` and of the tests (nothing is
imported or run) and checks:

- each module imports only modules of its own layer or the layers below (LAYERS, the
  machine-checked copy of the diagram), and the imports between modules form no cycle;
- library code never imports a command line (`tinygpu.cli`) or a test;
- tests import the package, never each other;
- every module is named in the architecture document, so the diagram stays whole;
- no file of the repository edits `sys.path` or sets a `pythonpath`.

Pure Python, no simulator.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
from pathlib import Path

from tinygpu.paths import REPO_ROOT, TB_DIR

PACKAGE_DIR = REPO_ROOT / "tinygpu"
ARCHITECTURE_DOC = REPO_ROOT / "docs" / "architecture.md"

# Bottom to top; a module may import its own layer and the layers below it. A module
# not named here fails test_every_module_has_a_layer. Subpackages are named whole.
LAYERS: list[tuple[str, set[str]]] = [
    ("basics", {"paths", "isa", "hexfile", "assembler", "disassembler", "readme", "log"}),
    (
        "models and data",
        {"model", "kernels", "randprog", "configs", "commits", "records", "cycle_budget", "lang", "bus_errors"},
    ),
    ("harness", {"harness", "rtl_patch", "sim", "cocotb_gpu", "cocotb_axi_ram", "engine", "process_cluster"}),
    (
        "checks",
        {
            "checks",
            "lockstep",
            "counter_checks",
            "memory_diff",
            "func_coverage",
            "regressions",
            "lang_check",
            "axi_crosscheck",
        },
    ),
    (
        "campaigns",
        {
            "fuzz",
            "fuzz_cases",
            "lang_fuzz",
            "coverage_report",
            "line_coverage",
            "mutate",
            "bench",
            "run_kernel",
            "lint",
            "gtkwave_save",
            "trace_view",
            "timeline",
            "waveform",
            "formal",
            "synth",
            "cluster_bench",
        },
    ),
    ("command lines", {"cli"}),
]


# ------------------------------------------------------------------ import graph ---


def module_name(path: Path, root: Path = PACKAGE_DIR) -> str:
    """'tinygpu.sim.build' for tinygpu/sim/build.py, 'tinygpu.sim' for its __init__.py."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, name: str) -> set[str]:
    """Absolute names of the modules `path` (module `name`) imports, relative ones resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module
            found.add(prefix)
            # `from . import x` and `from tinygpu import x` may import submodule x.
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def package_graph(root: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    """module -> the package's modules it imports (names without the 'tinygpu.' prefix)."""
    files = {module_name(path, root): path for path in sorted(root.rglob("*.py"))}
    top = root.name
    graph = {}
    for name, path in files.items():
        imports = {m for m in imported_modules(path, name) if m in files and m != name}
        graph[name.removeprefix(f"{top}.")] = {m.removeprefix(f"{top}.") for m in imports}
    return graph


def layer_of(module: str) -> int | None:
    """Index in LAYERS of a module ('sim.build' belongs with 'sim'), None if unlisted."""
    head = module.split(".")[0]
    return next((i for i, (_, names) in enumerate(LAYERS) if head in names), None)


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, imports in sorted(graph.items()):
        for imported in sorted(imports):
            if module == "tinygpu" or layer_of(module) is None or layer_of(imported) is None:
                continue
            if layer_of(imported) > layer_of(module):
                problems.append(
                    f"{module} ({LAYERS[layer_of(module)][0]}) imports {imported} "
                    f"({LAYERS[layer_of(imported)][0]}), a layer above it"
                )
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles (each as a path that comes back to its start), by depth-first search.
    A package's __init__ re-exporting its own submodules is not a cycle."""

    def edges(module: str) -> set[str]:
        return {m for m in graph.get(module, ()) if not module.startswith(f"{m}.")}

    found, state = [], {}  # state: 1 = on the current path, 2 = finished

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(edges(module)):
            if state.get(imported) == 1:
                found.append(path[path.index(imported) :] + [imported])
            elif imported not in state:
                visit(imported, path + [imported])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


# ------------------------------------------------------------------------- tests ---


def test_every_module_has_a_layer():
    unlisted = [m for m in package_graph() if m != "tinygpu" and layer_of(m) is None]
    assert not unlisted, f"modules missing from LAYERS (and the diagram): {unlisted}"


def test_imports_run_downwards_only():
    problems = upward_imports(package_graph())
    assert not problems, "\n".join(problems)


def test_no_import_cycles():
    found = cycles(package_graph())
    assert not found, "import cycles: " + "; ".join(" -> ".join(c) for c in found)


def test_library_never_imports_a_command_line_or_a_test():
    graph = package_graph()
    problems = [
        f"{module} imports {imported}"
        for module, imports in graph.items()
        if not module.startswith("cli")
        for imported in imports
        if imported.startswith("cli")
    ]
    for path in PACKAGE_DIR.rglob("*.py"):
        tests = {
            m
            for m in imported_modules(path, module_name(path))
            if m.split(".")[0] in {"conftest", "tb"} or m.split(".")[0].startswith("test_")
        }
        problems += [f"{module_name(path)} imports the test module {m}" for m in sorted(tests)]
    assert not problems, "\n".join(problems)


def test_tests_import_the_package_not_each_other():
    test_modules = {path.stem for path in TB_DIR.glob("*.py")}
    problems = []
    for path in sorted(TB_DIR.glob("*.py")):
        for imported in imported_modules(path, path.stem):
            if imported.split(".")[0] in test_modules:
                problems.append(f"{path.name} imports {imported}")
    assert not problems, "\n".join(problems)


def test_every_module_is_named_in_the_architecture_document():
    text = ARCHITECTURE_DOC.read_text()
    section = text[text.index("## The Python package") :]
    section = section[: section.index("\n## ", 1)]
    words = set(re.findall(r"[a-z_]+", section))
    missing = sorted(
        {m.split(".")[-1] for m in package_graph() if m not in ("tinygpu", "cli") and not m.startswith("cli.")} - words
    )
    assert not missing, f"{ARCHITECTURE_DOC.name}, 'The Python package', does not name: {missing}"


def source_files(root: Path = REPO_ROOT):
    """The repository's Python and configuration files (not .venv, build outputs, .git)."""
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and d != "build" and d != "__pycache__"]
        for name in files:
            if name.endswith((".py", ".ini", ".toml", ".cfg", ".sh")) or name == "Makefile":
                yield Path(folder, name)


def test_nothing_edits_sys_path_or_sets_a_pythonpath():
    pattern = re.compile(
        r"sys\.path\.(append|insert|extend)|sys\.path\s*(\[|[+]?=)"
        r"|^\s*pythonpath\s*=|SIM_PYTHONPATH",
        re.M,
    )
    problems = [
        str(path.relative_to(REPO_ROOT))
        for path in source_files()
        if path != Path(__file__) and pattern.search(path.read_text(errors="replace"))
    ]
    assert not problems, f"sys.path edited or pythonpath set in: {problems}"


# --------------------------------------------------- the checks above can fail ---


def test_the_checks_find_an_upward_import_a_cycle_and_a_missing_layer(tmp_path):
    package = tmp_path / "tinygpu"
    (package / "sim").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "isa.py").write_text("from .cli import asm\n")  # basics -> command lines
    (package / "model.py").write_text("from . import checks\n")  # models -> checks
    (package / "checks.py").write_text("from .model import run_kernel\n")  # cycle with model
    (package / "cli").mkdir()
    (package / "cli" / "__init__.py").write_text("")
    (package / "cli" / "asm.py").write_text("from ..assembler import assemble\n")
    (package / "assembler.py").write_text("import tinygpu.isa\n")
    (package / "sim" / "__init__.py").write_text("from .build import build\n")
    (package / "sim" / "build.py").write_text("from ..paths import REPO_ROOT\n")
    (package / "paths.py").write_text("")
    (package / "newthing.py").write_text("")
    graph = package_graph(package)
    assert graph["cli.asm"] == {"assembler"}
    assert graph["assembler"] == {"isa"}
    assert graph["sim"] == {"sim.build"} and graph["sim.build"] == {"paths"}
    assert upward_imports(graph) == [
        "isa (basics) imports cli (command lines), a layer above it",
        "isa (basics) imports cli.asm (command lines), a layer above it",
        "model (models and data) imports checks (checks), a layer above it",
    ]
    assert cycles(graph) == [["assembler", "isa", "cli.asm", "assembler"], ["checks", "model", "checks"]]
    assert layer_of("newthing") is None and layer_of("sim.build") == layer_of("sim")


def test_only_the_command_lines_print():
    """Library modules return text or hand it to the `log` they are given
    (tinygpu/log.py); only tinygpu/cli/ prints (and a docstring's example may)."""
    printing = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "cli" in path.relative_to(PACKAGE_DIR).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                printing.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    assert not printing, printing


# Files of the RTL and trace path whose headers come with that work (rtl/ and tb/hdl/
# carry theirs in SystemVerilog comments); generated fuzz regressions and kernel data
# (.toml beside each .asm) carry none.
def test_every_source_file_names_its_license():
    """LICENSE is MIT; every Python, shell, TOML and SystemVerilog file, the Makefile and the
    CI script say so in an SPDX line among their first lines."""
    assert (REPO_ROOT / "LICENSE").read_text().startswith("MIT License")
    files = subprocess.run(
        ["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    missing = [
        name
        for name in files
        if (name.endswith((".py", ".sh", ".toml", ".sv")) or name in ("Makefile", ".ci/run"))
        and not name.startswith(("tb/fuzz_regressions/", "tb/lang_regressions/"))
        and not (name.startswith("kernels/") and name.endswith(".toml"))
        # Python kernels and the docs' example: the user's own text, shown whole in
        # the README and docs, starting with the kernel's header docstring.
        and not (name.startswith("kernels/") and name.endswith("_py.py"))
        and not name.startswith("docs/examples/")
        and (REPO_ROOT / name).is_file()
        and "SPDX-License-Identifier: MIT" not in "".join((REPO_ROOT / name).read_text().splitlines(True)[:3])
    ]
    assert not missing, missing
