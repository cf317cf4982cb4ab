#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seeded random program generator (and shrinker) for the tiny-gpu ISA.

Why this exists
---------------
Hand-written kernels exercise the paths their authors thought of. A random program
generator (in the spirit of riscv-dv) exercises the rest: odd register choices, branches
that split a block in every possible way, loops whose trip counts differ per thread,
memory traffic from all threads at once. The RTL runs the program, the instruction-set
model runs the same program, and the lock-step checker compares every retired
instruction. When they disagree, `shrink` reduces the program to a small one that still
fails, and the seed becomes a permanent regression test.

What a generated program guarantees
-----------------------------------
Every program is *legal* (assembles, at most 256 words), *terminating* (all loops are
counted, with a trip count bounded by construction; all other branches go forward; every
path ends in RET) and *race-free* (no byte written by one thread is read or written by
another without a barrier between them, and no shared byte is read before it is
written), so its result is fully defined by docs/isa.md and the model's answer is the
only right one.

Memory layout (256 bytes of data memory)::

    [0, 128)            read-only inputs: random bytes, never written by anyone
    [128 + g*K, 128 + (g+1)*K)
                        thread g's private output slot of K bytes (K = "slot bytes",
                        1, 2, 4 or 8, with threads * K <= 128), where
                        g = %blockIdx * %blockDim + %threadIdx is the global thread id
    rest up to 256      unused guard bytes (random, never written)

Shared memory (SHARED_MEM_BYTES per block): thread t owns the S bytes from t*S
(S = min(4, SHARED_MEM_BYTES / blockDim)); the first S/2 are private, the rest are
published. The prologue writes all S, then waits at a barrier. Private bytes are read and
written only by their owner, anywhere (LDS/STS, sometimes at the address plus
SHARED_MEM_BYTES, which wraps to the same byte). Published bytes are written only by a
`Publish` (BAR; STS; BAR) and read by the owner's lower neighbours' threads (thread 0,
t / 2, or t itself: threads that exist in every block) anywhere else.

Barriers stay aligned: every thread passes the same barriers in the same order, because
BAR appears only at the top level (a `Barrier`, a `Publish`, or one BAR in *each* branch
of a top-level if/else), never in a loop or a nested if. So a read of a published byte
and its owner's next `Publish` are always in different barrier phases. Threads may also
leave early (`EarlyExit`, a top-level conditional RET): a barrier does not wait for them.

Loads read the input region (address = a constant, a read-only register below 128, or
any register modulo 128) or the thread's own slot; stores go only to the thread's own
slot (slot base + offset, offset = a constant or any register modulo K). "x mod m" is
computed as ``x - (x / m) * m`` with DIV, MUL and SUB, since the ISA has no AND.

Register conventions (a random permutation of R0-R12 per program, so that across a batch
every register plays every role and is used as source and destination):

    base        128 + g*K, the thread's slot address; written once in the prologue
    sbase       t*S, the thread's shared-memory bytes; written once in the prologue
    t1          scratch: constants for compares, moduli and loop steps
    t2          scratch: computed addresses, and the second compare constant
    counter[d]  loop counter of the loop at nesting depth d (d = 0, 1)
    limit[d]    loop limit of an up-counting loop at depth d
    data        the remaining five registers: free for random computation

Only loop headers write counters/limits and only the prologue writes base, and a loop
body never writes its own counter, so every loop runs exactly its trip count (0..M or
1..M, M <= 4). Writes to the read-only registers 13-15 (dropped by the ISA) are emitted
as raw `.word`s, as are unused opcodes 0xD and 0xE and the never-taken branch with nzp=000.

The program is built as a tree of statements (the `ast`), rendered to assembly at the
end. Reductions for `shrink` work on that tree, so a shrunk program keeps all of the
guarantees above.

CLI::

    tinygpu-randprog --seed 42 [--block-dim 4] [--max-threads N]
                               [--size small|medium|large] [-o file.asm]
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .configs import DEFAULT_SHARED_MEM_BYTES
from .isa import (
    ARITHMETIC_OPCODES,
    DATA_MEM_SIZE,
    FIRST_READ_ONLY_REGISTER,
    NUM_GENERAL_REGISTERS,
    NUM_REGISTERS,
    NZP_N,
    NZP_P,
    NZP_Z,
    REG_BLOCK_DIM,
    REG_THREAD_IDX,
    Opcode,
    encode_arithmetic,
    encode_branch,
    encode_const,
    encode_ldr,
    encode_lds,
    nzp_suffix,
)
from .isa import register_name as reg_name

# What the generator uses of the ISA; tinygpu.isa is the one table of it.
BLOCK_DIM, THREAD_IDX = REG_BLOCK_DIM, REG_THREAD_IDX
READ_ONLY = tuple(range(FIRST_READ_ONLY_REGISTER, NUM_REGISTERS))  # writes are dropped
ALU_OPS = tuple(opcode.name for opcode in ARITHMETIC_OPCODES)  # ADD, SUB, MUL, DIV
N, Z, P = NZP_N, NZP_Z, NZP_P  # branch condition bits

INPUT_BYTES = 128  # inputs live at [0, 128)
OUTPUT_BASE = 128  # thread slots start here
MAX_LOOP_DEPTH = 2
MAX_SHARED_SLOT = 4  # shared bytes per thread, at most


def branch_name(mask: int) -> str:
    """Mnemonic of a branch with nzp mask 1..7, e.g. 5 -> 'BRnp'."""
    assert 1 <= mask <= 7
    return "BR" + nzp_suffix(mask)


