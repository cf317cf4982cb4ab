# SPDX-License-Identifier: MIT
"""Regression tests named after tiny-gpu's known defects, and the GPU's behaviour on
bad or unusual launches: runaway kernels, zero and 255 threads, relaunch without
reset, reset in the middle of a kernel, illegal configurations. Also proof that the
checker itself can fail.

Each test states the defect or behaviour it pins down; see docs/tiny-gpu.md
and docs/isa.md.
"""

from __future__ import annotations

import dataclasses
import subprocess

import pytest

from tinygpu import checks as gpu_checks
from tinygpu import sim as simulator
from tinygpu.assembler import assemble
from tinygpu.checks import check_run, guarded_memory
from tinygpu.configs import ELABORATION_CASES, get_config
from tinygpu.harness import Job, run_jobs
from tinygpu.kernels import load_kernel
from tinygpu.paths import KERNELS_DIR
from tinygpu.rtl_patch import RtlEdit, patched_rtl
from tinygpu.sim import SIMULATORS

# Every test here runs the RTL on a simulator (`pytest -m "not sim"` leaves them out).
pytestmark = pytest.mark.sim

DEFAULT = get_config("default")
BLOCK_DIM = DEFAULT.threads_per_block


def job_for(source: str, *, seed: int = 1, threads: int | None = None, **settings) -> Job:
    program = assemble(source, filename="<test>")
    return Job(
        program=program.words,
        memory=guarded_memory(program.data, seed),
        threads=program.threads if threads is None else threads,
        seed=seed,
        **settings,
    )


def assert_passes(result, *, reference=None, label=""):
    problems = check_run(
        result, block_dim=BLOCK_DIM, shared_bytes=DEFAULT.shared_mem_bytes, reference=reference, label=label
    )
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------- tiny-gpu defect 1
DIVERGENT_LOOPS = """
; Thread g loops g times (acc = g*g), then branches on its parity.
.threads 8
    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx        ; g
    CONST R1, #1
    CONST R2, #0                  ; acc
    CONST R3, #0                  ; k
LOOP:
    CMP R3, R0
    BRzp DONE                     ; while k < g
    ADD R2, R2, R0
    ADD R3, R3, R1
    BRnzp LOOP
DONE:
    CONST R4, #2
    DIV R5, R0, R4
    MUL R5, R5, R4
    CMP R5, R0
    BRz EVEN
    CONST R6, #100                ; odd g
    BRnzp JOIN
EVEN:
    CONST R6, #200                ; even g
JOIN:
    ADD R6, R6, R2
    CONST R7, #16
    ADD R7, R7, R0
    STR R7, R6
    RET
"""


def divergent_loops_reference(memory, threads, block_dim):
    out = list(memory)
    for g in range(threads):
        out[16 + g] = ((200 if g % 2 == 0 else 100) + g * g) % 256
    return out


PARTIAL_BLOCK = """
; 5 threads on 4-thread blocks: the second block holds one thread.
.threads 5
    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx
    CONST R1, #1
    ADD R2, R0, R1
    STR R0, R2                    ; mem[g] = g + 1
    RET
"""


def store_g_plus_one_reference(memory, threads, block_dim):
    out = list(memory)
    for g in range(threads):
        out[g] = g + 1
    return out


@pytest.mark.parametrize("sim", SIMULATORS)
def test_tinygpu_defect1_divergence_and_partial_block(sim, tmp_path):
    """tiny-gpu followed the last thread's next PC, so threads that branch apart ran
    wrong, and a partial last block could hang. Here every thread loops its own number
    of times, then takes its own side of an if/else; and 5 threads run on 4-thread
    blocks."""
    jobs = [
        job_for(DIVERGENT_LOOPS),
        job_for(DIVERGENT_LOOPS, latency=3, stall_max=4, seed=5),
        job_for(PARTIAL_BLOCK),
        job_for(PARTIAL_BLOCK, latency=2, stall_max=3, seed=6),
    ]
    results = run_jobs(sim, DEFAULT, jobs, tmp_path)
    for result in results[:2]:
        assert_passes(result, reference=divergent_loops_reference, label="divergent loops")
    for result in results[2:]:
        assert_passes(result, reference=store_g_plus_one_reference, label="partial block")


