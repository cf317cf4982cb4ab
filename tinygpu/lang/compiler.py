# SPDX-License-Identifier: MIT
"""The Python-kernel compiler: source file -> assembly text -> Program, pass by pass.

    read_kernel_file   (source.py)    module level: arrays, shared arrays, constants, @kernel
    Lowering           (lower.py)     the function's syntax tree -> IR; language errors
    fold_constants     (optimize.py)  constants computed at compile time
    remove_dead_code   (optimize.py)  unreachable code and unused results dropped
    coalesce_moves     (optimize.py)  x = y without an instruction where possible
    hoist_constants    (optimize.py)  loop constants set once before the loop
    reuse_values       (optimize.py)  values computed twice computed once; known branches
    allocate_registers (regalloc.py)  temporaries onto R0-R12 by liveness
    generate_assembly  (codegen.py)   text with each source line as a comment
    assemble           (assembler.py) the project's assembler makes the program words

`Compiled.stages` keeps the IR after each pass (`tinygpu-cc --passes` prints them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..assembler import AsmError, Program, assemble
from ..isa import PROGRAM_MEM_SIZE
from .codegen import generate_assembly
from .errors import CompileError, ErrorList
from .ir import Instr, format_ir
from .lower import Lowering
from .optimize import (
    coalesce_moves,
    fold_constants,
    hoist_constants,
    remove_dead_code,
    reuse_values,
)
from .regalloc import allocate_registers
from .source import KernelSource, read_kernel_file, read_kernel_source


@dataclass
class Compiled:
    source: KernelSource
    assembly: str
    program: Program
    stages: list[tuple[str, str]] = field(default_factory=list)  # (pass, IR text after it)


def compile_file(path: str | Path) -> Compiled:
    """Compile the kernel file at `path`; CompileError (every error of the file) when it is
    refused, OSError when it cannot be read."""
    return compile_kernel(read_kernel_file(path))


def compile_text(text: str, filename: str = "<string>") -> Compiled:
    """Compile kernel source `text` (see compile_file)."""
    return compile_kernel(read_kernel_source(text, filename))


def compile_kernel(source: KernelSource) -> Compiled:
    errors = ErrorList(source.filename, source.lines)
    code = Lowering(source, errors).lower()
    errors.raise_if_any()
    stages = [("lower", format_ir(code))]
    code = fold_constants(code)
    stages.append(("fold_constants", format_ir(code)))
    code = remove_dead_code(code)
    stages.append(("remove_dead_code", format_ir(code)))
    code = coalesce_moves(code)
    stages.append(("coalesce_moves", format_ir(code)))
    try:
        hoisted = remove_dead_code(hoist_constants(code))
        reused = remove_dead_code(reuse_values(hoisted))
        registers = allocate_registers(reused, source.filename, source.lines)
        stages.append(("hoist_constants", format_ir(hoisted)))
        code = reused
    except CompileError:  # hoisting made too many values live at once: keep constants in place
        code = remove_dead_code(reuse_values(code))
        registers = allocate_registers(code, source.filename, source.lines)
    stages.append(("reuse_values", format_ir(code)))
    stages.append(
        (
            "allocate_registers",
            format_ir(code)
            + "\n"
            + ", ".join(
                f"{temp}=R{register}" for temp, register in sorted(registers.items(), key=lambda item: item[0].number)
            ),
        )
    )
    text = generate_assembly(source, code, registers)
    words = sum(1 + (instr.op == "branch") for instr in code if instr.op not in ("label", "loop_begin", "loop_end"))
    if words > PROGRAM_MEM_SIZE:
        raise CompileError(
            f"the kernel compiles to {words} instructions; program memory holds {PROGRAM_MEM_SIZE}: make it shorter",
            source.filename,
            source.function.lineno,
            source.function.col_offset + 1,
            source.lines[source.function.lineno - 1],
        )
    try:
        program = assemble(text, filename=str(Path(source.filename).with_suffix(".asm")))
    except AsmError as error:  # the compiler made bad assembly: its own fault, said so
        raise AssertionError(f"tinygpu-cc produced assembly its assembler refuses: {error}") from error
    return Compiled(source=source, assembly=text, program=program, stages=stages)


def ir_of(compiled: Compiled, stage: str) -> str:
    """The IR text after pass `stage`."""
    return dict(compiled.stages)[stage]


__all__ = ["CompileError", "Compiled", "Instr", "compile_file", "compile_kernel", "compile_text", "ir_of"]