# --------------------------------------------------------------------------------------
# The statement tree. Every node is an immutable dataclass; bodies are tuples, so a
# reduction is a cheap `dataclasses.replace` and never aliases another program's tree.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alu:
    """rd = rs <op> rt. rd may be a read-only register (the write is dropped)."""

    op: str
    rd: int
    rs: int
    rt: int


@dataclass(frozen=True)
class Const:
    """rd = imm (0..255). rd may be a read-only register (the write is dropped)."""

    rd: int
    imm: int


@dataclass(frozen=True)
class Nop:
    """A NOP, or (word != 0) a raw word with an unused opcode 0xD/0xE that runs as NOP."""

    word: int = 0


@dataclass(frozen=True)
class Load:
    """rd = mem[addr] from the read-only input region [0, 128).

    mode 'const': addr = value;  'direct': addr = register `value` (a read-only register,
    always < 128);  'mod': addr = register `value` mod 128.
    """

    rd: int
    mode: str
    value: int


@dataclass(frozen=True)
class SlotAccess:
    """Load from or store to the thread's own slot: mem[base + offset].

    store=True: mem[...] = register `reg`; store=False: register `reg` = mem[...].
    mode 'const': offset = value (0..K-1);  'mod': offset = register `value` mod K.
    """

    store: bool
    reg: int
    mode: str
    value: int


@dataclass(frozen=True)
class SharedAccess:
    """LDS from or STS to one of the thread's private shared bytes: shared[sbase + offset].

    store=True: shared[...] = register `reg`; store=False: register `reg` = shared[...].
    mode 'const': offset = value (0..private-1);  'mod': offset = register `value` mod
    the private size. wrap: the address is given plus SHARED_MEM_BYTES (the same byte).
    """

    store: bool
    reg: int
    mode: str
    value: int
    wrap: bool = False


@dataclass(frozen=True)
class Publish:
    """BAR; STS the thread's published byte `offset` = register `reg`; BAR (top level)."""

    reg: int
    offset: int


@dataclass(frozen=True)
class NeighbourRead:
    """rd = a published byte of thread `partner`: 'zero' (thread 0), 'half' (t / 2) or
    'self' (t): always a thread of the same block."""

    rd: int
    partner: str
    offset: int


@dataclass(frozen=True)
class Barrier:
    """A BAR at the top level."""


@dataclass(frozen=True)
class EarlyExit:
    """CMP a, b; the threads where (NZP & mask) != 0 leave: RET here (top level), or
    (far) a jump to a RET after the program's end. Far exits run their RET when every
    thread below waits at a barrier: the RET releases it."""

    setup: tuple[Const, ...]
    a: int
    b: int
    mask: int
    far: bool = False


@dataclass(frozen=True)
class If:
    """CMP a, b; then-body runs where (NZP & mask) != 0, else-body elsewhere.

    `setup` are CONSTs into the scratch registers that a or b may name (compare against
    a constant). mask 0 never takes, 7 always takes: those are the uniform branches.
    barrier (top-level ifs only): each branch ends with a BAR (a divergent barrier: the
    threads of both sides are released together), or starts with one (barrier_first).
    """

    setup: tuple[Const, ...]
    a: int
    b: int
    mask: int
    then: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()
    barrier: bool = False
    barrier_first: bool = False


@dataclass(frozen=True)
class Loop:
    """A counted loop with a per-thread trip count derived from register `src`.

    style:
      'down_top'    counter = src mod M (0..M-1), test at the top, count down to 0
      'down_bottom' counter = src mod M + 1 (1..M), test at the bottom, count down
      'up_top'      limit = src mod M, counter 0 up to limit, test at the top
      'up_bottom'   limit = src mod M + 1, counter 0 up to limit, test at the bottom
    swap: compare operands swapped (so the loop branches on N instead of P or back).
    mask: the loop's branch condition (a valid one for the style and swap).
    `counter`/`limit` are the reserved registers of the loop's nesting depth.
    """

    style: str
    counter: int
    limit: int
    src: int
    trips: int  # M
    swap: bool
    mask: int
    body: tuple[Stmt, ...]


Stmt = Alu | Const | Nop | Load | SlotAccess | SharedAccess | Publish | NeighbourRead | Barrier | EarlyExit | If | Loop


@dataclass(frozen=True)
class Roles:
    """Which physical register plays which role in one program (see module docstring)."""

    base: int
    sbase: int
    t1: int
    t2: int
    counters: tuple[int, ...]
    limits: tuple[int, ...]
    data: tuple[int, ...]


@dataclass(frozen=True)
class Kernel:
    """The program's AST: register roles, slot sizes and the statement tree."""

    roles: Roles
    slot_bytes: int
    body: tuple[Stmt, ...]
    shared_slot: int = 0  # S: shared bytes per thread (0: no shared memory traffic)
    shared_bytes: int = DEFAULT_SHARED_MEM_BYTES

    @property
    def private_bytes(self) -> int:
        return self.shared_slot // 2

    @property
    def published_bytes(self) -> int:
        return self.shared_slot - self.private_bytes


@dataclass
class RandomProgram:
    """One generated program: launch size, initial memory, tree and rendered assembly."""

    seed: int
    block_dim: int
    threads: int
    data: list[int]  # full 256-byte initial data memory
    ast: Kernel
    size: str = "medium"
    shared_bytes: int = DEFAULT_SHARED_MEM_BYTES
    asm: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not self.asm:
            self.asm = self.to_asm()

    def to_asm(self) -> str:
        """Render the complete assembly source (header, .threads, code, .data)."""
        return _render_program(self)

    def with_changes(self, **changes) -> RandomProgram:
        """A copy with some fields changed and the assembly re-rendered."""
        changes.setdefault("asm", "")
        return dataclasses.replace(self, **changes)

    @property
    def num_words(self) -> int:
        """Program size in instruction words."""
        return _Renderer(self.ast).render().count_words()

    @property
    def max_retired_per_thread(self) -> int:
        """Static upper bound on instructions any one thread retires (incl. RET)."""
        return max_retired(self.ast)