# --------------------------------------------------------------- tiny-gpu defect 2
CMP_FLAGS = """
; Each pair (a, b) is compared; the result stored is 1 for N, 2 for Z, 3 for P.
; 0 vs 200 is the case tiny-gpu got wrong: 0 - 200 wraps to 56, which looks positive.
.threads 1
.data 0 200 100 200 200 100 7 7 255 0 0 255
    CONST R10, #0                 ; pair address
    CONST R11, #32                ; result address
    CONST R12, #1
    CONST R9, #6                  ; pairs
NEXT:
    LDR R0, R10
    ADD R10, R10, R12
    LDR R1, R10
    ADD R10, R10, R12
    CMP R0, R1
    BRn IS_N
    BRz IS_Z
    CONST R2, #3
    BRnzp STORE
IS_N:
    CONST R2, #1
    BRnzp STORE
IS_Z:
    CONST R2, #2
STORE:
    STR R11, R2
    ADD R11, R11, R12
    SUB R9, R9, R12
    CONST R3, #0
    CMP R9, R3
    BRp NEXT
    RET
"""


def cmp_flags_reference(memory, threads, block_dim):
    out = list(memory)
    for i in range(6):
        a, b = memory[2 * i], memory[2 * i + 1]
        out[32 + i] = 1 if a < b else (2 if a == b else 3)
    return out


@pytest.mark.parametrize("sim", SIMULATORS)
def test_tinygpu_defect2_cmp_sets_n_flag(sim, tmp_path):
    """tiny-gpu took N from the wrapped 8-bit difference, so N was never set
    correctly; CMP here compares the unsigned values."""
    result = run_jobs(sim, DEFAULT, [job_for(CMP_FLAGS)], tmp_path)[0]
    assert result.memory[32:38] == [1, 1, 3, 2, 3, 1]
    assert_passes(result, reference=cmp_flags_reference, label="cmp flags")


# --------------------------------------------------------------- tiny-gpu defect 3
@pytest.mark.parametrize("sim", SIMULATORS)
def test_tinygpu_defect3_done_falls_at_each_launch(sim, tmp_path):
    """tiny-gpu never cleared `done`. Three launches back to back without a reset, with
    different kernels and thread counts: done must fall at each launch and rise again
    only when that kernel has finished."""
    matmul = load_kernel("kernels/matmul.asm")
    matadd = load_kernel("kernels/matadd.asm")
    jobs = [
        Job(matmul.program.words, guarded_memory(matmul.data, 1), matmul.threads),
        Job(matadd.program.words, guarded_memory(matadd.data, 2), matadd.threads, reset=False),
        job_for(PARTIAL_BLOCK, seed=3, reset=False, latency=2),
    ]
    results = run_jobs(sim, DEFAULT, jobs, tmp_path)
    for result, reference in zip(results, (matmul.reference, matadd.reference, store_g_plus_one_reference)):
        assert result.done_after_launch == 0, "done stayed high after a new launch"
        assert result.done
        assert_passes(result, reference=reference, label=result.job.name or "relaunch")


@pytest.mark.parametrize("sim", SIMULATORS)
def test_start_held_high_after_done_launches_nothing(sim, tmp_path):
    """tiny-gpu's own test bench raises start and never lowers it: a launch is a rising
    edge of start, so done must stay high while start does (and the next launch, after
    start falls and rises again, must run normally)."""
    matadd = load_kernel("kernels/matadd.asm")
    jobs = [
        Job(matadd.program.words, guarded_memory(matadd.data, 1), matadd.threads, hold_start_cycles=6),
        Job(matadd.program.words, guarded_memory(matadd.data, 2), matadd.threads, reset=False),
    ]
    held, relaunched = run_jobs(sim, DEFAULT, jobs, tmp_path)
    assert held.raw["done_while_start_held"] == 1, "a start held high after done launched again"
    assert_passes(held, reference=matadd.reference, label="start held")
    assert_passes(relaunched, reference=matadd.reference, label="next launch")


