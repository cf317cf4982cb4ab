# SPDX-License-Identifier: MIT
"""Mutation testing: how strong is the suite? Plant small bugs in copies of rtl/ and count
how many of them a fast subset of the suite (or the whole regression) notices.

A *mutant* is rtl/ with one small change, of the kinds real RTL bugs take:

    relational   ==  !=  <  <=  >  >=  swapped for a neighbour
    arithmetic   +  -  swapped
    logical      &&  ||  and  &  |  swapped
    negate       if (c)  becomes  if (!(c))
    constant     1'b0 <-> 1'b1, '0 <-> '1, a decimal constant N becomes N+1
    delete       a procedural assignment removed; a continuous one stuck at '0 or '1

Each mutant is built (Icarus Verilog: it compiles in about a second) and runs the subset:
every kernel at 1-cycle memory and at a slow memory with random stalls on the default
configuration and on the AXI port (with each AXI error response injected), plus random
programs on larger and odd-sized configurations. It is

    killed      by behaviour: when any run disagrees with the ISA model (lock-step, final
                memory, timeout), stops the simulation (an assertion, no results
                written), its cycle count differs from the unmutated RTL's (the cycle
                gate: a mutant that only costs or saves cycles, such as a round-robin
                pointer that stops rotating, is a performance bug and counts), or (the
                files with parameter checks: gpu.sv, gpu_cores.sv, gpu_axi.sv) the
                parameter checks refuse a legal or accept an illegal configuration;
    lint-only   when only Verilator's -Wall lint notices it (an unused signal, a latch):
                the suite saw the edit, not a bug; reported apart, not a kill;
    invalid     when it does not compile (a syntax error; not counted);
    equivalent  when tb/mutation_equivalents.toml says why no test can tell it apart
                (each entry gives the reason);
    survived    otherwise: the suite has a hole, or the table lacks an explanation.

The score is the behaviour kills over the valid, non-equivalent mutants (killed,
lint-only and survived).

Two judges (``--suite``):

    fast   the subset above, about a minute of CPU per mutant (the default);
    full   the whole regression (pytest tb, as make test runs it, less the lint and
           mutation tests: lint is judged apart, above) on the mutant's copy of rtl/
           (TINYGPU_RTL_DIR), stopping at the first failing test, which is the reason.
           Far dearer (up to the regression's CPU for a survivor): meant for a cluster.

Each mutant is one engine task (tinygpu.engine: local workers, or a cluster); verdicts come
back to the client, which writes the one report.

Mutants are enumerated in a fixed order and a seeded sample is drawn, so a run is
repeatable: `make mutate MUTANTS=120 SEED=1`.
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .assembler import assemble
from .bus_errors import fault_problems
from .checks import check_run, fault_jobs, guarded_memory
from .configs import AXI_ELABORATION_CASES, ELABORATION_CASES, GpuConfig, get_config
from .engine import Engine, attempt_folder
from .harness import Job, run_jobs
from .kernels import ReferenceFunction, discover_kernels
from .lint import elaboration_problems, lint_problems
from .log import Log
from .paths import BUILD_DIR, REPO_ROOT, RTL_DIR, TB_DIR
from .randprog import generate
from .rtl_patch import RtlEdit, patched_rtl
from .sim import BuildError, SimulationError

MUTATE_ROOT = BUILD_DIR / "mutate"
EQUIVALENTS_FILE = TB_DIR / "mutation_equivalents.toml"
SIM = "icarus"
# Files not mutated: the package holds only constants and types (a changed opcode is a
# different ISA, caught by every kernel), elaboration_error only stops bad configurations.
SKIPPED_FILES = {"gpu_pkg.sv", "elaboration_error.sv"}
SUITES = ("fast", "full")  # the judges: the mutation subset, or the whole regression
# The full judge runs the regression less these: lint is judged apart (lint-only), and
# the mutation tests read rtl/'s text (a mutant would fail them without a behaviour).
FULL_SUITE_IGNORED = ("tb/test_lint.py", "tb/test_mutate.py")


# --------------------------------------------------------------------------------------
# Mutants
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    file: str  # relative to rtl/
    line: int  # 1-based line of the change
    operator: str  # relational, arithmetic, logical, negate, constant, delete
    original: str  # the whole source line before ...
    mutated: str  # ... and after the change

    @property
    def key(self) -> str:
        """A stable name: file, line and the change (the equivalents table uses the text)."""
        return f"{self.file}:{self.line}:{self.operator}:{self.mutated.strip()}"

    def edit(self, source_lines: list[str]) -> RtlEdit:
        """The change as an exact-text edit, with as many lines before it as make it unique."""
        text = "\n".join(source_lines)
        index = self.line - 1
        start = index
        while True:
            block = "\n".join(source_lines[start : index + 1])
            if text.count(block) == 1 or start == 0:
                break
            start -= 1
        before = "\n".join(source_lines[start:index] + [self.original])
        after = "\n".join(source_lines[start:index] + [self.mutated])
        return RtlEdit(self.file, before, after)

    def diff(self) -> str:
        return f"rtl/{self.file}:{self.line}\n-{self.original}\n+{self.mutated}"


_SKIP_LINE = re.compile(
    r"^\s*(//|/\*|\*|`|import|module|endmodule|function|endfunction|typedef|localparam|parameter|"
    r"input|output|inout|logic|integer|int\b|bit\b|case|endcase|default:\s*;|begin|end\b|else\s*$|"
    r"\)|\(|always|for \(genvar|generate|endgenerate|initial|\$)"
)
_NBA = re.compile(r"^(\s*[\w.\[\]:+\-' ]+?\s*)(<=)(\s*)(.*;)\s*$")
_BLOCKING = re.compile(r"^(\s*[\w.\[\]:+\-' ]+?\s*)(=)(?!=)(\s*)(.*;)\s*$")
_CONTINUOUS = re.compile(r"^(\s*assign\s+[\w.\[\]:+\-' ]+?\s*=\s*)(.*)(;)\s*$")
_IF = re.compile(r"^(\s*(?:end\s+else\s+|else\s+)?if\s*)\((.*)\)(\s*(begin)?.*)$")
_CASE_ITEM = re.compile(r"^(\s*[\w:']+\s*:\s*)(\w[\w.\[\]]*\s*=\s*)(.*;)\s*$")

_SWAPS = {
    "relational": [("==", "!="), ("!=", "=="), ("<=", "<"), (">=", ">"), ("<", "<="), (">", ">=")],
    "arithmetic": [("+", "-"), ("-", "+")],
    "logical": [("&&", "||"), ("||", "&&"), ("&", "|"), ("|", "&")],
}
# Operators that must not be taken for another (e.g. '<' inside '<=', '&' inside '&&').
_TOKEN = re.compile(r"&&|\|\||==|!=|<=|>=|\+:|-:|<<|>>|[<>+\-&|]")


def _inside_string(text: str, position: int) -> bool:
    """Inside "...": a message, not logic."""
    return text.count('"', 0, position) % 2 == 1


def _inside_brackets(text: str, position: int) -> bool:
    """Inside [...]: a bit or part select. Its index arithmetic is left alone (most such
    mutants only change a truncation or index out of range, which the tools reject)."""
    return text.count("[", 0, position) > text.count("]", 0, position)


def _expression_mutants(expression: str) -> list[tuple[str, str]]:
    """(operator kind, mutated expression) for every single change inside `expression`."""
    out = []
    for match in _TOKEN.finditer(expression):
        token = match.group()
        if (
            token in ("+:", "-:", "<<", ">>")
            or _inside_brackets(expression, match.start())
            or _inside_string(expression, match.start())
        ):
            continue
        # unary minus/reduction &,| (after '(' or '=' or at the start) is not a binary op
        before = expression[: match.start()].rstrip()
        if token in ("-", "&", "|") and (not before or before[-1] in "(=?:,{!~&|"):
            continue
        for kind, swaps in _SWAPS.items():
            for old, new in swaps:
                if token == old:
                    out.append((kind, expression[: match.start()] + new + expression[match.end() :]))
    for match in re.finditer(r"1'b[01]|(?<![\w'])'[01]", expression):
        flipped = match.group()[:-1] + ("1" if match.group()[-1] == "0" else "0")
        if not _inside_string(expression, match.start()):
            out.append(("constant", expression[: match.start()] + flipped + expression[match.end() :]))
    for match in re.finditer(r"(?<![\w'\[:])(\d+)(?![\w'\]:])", expression):
        if _inside_brackets(expression, match.start()) or _inside_string(expression, match.start()):
            continue
        bumped = str(int(match.group(1)) + 1)
        out.append(("constant", expression[: match.start()] + bumped + expression[match.end() :]))
    return out


def _strip_comment(line: str) -> tuple[str, str]:
    code, sep, comment = line.partition("//")
    return code.rstrip(), (sep + comment if sep else "")


def line_mutants(file: str, number: int, line: str) -> list[Mutant]:
    """Every mutant of one source line."""
    code, comment = _strip_comment(line)
    if not code.strip() or _SKIP_LINE.match(code) and not _IF.match(code):
        return []
    found: list[tuple[str, str]] = []

    def tail(text: str) -> str:
        return text + ("  " + comment if comment else "")

    if match := _IF.match(code):
        head, condition, rest = match.group(1), match.group(2), match.group(3)
        found.append(("negate", f"{head}(!({condition})){rest}"))
        found += [(k, f"{head}({c}){rest}") for k, c in _expression_mutants(condition)]
    elif match := _CONTINUOUS.match(code):
        head, expression, end = match.groups()
        found += [(k, head + e + end) for k, e in _expression_mutants(expression)]
        found += [("delete", head + "'0" + end), ("delete", head + "'1" + end)]
    elif match := _CASE_ITEM.match(code):
        label, target, expression = match.groups()
        found += [(k, label + target + e) for k, e in _expression_mutants(expression)]
    elif (match := _NBA.match(code)) or (match := _BLOCKING.match(code)):
        target, op, space, expression = match.groups()
        found += [(k, target + op + space + e) for k, e in _expression_mutants(expression)]
        found.append(("delete", re.sub(r"\S.*", ";", code, count=1)))
    seen, mutants = set(), []
    for kind, new in found:
        new = tail(new)
        if new != line and new not in seen:
            seen.add(new)
            mutants.append(Mutant(file, number, kind, line, new))
    return mutants


def all_mutants(rtl_dir: Path = RTL_DIR) -> list[Mutant]:
    """Every mutant of rtl/, in file and line order. Code fenced with
    `/* verilator coverage_off */` is unreachable by design (the fence says why): not
    mutated, like it is not counted for coverage."""
    mutants = []
    for path in sorted(Path(rtl_dir).glob("*.sv")):
        if path.name in SKIPPED_FILES:
            continue
        fenced = False
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if "verilator coverage_off" in line:
                fenced = True
            elif "verilator coverage_on" in line:
                fenced = False
            elif not fenced:
                mutants += line_mutants(path.name, number, line)
    return mutants


def sample(mutants: list[Mutant], count: int, seed: int) -> list[Mutant]:
    """A repeatable sample of `count` mutants (all of them when count >= len)."""
    if count >= len(mutants):
        return list(mutants)
    chosen = random.Random(seed).sample(range(len(mutants)), count)
    return [mutants[i] for i in sorted(chosen)]


# --------------------------------------------------------------------------------------
# Equivalents
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Equivalent:
    file: str
    original: str
    mutated: str
    reason: str


def load_equivalents(path: Path = EQUIVALENTS_FILE) -> list[Equivalent]:
    """tb/mutation_equivalents.toml: [[equivalent]] file, original, mutated, reason."""
    if not path.exists():
        return []
    entries = []
    for index, raw in enumerate(tomllib.loads(path.read_text()).get("equivalent", [])):
        missing = {"file", "original", "mutated", "reason"} - raw.keys()
        if missing or not str(raw.get("reason", "")).strip():
            raise ValueError(
                f"{path}: [[equivalent]] #{index + 1}: needs file, original, mutated "
                f"and a reason (missing {sorted(missing)})"
            )
        entries.append(Equivalent(raw["file"], raw["original"].strip(), raw["mutated"].strip(), raw["reason"]))
    return entries


def equivalence_reason(mutant: Mutant, equivalents: list[Equivalent]) -> str | None:
    for entry in equivalents:
        if (entry.file, entry.original, entry.mutated) == (
            mutant.file,
            mutant.original.strip(),
            mutant.mutated.strip(),
        ):
            return entry.reason
    return None


# --------------------------------------------------------------------------------------
# The subset of the suite each mutant runs
# --------------------------------------------------------------------------------------


@dataclass
class SubsetRun:
    config: GpuConfig
    jobs: list[Job]
    references: list[ReferenceFunction | None]  # per job


def subset(random_programs: int = 3) -> list[SubsetRun]:
    """Kernels on the default configuration at two memory timings; random programs (and
    the kernels at 1-cycle memory) on a wide and an odd-sized configuration."""
    kernels = discover_kernels()
    runs = []
    for name, timings, programs in (
        ("default", [(1, 0), (3, 5)], 0),
        ("wide", [(1, 0)], random_programs),
        ("odd", [(2, 0)], random_programs),
        ("single_thread", [(1, 0)], 1),
        ("axi", [(1, 0), (4, 3)], 1),
    ):
        config = get_config(name)
        jobs: list[Job] = []
        references: list[ReferenceFunction | None] = []
        for kernel in (k for k in kernels if k.runs_on(config)):  # its block size, its shared memory
            for latency, stall_max in timings:
                jobs.append(
                    Job(
                        kernel.program.words,
                        guarded_memory(kernel.data, 7),
                        kernel.threads,
                        latency=latency,
                        stall_max=stall_max,
                        seed=7,
                        max_cycles=kernel.max_cycles,
                        name=kernel.name,
                    )
                )
                references.append(kernel.reference)
        if name == "default":
            # First of all (so no earlier launch has written the register): a start right
            # after a reset without writing the thread count; the reset value, 0 threads,
            # must finish the launch at once.
            jobs.insert(
                0,
                Job(
                    kernels[0].program.words,
                    guarded_memory(kernels[0].data, 9),
                    0,
                    seed=9,
                    write_thread_count=False,
                    name="start without a thread count",
                ),
            )
            references.insert(0, None)
            # Launches right after the previous one, without a reset in between, each
            # with start kept high a few cycles after done, as tiny-gpu's test bench does
            # (a second launch from it would be a bug).
            for kernel in kernels[:4]:
                jobs.append(
                    Job(
                        kernel.program.words,
                        guarded_memory(kernel.data, 8),
                        kernel.threads,
                        seed=8,
                        max_cycles=kernel.max_cycles,
                        reset=False,
                        hold_start_cycles=3,
                        name=f"{kernel.name} relaunched",
                    )
                )
                references.append(kernel.reference)
        if config.axi:
            # Each error response on each side (the error path of the AXI masters).
            faulty = fault_jobs(next(k for k in kernels if k.name == "matadd"))
            jobs += faulty
            references += [None] * len(faulty)
        for seed in range(programs):
            program = generate(
                9000 + seed, block_dim=config.threads_per_block, size="small", shared_bytes=config.shared_mem_bytes
            )
            words = assemble(program.asm).words
            jobs.append(
                Job(
                    words,
                    list(program.data),
                    program.threads,
                    latency=1 + seed % 3,
                    stall_max=seed % 4,
                    seed=seed,
                    name=f"random-{seed}",
                )
            )
            references.append(None)
        runs.append(SubsetRun(config, jobs, references))
    return runs


# --------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------


@dataclass
class Verdict:
    mutant: Mutant
    status: str  # killed, lint-only, survived, equivalent, invalid
    reason: str = ""  # how it was killed, why equivalent or invalid
    seconds: float = 0.0
    cycles: list[int] = field(default_factory=list)


STATUSES = ("killed", "lint-only", "survived", "equivalent", "invalid")


def lint_findings(messages: str) -> tuple[str, str]:
    """(error, warning): the first error and the first warning of Verilator's lint output
    ('' for none), without the closing "Exiting due to N error(s)" line."""
    error = warning = ""
    for line in messages.splitlines():
        if line.startswith("%Error") and not line.startswith("%Error: Exiting due to"):
            error = error or line.strip()
        elif line.startswith("%Warning"):
            warning = warning or line.strip()
    return error, warning


def is_design_check(message: str) -> bool:
    """Whether a lint message is gpu.sv's own parameter check refusing the configuration
    (Verilator: %Warning-USERERROR with the check's text), a behaviour of the RTL."""
    return any(check and check in message for _, check in ELABORATION_CASES + AXI_ELABORATION_CASES)


def judge(lint_messages: str, behaviour: Callable[[], str]) -> tuple[str, str]:
    """(status, reason) of one mutant from Verilator's lint output on it and `behaviour`,
    which runs it (returns '' or the first problem; raises BuildError when Icarus cannot
    compile it, SimulationError or RuntimeError when the simulation fails, OSError when
    it left no results)."""
    error, warning = lint_findings(lint_messages)
    refused = next((message for message in (error, warning) if message and is_design_check(message)), "")
    if refused:
        return "killed", f"parameter checks: the default configuration is refused: {refused[:200]}"
    if error:
        return "invalid", f"does not compile: {error[:200]}"
    try:
        problem = behaviour()
    except BuildError as failure:
        return "invalid", f"does not compile: {str(failure).splitlines()[0][:200]}"
    except (SimulationError, RuntimeError) as failure:  # the simulator died or stopped early
        return "killed", "simulation failed: " + str(failure).splitlines()[0][:200]
    except OSError as failure:  # e.g. a memory dump or log the harness expected
        missing = Path(failure.filename).name if getattr(failure, "filename", None) else "its results"
        return "killed", f"no output: the simulation stopped before writing {missing}"
    if problem:
        return "killed", problem
    if warning:
        return "lint-only", f"lint: {warning[:200]}"
    return "survived", ""


# The files that hold the parameter checks (elaboration_error instances).
PARAMETER_CHECK_FILES = ("gpu.sv", "gpu_cores.sv", "gpu_axi.sv")


def top_of(file: str) -> str:
    """The top level whose hierarchy holds this rtl/ file (what lint must elaborate for
    Verilator to see the edit): the AXI top for its masters, else gpu."""
    return "gpu_axi" if file == "gpu_axi.sv" or file.startswith("axi_") else "gpu"


def behaviour_of(rtl_dir: Path, mutated_file: str, golden: list[int], work: Path) -> str:
    """'' or the first problem of the mutant's runs: the subset with the cycle gate, then
    for the files with parameter checks whether they still refuse exactly the illegal
    configurations."""
    problem, _ = run_subset(rtl_dir, work, golden)
    if not problem and mutated_file in PARAMETER_CHECK_FILES:
        edges = elaboration_problems(rtl_dir=rtl_dir)
        if edges:
            problem = f"parameter checks: {edges[0][:200]}"
    return problem


def run_subset(rtl_dir: Path | None, work_dir: Path, golden: list[int] | None) -> tuple[str, list[int]]:
    """('' or the first problem, cycles of every job) of the subset on this RTL.

    With the unmutated RTL's cycles (`golden`), each job may take at most a few times its
    golden count: a mutant that hangs is a timeout after a few hundred cycles, not 100000."""
    cycles: list[int] = []
    index = 0
    for run in subset():
        jobs = run.jobs
        if golden is not None:
            jobs = [dataclasses.replace(job, max_cycles=4 * golden[index + i] + 200) for i, job in enumerate(jobs)]
        index += len(jobs)
        results = run_jobs(SIM, run.config, jobs, work_dir / run.config.name, rtl_dir=rtl_dir)
        for reference, result in zip(run.references, results):
            problems = check_run(
                result,
                block_dim=run.config.threads_per_block,
                shared_bytes=run.config.shared_mem_bytes,
                reference=reference,
                label=f"{result.job.name} on {run.config.name}",
            )
            if result.job.fault is not None:  # an injected error response must end the launch
                problems = fault_problems(result, problems)
            if problems:
                return problems[0].splitlines()[0][:300], cycles
            cycles.append(result.cycles)
    if golden is not None and cycles != golden:
        first = next(i for i, (a, b) in enumerate(zip(cycles, golden)) if a != b)
        return f"cycle gate: job {first} took {cycles[first]} cycles, the unmutated RTL {golden[first]}", cycles
    return "", cycles


def full_suite_command(pytest_args: tuple[str, ...] = ("tb",)) -> list[str]:
    """The full judge's regression: pytest (on tb/ unless `pytest_args` names other tests
    or options), one process, stop at the first failure."""
    ignored = [f"--ignore={path}" for path in FULL_SUITE_IGNORED]
    return [sys.executable, "-m", "pytest", "-x", "-q", "-n", "0", "-p", "no:cacheprovider", *ignored, *pytest_args]


def full_suite_problem(rtl_dir: Path, work: Path, pytest_args: tuple[str, ...] = ("tb",)) -> str:
    """'' or the first failing test of the regression on the RTL in `rtl_dir` (its
    builds go to work/sim, removed with work by the caller)."""
    env = dict(os.environ, TINYGPU_RTL_DIR=str(rtl_dir), SIM_BUILD_ROOT=str(work / "sim"))
    run = subprocess.run(
        full_suite_command(pytest_args), cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    if run.returncode == 0:
        return ""
    lines = run.stdout.splitlines()
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    tail = failed[0] if failed else (lines[-1] if lines else f"pytest exit status {run.returncode}")
    return f"regression: {tail[:300]}"


def _judge(task: tuple[Mutant, list[int], list[str], str, tuple[str, ...]]) -> Verdict:
    mutant, golden, source_lines, suite, tests = task
    started = time.monotonic()
    label = f"m{mutant.line:04d}-{mutant.file.removesuffix('.sv')}"
    work = attempt_folder(MUTATE_ROOT / "runs" / label)
    try:
        rtl_dir = patched_rtl(mutant.edit(source_lines), label, root=MUTATE_ROOT / "rtl")
        messages = lint_problems({}, rtl_dir=rtl_dir, top=top_of(mutant.file))
        if suite == "full":
            status, reason = judge(messages, lambda: full_suite_problem(rtl_dir, work, tests))
        else:
            status, reason = judge(messages, lambda: behaviour_of(rtl_dir, mutant.file, golden, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Verdict(mutant, status, reason, time.monotonic() - started)


def _golden(judge_: tuple[str, tuple[str, ...]]) -> tuple[str, list[int]]:
    """The unmutated RTL on the judge: ('' or its first problem, the subset's cycles)."""
    suite, tests = judge_
    if suite == "full":
        return full_suite_problem(RTL_DIR, MUTATE_ROOT / "runs" / "unmutated", tests), []
    return run_subset(None, MUTATE_ROOT / "runs" / "unmutated", None)


def run_mutants(
    mutants: list[Mutant], *, engine: Engine, progress: Log, suite: str = "fast", tests: tuple[str, ...] = ("tb",)
) -> list[Verdict]:
    """Judge every mutant on the engine's workers; equivalents from the table are not run.
    `tests`: the full judge's pytest selection (tb/: the whole regression)."""
    started = time.monotonic()
    [(problem, golden)] = list(engine.map(_golden, [(suite, tests)]))
    if problem:
        raise RuntimeError(f"the unmutated RTL fails the {suite} judge: {problem}")
    progress(
        f"unmutated RTL: the {suite} judge passes "
        f"({f'{len(golden)} runs' if suite == 'fast' else 'pytest ' + ' '.join(tests)}, "
        f"{time.monotonic() - started:.0f} s); judging {len(mutants)} mutants"
    )
    equivalents = load_equivalents()
    sources = {p.name: p.read_text().splitlines() for p in RTL_DIR.glob("*.sv")}
    verdicts, to_run = [], []
    for mutant in mutants:
        reason = equivalence_reason(mutant, equivalents)
        if reason:
            verdicts.append(Verdict(mutant, "equivalent", reason))
        else:
            to_run.append((mutant, golden, sources[mutant.file], suite, tests))
    for done, verdict in enumerate(engine.map(_judge, to_run), start=1):
        verdicts.append(verdict)
        progress(
            f"[{done:3d}/{len(to_run)}] {verdict.status:9s} {verdict.mutant.key}  "
            f"({verdict.seconds:.0f} s) {verdict.reason[:90]}"
        )
    order = {m.key: i for i, m in enumerate(mutants)}
    return sorted(verdicts, key=lambda v: order[v.mutant.key])


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def kill_rate(verdicts: list[Verdict]) -> tuple[int, int, float]:
    """(behaviour kills, valid non-equivalent mutants, their percentage): a lint-only kill
    counts against the score like a survivor."""
    killed = sum(v.status == "killed" for v in verdicts)
    counted = sum(v.status in ("killed", "lint-only", "survived") for v in verdicts)
    return killed, counted, (100.0 * killed / counted if counted else 0.0)


def report(
    verdicts: list[Verdict],
    *,
    total: int,
    seed: int,
    seconds: float,
    suite: str = "fast",
    tests: tuple[str, ...] = ("tb",),
    lost_workers: int = 0,
) -> str:
    counts = {s: sum(v.status == s for v in verdicts) for s in STATUSES}
    killed, counted, rate = kill_rate(verdicts)
    lines = [
        "# Mutation report",
        "",
        f"{len(verdicts)} of {total} mutants of rtl/ (seed {seed}), each run against "
        + (
            f"the mutation subset on {SIM}"
            if suite == "fast"
            else "the whole regression (--suite full)"
            if tests == ("tb",)
            else f"the tests `pytest {' '.join(tests)}` (--suite full --tests)"
        )
        + f"; {seconds:.0f} s"
        + (f"; {lost_workers} worker(s) lost and their mutants judged again elsewhere." if lost_workers else "."),
        "",
        "| killed by behaviour | lint-only | survived | equivalent | invalid "
        "| score (behaviour kills / (killed + lint-only + survived)) |",
        "|---|---|---|---|---|---|",
        f"| {counts['killed']} | {counts['lint-only']} | {counts['survived']} | {counts['equivalent']} "
        f"| {counts['invalid']} | **{rate:.1f} %** ({killed} of {counted}) |",
        "",
        "Killed by: " + (", ".join(f"{how} {n}" for how, n in _kill_kinds(verdicts).items()) or "none"),
        "",
    ]
    for status, title in (
        ("survived", "Survivors (holes in the suite)"),
        ("lint-only", "Lint-only (only Verilator's lint noticed the edit: not a kill)"),
        ("equivalent", "Equivalent (tb/mutation_equivalents.toml)"),
        ("invalid", "Invalid (do not compile)"),
    ):
        chosen = [v for v in verdicts if v.status == status]
        if not chosen:
            continue
        lines += [f"## {title}", ""]
        for v in chosen:
            lines += ["```diff", v.mutant.diff(), "```"]
            if v.reason:
                lines += [f"{v.reason}", ""]
    return "\n".join(lines) + "\n"


def _kill_kinds(verdicts: list[Verdict]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for v in verdicts:
        if v.status != "killed":
            continue
        text = v.reason
        how = (
            "cycle gate"
            if text.startswith("cycle gate")
            else "parameter checks"
            if text.startswith("parameter checks")
            else "no output"
            if text.startswith("no output")
            else "timeout"
            if "timeout" in text
            else "lock-step"
            if "lock-step" in text
            else "final memory"
            if "memory differs" in text
            else "simulation failure"
            if text.startswith("simulation failed")
            else "other"
        )
        kinds[how] = kinds.get(how, 0) + 1
    return dict(sorted(kinds.items(), key=lambda item: -item[1]))