# --------------------------------------------------------------------------------------
# Rendering: tree -> assembly text. Labels are resolved here too, because the nzp=000
# branch has no mnemonic and is emitted as a raw `.word` holding the target address.
# --------------------------------------------------------------------------------------


class _Listing:
    """Rendered lines: ('ins', text, comment) | ('label', name) | ('br0', label, comment)."""

    def __init__(self) -> None:
        self.items: list[tuple] = []

    def count_words(self) -> int:
        return sum(1 for item in self.items if item[0] != "label")

    def text(self) -> list[str]:
        # First pass: the address of every label.
        labels, pc = {}, 0
        for item in self.items:
            if item[0] == "label":
                labels[item[1]] = pc
            else:
                pc += 1
        lines = []
        for item in self.items:
            if item[0] == "label":
                lines.append(f"{item[1]}:")
                continue
            if item[0] == "br0":
                text = f".word 0x{encode_branch(0, labels[item[1]]):04X}"
            else:
                text = item[1]
            comment = item[2]
            lines.append(f"    {text:<24} ; {comment}" if comment else f"    {text}")
        return lines


class _Renderer:
    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel
        self.r = kernel.roles
        self.out = _Listing()
        self.next_label = 0
        self.far_exit: str | None = None  # label of the RET after the end, once used

    # -- emit helpers ------------------------------------------------------------------
    def ins(self, text: str, comment: str | None = None) -> None:
        self.out.items.append(("ins", text, comment))

    def label(self, name: str) -> None:
        self.out.items.append(("label", name))

    def new_label(self, hint: str) -> str:
        self.next_label += 1
        return f"L{self.next_label}_{hint}"

    def branch(self, mask: int, target: str, comment: str | None = None) -> None:
        if mask == 0:
            self.out.items.append(("br0", target, comment or "branch nzp=000: never taken"))
        else:
            self.ins(f"{branch_name(mask)} {target}", comment)

    def alu(self, op: str, rd: int, rs: int, rt: int, comment: str | None = None) -> None:
        if rd in READ_ONLY:  # the assembler need not accept a read-only destination
            word = encode_arithmetic(Opcode[op], rd, rs, rt)
            self.ins(f".word 0x{word:04X}", f"{op} {reg_name(rd)}, {reg_name(rs)}, {reg_name(rt)} (write dropped)")
        else:
            self.ins(f"{op} {reg_name(rd)}, {reg_name(rs)}, {reg_name(rt)}", comment)

    def const(self, rd: int, imm: int, comment: str | None = None) -> None:
        if rd in READ_ONLY:
            self.ins(f".word 0x{encode_const(rd, imm):04X}", f"CONST {reg_name(rd)}, #{imm} (write dropped)")
        else:
            self.ins(f"CONST {reg_name(rd)}, #{imm}", comment)

    def ldr(self, rd: int, rs: int, comment: str | None = None) -> None:
        if rd in READ_ONLY:
            self.ins(
                f".word 0x{encode_ldr(rd, rs):04X}", f"LDR {reg_name(rd)}, {reg_name(rs)} (read done, write dropped)"
            )
        else:
            self.ins(f"LDR {reg_name(rd)}, {reg_name(rs)}", comment)

    def lds(self, rd: int, rs: int, comment: str | None = None) -> None:
        if rd in READ_ONLY:
            self.ins(
                f".word 0x{encode_lds(rd, rs):04X}", f"LDS {reg_name(rd)}, {reg_name(rs)} (read done, write dropped)"
            )
        else:
            self.ins(f"LDS {reg_name(rd)}, {reg_name(rs)}", comment)

    def shared_address(self, offset: int, comment: str | None) -> int:
        """t2 = sbase + offset (returns the register holding the address)."""
        if offset == 0:
            return self.r.sbase
        self.const(self.r.t1, offset, comment)
        self.alu("ADD", self.r.t2, self.r.sbase, self.r.t1)
        return self.r.t2

    def modulo(self, dst: int, src: int, m: int, what: str) -> None:
        """dst = src mod m, clobbering t1 (dst, src, t1 all distinct)."""
        t1 = self.r.t1
        self.const(t1, m, f"{what} = {reg_name(src)} mod {m}")
        self.alu("DIV", dst, src, t1)
        self.alu("MUL", dst, dst, t1)
        self.alu("SUB", dst, src, dst)

    # -- statements --------------------------------------------------------------------
    def render(self) -> _Listing:
        r = self.r
        self.ins(f"MUL {reg_name(r.base)}, %blockIdx, %blockDim", "prologue: base = 128 + gid*K")
        self.ins(f"ADD {reg_name(r.base)}, {reg_name(r.base)}, %threadIdx")
        self.const(r.t1, self.k.slot_bytes)
        self.alu("MUL", r.base, r.base, r.t1)
        self.const(r.t1, OUTPUT_BASE)
        self.alu("ADD", r.base, r.base, r.t1)
        if self.k.shared_slot:
            self.const(r.t1, self.k.shared_slot, "prologue: sbase = threadIdx * S, then fill all S bytes")
            self.alu("MUL", r.sbase, THREAD_IDX, r.t1)
            for offset in range(self.k.shared_slot):
                address = self.shared_address(offset, None)
                self.ins(f"STS {reg_name(address)}, {reg_name(r.base if offset % 2 else r.sbase)}")
            self.ins("BAR", "every thread's shared bytes are written")
        self.block(self.k.body)
        self.ins("RET", "every path ends here (but for early exits)")
        if self.far_exit:
            self.label(self.far_exit)
            self.ins("RET", "far early exit")
        return self.out

    def block(self, stmts) -> None:
        for s in stmts:
            self.stmt(s)

    def stmt(self, s: Stmt) -> None:
        r = self.r
        if isinstance(s, Alu):
            self.alu(s.op, s.rd, s.rs, s.rt)
        elif isinstance(s, Const):
            self.const(s.rd, s.imm)
        elif isinstance(s, Nop):
            if s.word:
                self.ins(f".word 0x{s.word:04X}", "unused opcode: runs as NOP")
            else:
                self.ins("NOP")
        elif isinstance(s, Load):
            if s.mode == "const":
                self.const(r.t2, s.value, f"load input[{s.value}]")
                self.ldr(s.rd, r.t2)
            elif s.mode == "direct":
                self.ldr(s.rd, s.value, "load input[read-only register]")
            else:
                self.modulo(r.t2, s.value, INPUT_BYTES, "load address")
                self.ldr(s.rd, r.t2)
        elif isinstance(s, SlotAccess):
            self.slot_access(s)
        elif isinstance(s, SharedAccess):
            self.shared_access(s)
        elif isinstance(s, Publish):
            self.ins("BAR", "publish: nobody reads published bytes now")
            address = self.shared_address(self.k.private_bytes + s.offset, None)
            self.ins(f"STS {reg_name(address)}, {reg_name(s.reg)}")
            self.ins("BAR", "publish: the new bytes are visible")
        elif isinstance(s, NeighbourRead):
            self.neighbour_read(s)
        elif isinstance(s, Barrier):
            self.ins("BAR")
        elif isinstance(s, EarlyExit):
            for c in s.setup:
                self.const(c.rd, c.imm)
            self.ins(f"CMP {reg_name(s.a)}, {reg_name(s.b)}")
            if s.far:
                self.far_exit = self.far_exit or self.new_label("far_exit")
                self.branch(s.mask, self.far_exit, "early exit, through the RET after the end")
            else:
                stay = self.new_label("stay")
                self.branch(7 - s.mask, stay, "early exit: the others stay")
                self.ins("RET", "early exit: later barriers do not wait for these threads")
                self.label(stay)
        elif isinstance(s, If):
            self.if_stmt(s)
        elif isinstance(s, Loop):
            self.loop(s)
        else:  # pragma: no cover - the tree only holds the types above
            raise TypeError(s)

    def slot_access(self, s: SlotAccess) -> None:
        r = self.r
        what = "store to" if s.store else "reload from"
        if s.mode == "const" and s.value == 0:
            addr = r.base
            comment = f"{what} own slot + 0"
        elif s.mode == "const":
            self.const(r.t1, s.value, f"{what} own slot + {s.value}")
            self.alu("ADD", r.t2, r.base, r.t1)
            addr, comment = r.t2, None
        else:
            self.modulo(r.t2, s.value, self.k.slot_bytes, f"{what} own slot: offset")
            self.alu("ADD", r.t2, r.t2, r.base)
            addr, comment = r.t2, None
        if s.store:
            self.ins(f"STR {reg_name(addr)}, {reg_name(s.reg)}", comment)
        else:
            self.ldr(s.reg, addr, comment)

    def shared_access(self, s: SharedAccess) -> None:
        r = self.r
        what = "shared store to" if s.store else "shared load from"
        if s.mode == "const":
            address = self.shared_address(s.value, f"{what} own private byte {s.value}")
        else:
            self.modulo(r.t2, s.value, self.k.private_bytes, f"{what} own private byte")
            self.alu("ADD", r.t2, r.t2, r.sbase)
            address = r.t2
        if s.wrap:
            self.const(r.t1, self.k.shared_bytes, "+ SHARED_MEM_BYTES: wraps to the same byte")
            self.alu("ADD", r.t2, address, r.t1)
            address = r.t2
        if s.store:
            self.ins(f"STS {reg_name(address)}, {reg_name(s.reg)}")
        else:
            self.lds(s.reg, address)

    def neighbour_read(self, s: NeighbourRead) -> None:
        r = self.r
        byte = self.k.private_bytes + s.offset
        if s.partner == "zero":
            self.const(r.t2, byte, f"thread 0's published byte {s.offset}")
            address = r.t2
        elif s.partner == "self":
            address = self.shared_address(byte, f"own published byte {s.offset}")
        else:
            self.const(r.t1, 2, f"thread t/2's published byte {s.offset}")
            self.alu("DIV", r.t2, THREAD_IDX, r.t1)
            self.const(r.t1, self.k.shared_slot)
            self.alu("MUL", r.t2, r.t2, r.t1)
            self.const(r.t1, byte)
            self.alu("ADD", r.t2, r.t2, r.t1)
            address = r.t2
        self.lds(s.rd, address)

    def if_stmt(self, s: If) -> None:
        for c in s.setup:
            self.const(c.rd, c.imm)
        self.ins(f"CMP {reg_name(s.a)}, {reg_name(s.b)}")
        end = self.new_label("endif")
        if s.orelse or s.barrier:
            then = self.new_label("then")
            self.branch(s.mask, then, "if: taken -> then, else fall into the else part")
            self.branch_body(s.orelse, s, "else")
            self.ins(f"BRnzp {end}")
            self.label(then)
            self.branch_body(s.then, s, "then")
        else:
            # Skip the then-part with the complementary condition.
            self.branch(7 - s.mask, end, "if: skip the then part")
            self.block(s.then)
        self.label(end)

    def branch_body(self, stmts, s: If, side: str) -> None:
        """One side of an if/else, with its BAR when the if carries a barrier."""
        if s.barrier and s.barrier_first:
            self.ins("BAR", f"divergent barrier ({side} side)")
        self.block(stmts)
        if s.barrier and not s.barrier_first:
            self.ins("BAR", f"divergent barrier ({side} side)")

    def loop(self, s: Loop) -> None:
        r = self.r
        c, lim = s.counter, s.limit
        top, end = self.new_label("loop"), self.new_label("endloop")
        bottom_tested = s.style.endswith("bottom")
        x = c if s.style.startswith("down") else lim  # the register holding the trip count
        if s.style.startswith("up"):
            self.const(c, 0, "loop counter")
        self.modulo(x, s.src, s.trips, "loop trips" + (" - 1" if bottom_tested else ""))
        if bottom_tested:
            self.const(r.t1, 1)
            self.alu("ADD", x, x, r.t1)
        self.label(top)
        if not bottom_tested:
            self.loop_test(s, exit_label=end)
        self.block(s.body)
        self.const(r.t1, 1)
        self.alu("SUB" if s.style.startswith("down") else "ADD", c, c, r.t1)
        if bottom_tested:
            self.loop_test(s, exit_label=None, top=top)
        else:
            self.ins(f"BRnzp {top}")
        self.label(end)

    def loop_test(self, s: Loop, exit_label: str | None, top: str | None = None) -> None:
        """Compare counter with 0 (down) or limit (up) and branch out / back."""
        if s.style.startswith("down"):
            self.const(self.r.t1, 0)
            a, b = s.counter, self.r.t1
        else:
            a, b = s.counter, s.limit
        if s.swap:
            a, b = b, a
        self.ins(f"CMP {reg_name(a)}, {reg_name(b)}")
        if exit_label is not None:
            self.branch(s.mask, exit_label, "loop exit")
        else:
            assert top is not None  # a loop tested at its bottom branches back to its top
            self.branch(s.mask, top, "loop back")