@pytest.mark.parametrize("sim", SIMULATORS)
def test_new_program_after_done_is_not_mixed_with_reads_of_the_old_one(sim, tmp_path):
    """The fetcher reads ahead: when a kernel ends, reads past its end may still be on
    their way (program memory here reads the word when it takes the request). The host
    then loads a longer program and launches without a reset: the old words must not land
    in the instruction cache, or the new kernel would run NOPs where its code is."""
    matmul = load_kernel("kernels/matmul.asm")
    matadd = load_kernel("kernels/matadd.asm")
    jobs = [
        Job(matadd.program.words, guarded_memory(matadd.data, 5), matadd.threads, latency=12),
        Job(matmul.program.words, guarded_memory(matmul.data, 6), matmul.threads, latency=12, reset=False),
    ]
    first, second = run_jobs(sim, DEFAULT, jobs, tmp_path)
    assert_passes(first, reference=matadd.reference, label="matadd")
    assert_passes(second, reference=matmul.reference, label="matmul right after matadd")


# --------------------------------------------------------------- tiny-gpu defect 4
@pytest.mark.parametrize("sim", SIMULATORS)
def test_tinygpu_defect4_any_memory_latency(sim, tmp_path):
    """tiny-gpu was only ever tested with a 1-cycle memory. matmul and matadd at
    latencies 1 to 8, and with random stalls of up to 12 extra cycles per request."""
    jobs = []
    for name in ("matmul", "matadd"):
        kernel = load_kernel(f"kernels/{name}.asm")
        settings = [dict(latency=n) for n in range(1, 9)] + [
            dict(latency=1, stall_max=12, seed=s) for s in (11, 12, 13)
        ]
        for i, s in enumerate(settings):
            jobs.append(Job(kernel.program.words, guarded_memory(kernel.data, i), kernel.threads, name=name, **s))
    results = run_jobs(sim, DEFAULT, jobs, tmp_path)
    cycles = {}
    for result in results:
        reference = load_kernel(f"kernels/{result.job.name}.asm").reference
        assert_passes(result, reference=reference, label=f"{result.job.name} latency {result.job.latency}")
        if not result.job.stall_max:
            cycles.setdefault(result.job.name, []).append(result.cycles)
    # A slower memory never makes a kernel faster.
    for name, counts in cycles.items():
        assert counts == sorted(counts), f"{name}: cycles not monotonic in latency: {counts}"


# --------------------------------------------------------------- tiny-gpu defect 5
# tiny-gpu's matadd listing as its README shows it (never assembled by tiny-gpu itself,
# whose tests used hand-encoded binary and whose RTL needed sv2v to run on Icarus).
TINY_GPU_MATADD_LISTING = """
.threads 8
.data 0 1 2 3 4 5 6 7          ; matrix A (1 x 8)
.data 0 1 2 3 4 5 6 7          ; matrix B (1 x 8)

MUL R0, %blockIdx, %blockDim
ADD R0, R0, %threadIdx         ; i = blockIdx * blockDim + threadIdx

CONST R1, #0                   ; baseA (matrix A base address)
CONST R2, #8                   ; baseB (matrix B base address)
CONST R3, #16                  ; baseC (matrix C base address)

ADD R4, R1, R0                 ; addr(A[i]) = baseA + i
LDR R4, R4                     ; load A[i] from global memory

ADD R5, R2, R0                 ; addr(B[i]) = baseB + i
LDR R5, R5                     ; load B[i] from global memory

ADD R6, R4, R5                 ; C[i] = A[i] + B[i]

ADD R7, R3, R0                 ; addr(C[i]) = baseC + i
STR R7, R6                     ; store C[i] in global memory

RET                            ; end of kernel
"""


