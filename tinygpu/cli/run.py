"""Command line of tinygpu.run_kernel: run one kernel on the RTL and show what happened."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .. import run_kernel as run_kernel_module
from ..assembler import AsmError, assemble_file
from ..checks import check_run
from ..configs import DEFAULT_MAX_CYCLES, get_config
from ..harness import Job, run_jobs
from ..paths import REPO_ROOT
from ..run_kernel import RUN_ROOT, load_reference, memory_rows
from ..trace_view import render_trace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=run_kernel_module.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kernel", default=str(REPO_ROOT / "kernels" / "matmul.asm"))
    parser.add_argument("--sim", default="icarus", choices=("icarus", "verilator"))
    parser.add_argument("--config", default="default", help="a name from tb/configs.toml")
    parser.add_argument("--threads", type=int, help="override the kernel's .threads")
    parser.add_argument("--latency", type=int, default=1, help="memory latency in cycles (>= 1)")
    parser.add_argument("--stall-max", type=int, default=0, help="random extra cycles per request")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random stalls")
    parser.add_argument("--max-cycles", type=int, help="timeout in cycles")
    parser.add_argument("--waves", action="store_true", help="write an FST waveform and a trace")
    parser.add_argument("--json", help="write the result (cycles, memory, pass/fail) to this file")
    args = parser.parse_args(argv)

    asm_path = Path(args.kernel).resolve()
    try:
        program = assemble_file(asm_path)
    except AsmError as error:
        print(error, file=sys.stderr)
        return 2
    except OSError as error:
        print(f"run_kernel: cannot read {args.kernel}: {error.strerror}", file=sys.stderr)
        return 2
    reference, kernel_max_cycles = load_reference(asm_path)
    threads = args.threads if args.threads is not None else (program.threads or 0)
    config = get_config(args.config)
    memory = list(program.data) + [0] * (256 - len(program.data))

    work_dir = RUN_ROOT / f"{asm_path.stem}-{args.sim}-{config.name}"
    job = Job(program=program.words, memory=memory, threads=threads, latency=args.latency,
              stall_max=args.stall_max, seed=args.seed,
              max_cycles=args.max_cycles or kernel_max_cycles or DEFAULT_MAX_CYCLES, name=asm_path.stem)
    print(f"kernel {asm_path.relative_to(REPO_ROOT) if asm_path.is_relative_to(REPO_ROOT) else asm_path}: "
          f"{len(program.words)} instructions, {threads} threads, config {config.name} "
          f"({config.num_cores} cores x {config.threads_per_block} threads), {args.sim}, "
          f"memory latency {args.latency}" + (f" + stalls 0..{args.stall_max} (seed {args.seed})" if args.stall_max else ""))
    result = run_jobs(args.sim, config, [job], work_dir, trace=args.waves, waves=args.waves)[0]

    print("initial data memory:")
    print("\n".join(memory_rows(memory)))
    print("final data memory (* = changed):")
    print("\n".join(memory_rows(result.memory, compare=memory)))
    problems = check_run(result, block_dim=config.threads_per_block, reference=reference,
                         label=asm_path.stem)
    checked = "ISA model" + (" and reference" if reference else "")
    if result.timed_out:
        print(f"TIMEOUT: the kernel did not finish within {job.max_cycles} cycles")
    else:
        print(f"cycles: {result.cycles}")
    print(f"result: {'PASS' if not problems else 'FAIL'} (compared with the {checked}, "
          f"{len(result.commits)} retired instructions checked)")
    for problem in problems:
        print(problem)

    if args.waves:
        trace_path = work_dir / "trace.txt"
        trace_path.write_text(render_trace(work_dir / "trace.log", result.commits, config))
        wave_path = work_dir / "waves.fst"
        (work_dir / "config").write_text(config.name + "\n")  # for `make waves`
        last = RUN_ROOT / "last_wave"
        last.parent.mkdir(parents=True, exist_ok=True)
        last.write_text(str(wave_path) + "\n")
        print(f"waveform: {wave_path}")
        print(f"trace:    {trace_path}")
        print("open the waveform with: make waves")

    if args.json:
        Path(args.json).write_text(json.dumps({
            "kernel": str(asm_path), "simulator": args.sim, "config": config.name,
            "threads": threads, "latency": args.latency, "stall_max": args.stall_max, "seed": args.seed,
            "cycles": result.cycles, "timed_out": result.timed_out, "passed": not problems,
            "problems": problems, "initial_memory": memory, "final_memory": result.memory,
        }, indent=1))
        print(f"json:     {args.json}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