# Valid branch masks of each loop style, as (not swapped, swapped). See Loop and
# _Renderer.loop_test: the flags that can occur are {exit flag, continue flag}, and the
# mask must contain the one that branches and not the other.
LOOP_MASKS = {
    # top-tested: branch out when done (Z); continue flag P (counter>0) or N (counter<limit)
    "down_top": ((Z, N | Z), (Z, Z | P)),
    "up_top": ((Z, Z | P), (Z, N | Z)),
    # bottom-tested: branch back while not done; done = Z
    "down_bottom": ((P, N | P), (N, N | P)),
    "up_bottom": ((N, N | P), (P, N | P)),
}


# --------------------------------------------------------------------------------------
# Static cost: worst-case instructions retired by one thread. It mirrors _Renderer; the
# tests check it against the model (it must never be below the real count).
# --------------------------------------------------------------------------------------

PROLOGUE_COST = 6


def _shared_prologue_cost(shared_slot: int) -> int:
    if not shared_slot:
        return 0
    return 2 + sum(1 if offset == 0 else 3 for offset in range(shared_slot)) + 1


def _stmt_cost(s: Stmt, k: Kernel) -> int:
    if isinstance(s, (Alu, Const, Nop, Barrier)):
        return 1
    if isinstance(s, SharedAccess):
        cost = (1 if s.value == 0 else 3) if s.mode == "const" else 6
        return cost + (2 if s.wrap else 0)
    if isinstance(s, Publish):
        return 3 if k.private_bytes + s.offset == 0 else 5
    if isinstance(s, NeighbourRead):
        if s.partner == "zero":
            return 2
        if s.partner == "self":
            return 1 if k.private_bytes + s.offset == 0 else 3
        return 7
    if isinstance(s, EarlyExit):
        return len(s.setup) + 3  # setup, CMP, branch, RET
    if isinstance(s, Load):
        return {"const": 2, "direct": 1, "mod": 5}[s.mode]
    if isinstance(s, SlotAccess):
        if s.mode == "const":
            return 1 if s.value == 0 else 3
        return 6
    if isinstance(s, If):
        head = len(s.setup) + 2
        bar = 1 if s.barrier else 0
        if s.orelse or s.barrier:
            return head + max(_block_cost(s.orelse, k) + bar + 1, _block_cost(s.then, k) + bar)
        return head + _block_cost(s.then, k)
    if isinstance(s, Loop):
        body = _block_cost(s.body, k)
        if s.style == "down_top":
            return 4 + (s.trips - 1) * (body + 6) + 3
        if s.style == "up_top":
            return 5 + (s.trips - 1) * (body + 5) + 2
        if s.style == "down_bottom":
            return 6 + s.trips * (body + 5)
        return 7 + s.trips * (body + 4)  # up_bottom
    raise TypeError(s)