def test_tinygpu_defect5_listing_assembles_and_runs_on_icarus_as_is(tmp_path):
    """tiny-gpu had no assembler (hand-encoded kernels) and needed sv2v for Icarus. Its
    own listing assembles unchanged and runs on Icarus straight from rtl/."""
    matadd = load_kernel("kernels/matadd.asm")
    job = job_for(TINY_GPU_MATADD_LISTING)
    assert job.program == matadd.program.words
    result = run_jobs("icarus", DEFAULT, [job], tmp_path)[0]
    assert result.memory[16:24] == [2 * i for i in range(8)]
    assert_passes(result, reference=matadd.reference, label="tiny-gpu matadd listing")


# --------------------------------------------------------------- launches
RUNAWAY = """
; Never returns.
.threads 4
LOOP:
    BRnzp LOOP
"""


@pytest.mark.parametrize("sim", SIMULATORS)
def test_runaway_kernel_times_out_and_gpu_recovers(sim, tmp_path):
    """A kernel that never finishes hits the harness timeout (reported as such), and
    after a reset the GPU runs the next kernel correctly."""
    matmul = load_kernel("kernels/matmul.asm")
    jobs = [
        job_for(RUNAWAY, max_cycles=3000),
        Job(matmul.program.words, guarded_memory(matmul.data, 4), matmul.threads),
    ]
    runaway, after = run_jobs(sim, DEFAULT, jobs, tmp_path)
    assert runaway.timed_out and not runaway.done
    assert runaway.cycles == 3000
    problems = check_run(runaway, block_dim=BLOCK_DIM, shared_bytes=DEFAULT.shared_mem_bytes, label="runaway")
    assert problems and "did not finish within 3000 cycles (timeout)" in problems[0]
    assert_passes(after, reference=matmul.reference, label="matmul after a runaway kernel")


@pytest.mark.parametrize("sim", SIMULATORS)
def test_zero_threads_finish_at_once(sim, tmp_path):
    """A launch with thread count 0 raises done within a couple of cycles, runs nothing
    and leaves memory alone."""
    job = job_for(PARTIAL_BLOCK, threads=0, seed=9)
    result = run_jobs(sim, DEFAULT, [job], tmp_path)[0]
    assert result.done and result.cycles <= 2
    assert result.memory == job.memory
    assert result.commits == []


MAX_THREADS = """
; 255 threads (the most the 8-bit thread count allows), far more than the cores hold
; at once: each writes g + 1 to mem[g].
.threads 255
    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx
    CONST R1, #1
    ADD R2, R0, R1
    STR R0, R2
    RET
"""


@pytest.mark.parametrize("sim", SIMULATORS)
def test_255_threads_on_every_core_shape(sim, tmp_path):
    """255 threads: 64 blocks of 4 (the last partial) over 2 cores."""
    result = run_jobs(sim, DEFAULT, [job_for(MAX_THREADS, latency=2, stall_max=2)], tmp_path)[0]
    assert result.memory[:255] == [g + 1 for g in range(255)]
    assert_passes(result, reference=store_g_plus_one_reference, label="255 threads")


@pytest.mark.parametrize("sim", SIMULATORS)
def test_reset_mid_kernel_then_clean_relaunch(sim, tmp_path):
    """Reset in the middle of a kernel (memory requests in flight), then relaunch: the
    second launch must give exactly the right result."""
    matmul = load_kernel("kernels/matmul.asm")
    for abort_after in (7, 40, 120):
        jobs = [
            Job(
                matmul.program.words,
                guarded_memory(matmul.data, 1),
                matmul.threads,
                latency=3,
                stall_max=3,
                abort_after_cycles=abort_after,
            ),
            Job(matmul.program.words, guarded_memory(matmul.data, 2), matmul.threads, reset=False),
        ]
        aborted, relaunched = run_jobs(sim, DEFAULT, jobs, tmp_path / f"abort{abort_after}")
        assert aborted.aborted and aborted.raw["done_before_abort"] == 0
        assert_passes(relaunched, reference=matmul.reference, label=f"relaunch after reset at {abort_after}")


# --------------------------------------------------------------- the AXI port's data cache
AXI = get_config("axi")

