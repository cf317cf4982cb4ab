# SPDX-License-Identifier: MIT
"""tinygpu-run (make run): check every setting, then run one kernel on the RTL.

Every check happens before anything is written or simulated: a bad kernel file or
setting gets one clear line (assembly errors: each error with its source line) and a
non-zero exit. So does a kernel the ISA model shows to be undefined (a race), one it
does not finish (unless --max-cycles is given), and a configuration the kernel's .toml
excludes (tinygpu.run_kernel.launch_job).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import run_kernel
from ..assembler import AsmError, assemble_file, format_errors
from ..kernels import Kernel, KernelError, load_kernel, python_kernel
from ..lang.compiler import compile_file
from ..lang.execute import KernelFault
from ..paths import KERNELS_DIR
from ..run_kernel import RunRefused, RunRequest, launch_job, run_and_report
from . import args as checked

PROG = "tinygpu-run"


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(
        prog=PROG, description=run_kernel.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--kernel",
        type=Path,
        default=KERNELS_DIR / "matmul.asm",
        help="assembly file (a NAME.toml beside it adds a reference check) or Python "
        "kernel file (.py: compiled; its Python execution is the reference)",
    )
    parser.add_argument("--sim", type=checked.simulator_name, default="icarus", help="icarus or verilator")
    parser.add_argument("--config", type=checked.config_name, default="default", help="a name from tb/configs.toml")
    parser.add_argument("--threads", type=checked.THREADS, help="override the kernel's .threads (0..255)")
    parser.add_argument("--latency", type=checked.LATENCY, default=1, help="memory latency in cycles (1..255)")
    parser.add_argument(
        "--stall-max", type=checked.STALL_MAX, default=0, help="random extra cycles per request (0..255)"
    )
    parser.add_argument("--seed", type=checked.SEED, default=1, help="seed of the random stalls")
    parser.add_argument(
        "--max-cycles",
        type=checked.MAX_CYCLES,
        help="timeout in cycles (default: derived from the ISA model's run of the kernel; "
        "a kernel the model does not finish runs only with one)",
    )
    parser.add_argument("--waves", action="store_true", help="write an FST waveform and a trace")
    parser.add_argument(
        "--json", type=checked.output_file, help="write the result (cycles, memory, pass/fail) to this file"
    )
    args = parser.parse_args(argv)

    asm_path = args.kernel.resolve()
    kernel: Kernel | None = None
    try:
        if asm_path.suffix == ".py":
            kernel = python_kernel(compile_file(args.kernel), asm_path)
            program = kernel.program
        else:
            program = assemble_file(asm_path)
    except OSError as error:
        checked.fail(PROG, f"cannot read kernel {args.kernel}: {error.strerror}")
    except AsmError as error:  # the compiler's errors too
        print(format_errors(error), file=sys.stderr)
        return checked.USAGE_ERROR
    if kernel is not None:  # a Python kernel: its own execution must be defined, or nothing runs
        if kernel.shared_bytes > args.config.shared_mem_bytes:
            checked.fail(
                PROG,
                f"{args.kernel} needs {kernel.shared_bytes} bytes of shared memory per block; "
                f"configuration {args.config.name} has {args.config.shared_mem_bytes}",
            )
        try:
            threads = args.threads if args.threads is not None else kernel.threads
            kernel.reference(list(kernel.data), threads, args.config.threads_per_block)
        except KernelFault as fault:
            print("\n".join(fault.problems), file=sys.stderr)
            return checked.USAGE_ERROR
    elif asm_path.with_suffix(".toml").is_file():
        try:
            kernel = load_kernel(asm_path)
        except KernelError as error:
            checked.fail(PROG, str(error))
    threads = args.threads if args.threads is not None else program.threads
    if threads is None:
        checked.fail(PROG, f"{args.kernel} has no .threads directive: add `.threads N` (0..255) or pass --threads N")
    request = RunRequest(
        asm_path=asm_path,
        program=program,
        kernel=kernel,
        sim=args.sim,
        config=args.config,
        threads=threads,
        latency=args.latency,
        stall_max=args.stall_max,
        seed=args.seed,
        max_cycles=args.max_cycles,
        waves=args.waves,
        json_path=args.json,
    )
    try:
        job = launch_job(request)
    except RunRefused as refused:
        checked.fail(PROG, str(refused))
    return run_and_report(request, job, log=checked.say)


if __name__ == "__main__":
    sys.exit(main())