def _block_cost(stmts, k: Kernel) -> int:
    return sum(_stmt_cost(s, k) for s in stmts)


def max_retired(kernel: Kernel) -> int:
    """Upper bound on the instructions one thread retires, prologue and RET included."""
    return PROLOGUE_COST + _shared_prologue_cost(kernel.shared_slot) + _block_cost(kernel.body, kernel) + 1


# --------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------

# size -> (top-level statements, max if/else nesting, max per-thread cost, max words)
SIZES = {
    "small": ((4, 10), 2, 300, 90),
    "medium": ((8, 18), 3, 800, 190),
    "large": ((14, 30), 3, 1200, 250),
}

# Which kinds of statement to draw, with weights.
STMT_WEIGHTS = {
    "alu": 30,
    "const": 6,
    "nop": 2,
    "unused": 2,
    "ro_write": 2,
    "load": 12,
    "store": 12,
    "reload": 7,
    "if": 14,
    "loop": 7,
    "shared": 8,
    "neighbour": 6,
    # top level only (barriers stay aligned: see the module docstring)
    "barrier": 3,
    "publish": 4,
    "exit": 2,
}
TOP_LEVEL_ONLY = ("barrier", "publish", "exit")


class _Gen:
    """Draws one statement tree. All randomness comes from self.rng."""

    def __init__(
        self,
        rng: random.Random,
        roles: Roles,
        slot_bytes: int,
        block_dim: int,
        max_nest: int,
        shared_slot: int,
        shared_bytes: int,
    ) -> None:
        self.rng = rng
        self.r = roles
        self.k = slot_bytes
        self.block_dim = block_dim
        self.max_nest = max_nest
        self.shared_slot = shared_slot
        self.private = shared_slot // 2
        self.published = shared_slot - shared_slot // 2
        # Adding SHARED_MEM_BYTES to an address must stay below 256 to wrap around.
        self.can_wrap = shared_bytes <= DATA_MEM_SIZE // 2

    # -- operand choice ----------------------------------------------------------------
    def dst(self) -> int:
        return self.rng.choice(self.r.data)

    def src(self) -> int:
        """Any readable register except the scratch ones, data registers most often."""
        rng, r = self.rng, self.r
        pick = rng.random()
        if pick < 0.62:
            return rng.choice(r.data)
        if pick < 0.85:
            return rng.choice(READ_ONLY)
        return rng.choice((r.base,) + r.counters + r.limits)

    def byte(self) -> int:
        """A byte value biased toward the interesting ones."""
        rng = self.rng
        return rng.choice((0, 1, 2, 3, 7, 127, 128, 254, 255, rng.randrange(256)))

    # -- statements --------------------------------------------------------------------
    def block(self, n: int, nest: int, loop_depth: int) -> tuple[Stmt, ...]:
        return tuple(self.stmt(nest, loop_depth) for _ in range(n))

    def stmt(self, nest: int, loop_depth: int) -> Stmt:
        rng = self.rng
        kinds = dict(STMT_WEIGHTS)
        if nest >= self.max_nest:
            kinds["if"] = kinds["loop"] = 0
        if loop_depth >= MAX_LOOP_DEPTH:
            kinds["loop"] = 0
        if nest > 0 or loop_depth > 0:
            for top_only in TOP_LEVEL_ONLY:
                kinds[top_only] = 0
        if not self.shared_slot:
            kinds["shared"] = kinds["neighbour"] = kinds["publish"] = 0
        if not self.private:
            kinds["shared"] = 0
        kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]

        if kind == "alu":
            return Alu(rng.choice(ALU_OPS), self.dst(), self.src(), self.src())
        if kind == "const":
            return Const(self.dst(), self.byte())
        if kind == "nop":
            return Nop()
        if kind == "unused":
            return Nop(word=(rng.randrange(0xD, 0xF) << 12) | rng.randrange(0x1000))
        if kind == "shared":
            store = rng.random() < 0.5
            reg = self.src() if store else self.dst()
            wrap = self.can_wrap and rng.random() < 0.2
            if self.private > 1 and rng.random() < 0.5:
                return SharedAccess(store, reg, "mod", self.src(), wrap)
            return SharedAccess(store, reg, "const", rng.randrange(self.private), wrap)
        if kind == "neighbour":
            return NeighbourRead(self.dst(), rng.choice(("zero", "half", "self")), rng.randrange(self.published))
        if kind == "publish":
            return Publish(self.src(), rng.randrange(self.published))
        if kind == "barrier":
            return Barrier()
        if kind == "exit":
            setup, a, b = self.condition("thread" if rng.random() < 0.8 else None)
            return EarlyExit(setup, a, b, rng.randrange(1, 7), rng.random() < 0.5)
        if kind == "ro_write":
            rd = rng.choice(READ_ONLY)
            form = rng.randrange(3)
            if form == 0:
                return Alu(rng.choice(ALU_OPS), rd, self.src(), self.src())
            if form == 1:
                return Const(rd, self.byte())
            return Load(rd, "direct", rng.choice(READ_ONLY))
        if kind == "load":
            mode = rng.choice(("const", "direct", "mod", "mod"))
            if mode == "const":
                return Load(self.dst(), mode, rng.randrange(INPUT_BYTES))
            if mode == "direct":
                return Load(self.dst(), mode, rng.choice(READ_ONLY))
            return Load(self.dst(), mode, self.src())
        if kind in ("store", "reload"):
            store = kind == "store"
            reg = self.src() if store else self.dst()
            if self.k > 1 and rng.random() < 0.5:
                return SlotAccess(store, reg, "mod", self.src())
            return SlotAccess(store, reg, "const", rng.randrange(self.k))
        if kind == "if":
            return self.if_stmt(nest, loop_depth)
        return self.loop(nest, loop_depth)

    def if_stmt(self, nest: int, loop_depth: int) -> If:
        rng = self.rng
        # A divergent barrier: only at the top level, where every thread passes the if
        # once; mostly on a condition that splits the block.
        barrier = nest == 0 and loop_depth == 0 and rng.random() < 0.3
        setup, a, b = self.condition("thread" if barrier and rng.random() < 0.7 else None)
        mask = rng.randrange(8) if rng.random() < 0.15 else rng.randrange(1, 7)
        then = self.block(rng.randint(1, 4), nest + 1, loop_depth)
        orelse = self.block(rng.randint(1, 3), nest + 1, loop_depth) if rng.random() < 0.6 else ()
        return If(setup, a, b, mask, then, orelse, barrier, barrier and rng.random() < 0.5)

    def condition(self, shape: str | None = None) -> tuple[tuple[Const, ...], int, int]:
        """(setup, a, b) of a CMP that splits the block ("thread"), or compares data, or
        is uniform; `shape` None draws one."""
        rng, r = self.rng, self.r
        shape = shape or rng.choice(("thread", "thread", "data", "data", "const", "uniform"))
        setup: tuple[Const, ...] = ()
        if shape == "thread":
            # thread index (or global slot base) against a constant: splits the block
            a = rng.choice((THREAD_IDX, THREAD_IDX, r.base))
            c = rng.randrange(self.block_dim + 1) if a == THREAD_IDX else rng.randrange(128, 256)
            setup, b = (Const(r.t1, c),), r.t1
        elif shape == "data":
            a, b = self.src(), self.src()
        elif shape == "const":
            a, b = self.src(), r.t1
            setup = (Const(r.t1, self.byte()),)
        else:
            # the same outcome in every thread: all or none take the branch
            form = rng.randrange(3)
            if form == 0:
                a = b = self.src()
            elif form == 1:
                setup = (Const(r.t1, self.byte()), Const(r.t2, self.byte()))
                a, b = r.t1, r.t2
            else:
                setup = (Const(r.t1, rng.randrange(10)),)
                a, b = BLOCK_DIM, r.t1
        if rng.random() < 0.5:
            a, b = b, a
        return setup, a, b

    def loop(self, nest: int, loop_depth: int) -> Loop:
        rng, r = self.rng, self.r
        style = rng.choice(tuple(LOOP_MASKS))
        swap = rng.random() < 0.5
        mask = rng.choice(LOOP_MASKS[style][swap])
        trips = rng.randint(2, 4) if loop_depth == 0 else rng.randint(2, 3)
        # trip count source: thread index, global slot base, loaded data, anything
        src = rng.choice((THREAD_IDX, r.base, self.src(), rng.choice(r.data)))
        if src in (r.counters[loop_depth], r.limits[loop_depth]):
            src = THREAD_IDX  # (harmless, but its own counter would give a constant trip)
        body = self.block(rng.randint(1, 4), nest + 1, loop_depth + 1)
        return Loop(style, r.counters[loop_depth], r.limits[loop_depth], src, trips, swap, mask, body)