COPY_LINE = """
; Each thread copies mem[32 + tid] to mem[64 + tid]: one read of line 32-35, which fills
; core 0's data cache.
.threads 4
    CONST R1, #32
    ADD   R2, R1, %threadIdx
    LDR   R3, R2               ; 2
    CONST R4, #64
    ADD   R5, R4, %threadIdx
    STR   R5, R3
    RET
"""

# The cache kept across launches (what the launch's clear prevents).
CACHE_KEPT_ACROSS_LAUNCHES = RtlEdit("axi_data_master.sv", ".clear          (launch),", ".clear          (1'b0),")


@pytest.mark.parametrize("planted", [False, True], ids=["real", "planted_cache_kept_across_launches"])
def test_axi_data_cache_starts_empty_at_each_launch(planted, tmp_path):
    """Two launches without a reset, the host writing bytes 32-35 in between: the second
    launch reads the line the first left in core 0's data cache, and must see the host's
    new bytes (the cache empties at each launch; docs/isa.md, "Memory ordering"). With
    the cache kept across launches (planted) the second copies the old bytes, and the
    lock-step check names the load. Icarus only: the patched build costs a second."""
    program = assemble(COPY_LINE, filename="<copy line>")
    first = guarded_memory(program.data, 1)
    second = guarded_memory(program.data, 2)
    first[32:36], second[32:36] = [10, 11, 12, 13], [20, 21, 22, 23]
    jobs = [
        Job(program.words, first, program.threads),
        Job(program.words, second, program.threads, reset=False),
    ]
    rtl_dir = patched_rtl(CACHE_KEPT_ACROSS_LAUNCHES, "axi_data_cache_kept_across_launches") if planted else None
    results = run_jobs("icarus", AXI, jobs, tmp_path, rtl_dir=rtl_dir)
    assert results[0].memory[64:68] == [10, 11, 12, 13]
    problems = check_run(
        results[1], block_dim=AXI.threads_per_block, shared_bytes=AXI.shared_mem_bytes, label="relaunch"
    )
    if planted:
        assert results[1].memory[64:68] == [10, 11, 12, 13]
        assert any("lock-step check failed" in p and "pc 2 (" in p for p in problems), problems
    else:
        assert results[1].memory[64:68] == [20, 21, 22, 23]
        assert not problems, "\n".join(problems)


# --------------------------------------------------------------- configurations
ILLEGAL_CONFIGS = [(overrides, message) for overrides, message in ELABORATION_CASES if message]


@pytest.mark.parametrize("parameters,message", ILLEGAL_CONFIGS, ids=lambda p: str(p))
def test_illegal_configuration_fails_with_message(parameters, message, tmp_path):
    """Icarus (which has no elaboration-time $error) stops an illegal configuration at
    time 0 and prints the reason. That slang refuses each at elaboration with its message
    is make lint's check (tinygpu.lint.elaboration_problems, in make test), and
    tb/test_lint.py shows Verilator does too."""
    sources = [str(p) for p in simulator.rtl_sources()]
    binary = tmp_path / "gpu.vvp"
    compiled = subprocess.run(
        [
            "iverilog",
            "-g2012",
            "-s",
            "gpu",
            "-o",
            str(binary),
            *[f"-Pgpu.{k}={v}" for k, v in parameters.items()],
            *sources,
        ],
        capture_output=True,
        text=True,
    )
    if compiled.returncode == 0:
        ran = subprocess.run(["vvp", "-n", str(binary)], capture_output=True, text=True, timeout=60)
        output = ran.stdout + ran.stderr
        assert ran.returncode != 0 and "FATAL" in output and message in output
    else:  # Icarus may already refuse it while compiling (e.g. a zero-width vector)
        assert compiled.stderr


# --------------------------------------------------------------- the checker
@pytest.fixture(scope="module")
def matadd_run(tmp_path_factory):
    kernel = load_kernel("kernels/matadd.asm")
    job = Job(kernel.program.words, guarded_memory(kernel.data, 1), kernel.threads)
    return kernel, run_jobs("icarus", DEFAULT, [job], tmp_path_factory.mktemp("matadd"))[0]


def test_checker_passes_the_real_run(matadd_run):
    kernel, result = matadd_run
    assert (
        check_run(result, block_dim=BLOCK_DIM, shared_bytes=DEFAULT.shared_mem_bytes, reference=kernel.reference) == []
    )
    assert len(result.commits) == kernel.threads * len(kernel.program.words)


def test_checker_catches_a_corrupted_model(matadd_run, monkeypatch):
    """Corrupt one register value in the model's records for block 1, thread 2: the
    lock-step check must name that instruction, with cycle, core and disassembly."""
    kernel, result = matadd_run
    real_run_kernel = gpu_checks.run_kernel

    def corrupted(*args, **kwargs):
        model = real_run_kernel(*args, **kwargs)
        records = model.commits[(1, 2)]
        records[5] = dataclasses.replace(records[5], rd_value=(records[5].rd_value + 1) % 256)
        return model

    monkeypatch.setattr(gpu_checks, "run_kernel", corrupted)
    problems = check_run(result, block_dim=BLOCK_DIM, shared_bytes=DEFAULT.shared_mem_bytes, reference=kernel.reference)
    text = "\n".join(problems)
    assert "lock-step check failed" in text
    assert "block 1, thread 2, instruction #5" in text and "core " in text and "cycle " in text
    assert "differing fields: rd_value" in text


def test_checker_catches_a_wrong_rtl_result(matadd_run):
    """A wrong store in the RTL (here: one commit record and its memory byte altered)
    is reported by both the lock-step check and the memory comparison."""
    kernel, result = matadd_run
    commits = list(result.commits)
    index = next(i for i, c in enumerate(commits) if c.mem_op == "W")
    bad = commits[index]
    commits[index] = dataclasses.replace(bad, mem_data=(bad.mem_data + 1) % 256)
    memory = list(result.memory)
    memory[bad.mem_addr] = (memory[bad.mem_addr] + 1) % 256
    broken = dataclasses.replace(result, commits=commits, memory=memory)
    text = "\n".join(
        check_run(broken, block_dim=BLOCK_DIM, shared_bytes=DEFAULT.shared_mem_bytes, reference=kernel.reference)
    )
    assert "differing fields: mem_data" in text
    assert "differs from the ISA model" in text and "differs from the reference" in text
    assert f"address {bad.mem_addr} (0x{bad.mem_addr:02x})" in text


def test_checker_fails_when_nothing_was_compared(matadd_run):
    """An empty commit log (tracing broken) must fail, not pass vacuously."""
    kernel, result = matadd_run
    silent = dataclasses.replace(result, commits=[])
    text = "\n".join(check_run(silent, block_dim=BLOCK_DIM, shared_bytes=DEFAULT.shared_mem_bytes))
    assert "retired 0 instructions" in text or "no instruction was compared" in text


RACY = """
; Every thread stores its index to byte 40: which value survives depends on timing.
.threads 4
    CONST R0, #40
    STR R0, %threadIdx
    RET
"""


@pytest.mark.parametrize("sim", SIMULATORS)
def test_a_kernel_race_is_reported_as_the_kernels_not_the_rtls(sim, tmp_path):
    result = run_jobs(sim, DEFAULT, [job_for(RACY)], tmp_path)[0]
    (problem,) = check_run(result, block_dim=BLOCK_DIM, shared_bytes=DEFAULT.shared_mem_bytes, label="racy")
    assert "KERNEL RACE, not an RTL fault" in problem
    assert "address 40 is written and shared by block 0 thread 0, block 0 thread 1" in problem


@pytest.mark.parametrize("sim", SIMULATORS)
def test_start_after_reset_without_a_thread_count_runs_no_thread(sim, tmp_path):
    """The device control register resets to 0: a start with no count written launches
    nothing and is done at once (tiny-gpu's host always writes it first)."""
    kernel = load_kernel(KERNELS_DIR / "matadd.asm")
    job = Job(kernel.program.words, guarded_memory(kernel.data, 4), 0, write_thread_count=False)
    result = run_jobs(sim, DEFAULT, [job], tmp_path)[0]
    assert_passes(result, label="no thread count")
    assert result.cycles <= 2 and result.memory == job.memory