def _random_data(rng: random.Random) -> list[int]:
    """256 initial bytes: inputs, slots and guard bytes, biased to corner values."""
    out = []
    for _ in range(DATA_MEM_SIZE):
        pick = rng.random()
        if pick < 0.12:
            out.append(0)
        elif pick < 0.22:
            out.append(255)
        elif pick < 0.45:
            out.append(rng.randrange(8))
        else:
            out.append(rng.randrange(DATA_MEM_SIZE))
    return out


def _pick_threads(rng: random.Random, block_dim: int, max_threads: int | None) -> int:
    """1..max threads. Default max = 4*block_dim (so, with 2 cores, more blocks than
    cores about half the time), capped at 128 (one output byte per thread at least)."""
    hi = max_threads if max_threads is not None else max(4 * block_dim, 6)
    hi = max(1, min(hi, 128))
    pick = rng.random()
    if pick < 0.2:
        return rng.randint(1, min(hi, block_dim))  # single block
    if pick < 0.35 and hi > block_dim:
        # a partial last block on purpose
        full = rng.randrange(0, max(1, hi // block_dim))
        return max(1, min(hi, full * block_dim + rng.randint(1, max(1, block_dim - 1))))
    return rng.randint(1, hi)


def generate(
    seed: int,
    *,
    block_dim: int = 4,
    max_threads: int | None = None,
    size: str = "medium",
    shared_bytes: int = DEFAULT_SHARED_MEM_BYTES,
) -> RandomProgram:
    """A random legal, terminating, race-free program for blocks of `block_dim` threads
    with `shared_bytes` of shared memory each. Same arguments, same program."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}")
    if not 1 <= block_dim <= 255:
        raise ValueError("block_dim must be 1..255")
    if shared_bytes not in {1 << n for n in range(9)}:
        raise ValueError("shared_bytes must be a power of two, 1..256")
    rng = random.Random(f"randprog:{seed}:{block_dim}:{max_threads}:{size}:{shared_bytes}")
    (lo, hi), max_nest, max_cost, max_words = SIZES[size]

    threads = _pick_threads(rng, block_dim, max_threads)
    slot_bytes = rng.choice([k for k in (1, 2, 4, 8) if threads * k <= 128])

    regs = list(range(NUM_GENERAL_REGISTERS))
    rng.shuffle(regs)
    roles = Roles(
        base=regs[0],
        sbase=regs[7],
        t1=regs[1],
        t2=regs[2],
        counters=tuple(regs[3:5]),
        limits=tuple(regs[5:7]),
        data=tuple(regs[8:]),
    )
    data = _random_data(rng)
    shared_slot = min(MAX_SHARED_SLOT, shared_bytes // block_dim)

    gen = _Gen(rng, roles, slot_bytes, block_dim, max_nest, shared_slot, shared_bytes)
    n = rng.randint(lo, hi)
    for _attempt in range(100):
        # Start with a few statements that bring thread-dependent values into data
        # registers (all registers start at 0), then the random body.
        intro = (
            Load(gen.dst(), "direct", THREAD_IDX),
            Alu(rng.choice(("ADD", "MUL", "SUB")), gen.dst(), gen.src(), rng.choice(READ_ONLY)),
            Load(gen.dst(), "mod", roles.base),
        )
        body = intro[: rng.randint(1, 3)] + gen.block(n, 0, 0)
        kernel = Kernel(roles, slot_bytes, body, shared_slot, shared_bytes)
        if max_retired(kernel) <= max_cost and _Renderer(kernel).render().count_words() <= max_words:
            break
        n = max(1, n - 1)  # too long: try again, a little smaller
    else:  # pragma: no cover - 100 failures in a row do not happen with these sizes
        raise RuntimeError(f"seed {seed}: no program within budget")
    return RandomProgram(seed, block_dim, threads, data, kernel, size, shared_bytes)


def _render_program(p: RandomProgram) -> str:
    k = p.ast
    r = k.roles
    listing = _Renderer(k).render()
    names = lambda regs: ", ".join(reg_name(x) for x in regs)  # noqa: E731
    lines = [
        f"; randprog seed={p.seed} block_dim={p.block_dim} size={p.size}",
        f"; threads={p.threads} slot_bytes={k.slot_bytes}: inputs [0,128) read-only,"
        f" thread g owns [128+g*{k.slot_bytes}, 128+(g+1)*{k.slot_bytes})",
        f"; shared memory {k.shared_bytes} bytes: thread t owns [t*{k.shared_slot}, (t+1)*{k.shared_slot}),"
        f" {k.private_bytes} private then {k.published_bytes} published",
        f"; registers: base={reg_name(r.base)} sbase={reg_name(r.sbase)} scratch={names((r.t1, r.t2))}"
        f" counters={names(r.counters)} limits={names(r.limits)} data={names(r.data)}",
        f"; {listing.count_words()} words, at most {max_retired(k)} instructions per thread",
        f".threads {p.threads}",
        "",
        *listing.text(),
        "",
        "; initial data memory (256 bytes)",
    ]
    for i in range(0, DATA_MEM_SIZE, 16):
        lines.append(".data " + " ".join(str(v) for v in p.data[i : i + 16]))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# Shrinking
# --------------------------------------------------------------------------------------


def _list_variants(stmts: tuple[Stmt, ...]) -> Iterator[tuple[Stmt, ...]]:
    """Every single reduction of a statement list, biggest first.

    Removes chunks (halves, quarters, ... single statements, as in delta debugging),
    then reduces each statement in place (see _stmt_variants).
    """
    n = len(stmts)
    size = n
    while size >= 1:
        for start in range(0, n, size):
            yield stmts[:start] + stmts[start + size :]
        size //= 2
    for i, s in enumerate(stmts):
        for repl in _stmt_variants(s):
            yield stmts[:i] + repl + stmts[i + 1 :]


def _stmt_variants(s: Stmt) -> Iterator[tuple[Stmt, ...]]:
    """Replacements for one statement: unwrap it, or reduce inside it."""
    if isinstance(s, If):
        if s.barrier:
            yield (dataclasses.replace(s, barrier=False, barrier_first=False),)
        yield s.then  # unwrap: keep only the then part
        if s.orelse:
            yield s.orelse  # unwrap: keep only the else part
            yield (dataclasses.replace(s, orelse=()),)
        for v in _list_variants(s.then):
            yield (dataclasses.replace(s, then=v),)
        for v in _list_variants(s.orelse):
            yield (dataclasses.replace(s, orelse=v),)
    elif isinstance(s, Loop):
        # Unwrapping a loop lifts its body out; nested loops keep their own (different)
        # counter registers, so no loop's counter is written by a body afterwards either.
        yield s.body
        if s.trips > 1:
            yield (dataclasses.replace(s, trips=s.trips - 1),)
        for v in _list_variants(s.body):
            yield (dataclasses.replace(s, body=v),)
    elif isinstance(s, SlotAccess) and s.mode == "mod":
        yield (dataclasses.replace(s, mode="const", value=0),)
    elif isinstance(s, SharedAccess):
        if s.wrap:
            yield (dataclasses.replace(s, wrap=False),)
        if s.mode == "mod":
            yield (dataclasses.replace(s, mode="const", value=0),)
    elif isinstance(s, Load) and s.mode == "mod":
        yield (dataclasses.replace(s, mode="const", value=0),)


def _reductions(p: RandomProgram) -> Iterator[RandomProgram]:
    """Every single legal reduction of a program."""
    t = p.threads
    for smaller in sorted({1, (t + 1) // 2, t - 1}):
        if 1 <= smaller < t:
            yield p.with_changes(threads=smaller)
    for body in _list_variants(p.ast.body):
        yield p.with_changes(ast=dataclasses.replace(p.ast, body=body))


def shrink(
    program: RandomProgram, still_fails: Callable[[RandomProgram], bool], *, max_tries: int = 100_000
) -> RandomProgram:
    """Greedy delta reduction: apply the first single reduction that still fails, repeat
    until none does (a local minimum: no single reduction of the result still fails).

    Each reduction (fewer threads, statements or chunks removed, if/else or loop
    unwrapped, fewer loop trips, computed offsets made constant) keeps the program
    legal, terminating and race-free, so `still_fails` may run it on anything.
    `program` itself must fail. `max_tries` bounds the predicate calls.
    """
    if not still_fails(program):
        raise ValueError("shrink: the program given does not fail")
    current, tries = program, 0
    progress = True
    while progress:
        progress = False
        for candidate in _reductions(current):
            tries += 1
            if tries > max_tries:
                return current
            if still_fails(candidate):
                current, progress = candidate, True
                break
    return current
