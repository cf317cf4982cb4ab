# SPDX-License-Identifier: MIT
"""Pass 1: a kernel function's Python syntax tree -> IR (tinygpu.lang.ir).

Straightforward and naive on purpose: every literal becomes a `const`, every assignment
a `move`, every local variable one temporary; the later passes clean up. What the
language does not allow is reported here, at its line, and lowering goes on so that one
run shows every error of the file.

Control flow is laid out in source order, which is what the hardware's reconvergence
needs (it runs the threads with the smallest PC first, so threads that skipped ahead wait
at the join point for the others):

    if c: A else: B         branch not c -> ELSE; A; jump END; ELSE: B; END:
    while c: A              branch not c -> EXIT; TOP: A; CONT: branch c -> TOP; EXIT:
    for v in range(a, b, s) v = a; branch v >= b -> EXIT; TOP: A; CONT: v = v + s;
                            branch v < b -> TOP; EXIT:

(loops are "rotated": the test sits at the bottom, one branch per trip.)
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from ..isa import REG_BLOCK_DIM, REG_BLOCK_IDX, REG_THREAD_IDX
from .errors import ErrorList
from .ir import (
    CONDITIONS,
    Fixed,
    Instr,
    Operand,
    Temp,
    live_at_entry,
)
from .source import API_NAMES, INDEX_NAMES, KernelSource

_INDEX_REGISTERS = {"block_idx": REG_BLOCK_IDX, "block_dim": REG_BLOCK_DIM, "thread_idx": REG_THREAD_IDX}
_ARITHMETIC = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.FloorDiv: "div", ast.Mod: "mod"}
_COMPARISONS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_ALLOWED_EXPRESSIONS = "numbers 0..255, names, array[index], + - * // % and unary -"


@dataclass
class _Loop:
    continue_label: str
    break_label: str


class Lowering:
    """Builds the IR of one kernel function, recording errors in `errors`."""

    def __init__(self, source: KernelSource, errors: ErrorList) -> None:
        self.source = source
        self.errors = errors
        self.code: list[Instr] = []
        self.variables: dict[str, Temp] = {}
        self.temps = 0
        self.labels = 0
        self.loops: list[_Loop] = []
        self.loop_count = 0
        self.where: ast.AST = source.function

    # ---- helpers -------------------------------------------------------------------

    def temp(self, name: str = "") -> Temp:
        self.temps += 1
        return Temp(self.temps, name)

    def label(self, hint: str) -> str:
        self.labels += 1
        return f"{hint}{self.labels}"

    def emit(
        self,
        op: str,
        dst: Temp | None = None,
        srcs: tuple[Operand, ...] = (),
        *,
        value: int = 0,
        label: str = "",
        loop: int = 0,
    ) -> Temp | None:
        node = self.where
        self.code.append(
            Instr(op, dst, srcs, value, label, getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1, loop)
        )
        return dst

    def const(self, value: int) -> Temp:
        dst = self.temp()
        self.emit("const", dst, value=value % 256)
        return dst

    def error(self, node: ast.AST, message: str) -> Temp:
        self.errors.add(node, message)
        return self.temp()  # a stand-in value, so lowering goes on

    # ---- the function --------------------------------------------------------------

    def lower(self) -> list[Instr]:
        function = self.source.function
        self.check_assigned_names(function)
        body = function.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body = body[1:]  # the docstring
        self.statements(body)
        self.where = function.body[-1]
        self.emit("ret")
        self.check_reads()
        return self.code

    def check_assigned_names(self, function: ast.FunctionDef) -> None:
        """Every name the kernel assigns is a local variable: never a module-level name."""
        module_names = set(self.source.arrays) | set(self.source.shared) | set(self.source.constants)
        for node in ast.walk(function):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AugAssign | ast.For | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                name = target.id
                if name in API_NAMES or name in module_names or name == "range":
                    kind = "an index" if name in INDEX_NAMES else "a module-level name"
                    self.errors.add(
                        target,
                        f"cannot assign to {name!r}: it is {kind}, read-only in a kernel (use another local name)",
                    )
                elif name not in self.variables:
                    self.variables[name] = self.temp(name)

    def check_reads(self) -> None:
        """A variable read before it is assigned on some path is an error (Python would stop
        with an UnboundLocalError there; the GPU would read whatever the register holds)."""
        for temp in sorted((t for t in live_at_entry(self.code) if t.name), key=lambda t: t.number):
            use = next(instr for instr in self.code if temp in set(instr.uses()))
            self.errors.add(
                None,
                f"name {temp.name!r} may be read before it is assigned (on some path "
                "through the kernel): assign it first",
                line=use.line,
                column=use.column,
            )

    # ---- statements ----------------------------------------------------------------

    def statements(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.where = statement
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Assign):
            self.assign(node)
        elif isinstance(node, ast.AnnAssign) and node.value is not None and node.simple:
            self.assign(ast.copy_location(ast.Assign([node.target], node.value), node))  # x: int = 3
        elif isinstance(node, ast.AugAssign):
            self.augmented_assign(node)
        elif isinstance(node, ast.Expr):
            self.expression_statement(node)
        elif isinstance(node, ast.If):
            self.if_statement(node)
        elif isinstance(node, ast.While):
            self.while_loop(node)
        elif isinstance(node, ast.For):
            self.for_loop(node)
        elif isinstance(node, ast.Break | ast.Continue):
            if not self.loops:
                self.errors.add(node, f"{'break' if isinstance(node, ast.Break) else 'continue'} outside a loop")
            else:
                loop = self.loops[-1]
                self.emit("jump", label=loop.break_label if isinstance(node, ast.Break) else loop.continue_label)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                self.errors.add(node.value, "a kernel returns no value: write `return` alone (results go to arrays)")
            self.emit("ret")
        elif isinstance(node, ast.Pass):
            pass
        else:
            self.errors.add(
                node,
                f"{type(node).__name__.lower()} statements are not allowed in a kernel "
                "(allowed: assignments, +=, if/elif/else, for in range(), while, "
                "break, continue, return, barrier())",
            )

    def assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name | ast.Subscript):
            self.errors.add(node, "assign to one name or one array element (x = ..., a[i] = ...)")
            return
        target = node.targets[0]
        if isinstance(target, ast.Name):
            value = self.expression(node.value)
            if target.id in self.variables:
                self.emit("move", self.variables[target.id], (value,))
        else:
            store = self.element(target)
            value = self.expression(node.value)
            if store is not None:
                self.store(store, value)

    def augmented_assign(self, node: ast.AugAssign) -> None:
        op = _ARITHMETIC.get(type(node.op))
        if op is None:
            self.errors.add(node, f"operator {_operator_text(node.op)}= is not allowed (use + - * // %)")
            return
        if isinstance(node.target, ast.Name):
            current = self.name(node.target)
            value = self.expression(node.value)
            if node.target.id in self.variables:
                self.emit("move", self.variables[node.target.id], (self.arithmetic(op, current, value),))
        elif isinstance(node.target, ast.Subscript):
            element = self.element(node.target)
            value = self.expression(node.value)
            if element is not None:
                self.store(element, self.arithmetic(op, self.load(element), value))
        else:
            self.errors.add(node.target, "augmented assignment to a name or an array element only")

    def expression_statement(self, node: ast.Expr) -> None:
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "barrier":
            if call.args or call.keywords:
                self.errors.add(call, "barrier() takes no arguments")
            self.emit("barrier")
        else:
            self.errors.add(node, "an expression alone does nothing: the only call statement is barrier()")

    def if_statement(self, node: ast.If) -> None:
        otherwise = self.label("ELSE")
        self.condition(node.test, otherwise, when=False)
        self.statements(node.body)
        if node.orelse:
            end = self.label("ENDIF")
            self.where = node
            self.emit("jump", label=end)
            self.emit("label", label=otherwise)
            self.statements(node.orelse)
            self.emit("label", label=end)
        else:
            self.emit("label", label=otherwise)

    def while_loop(self, node: ast.While) -> None:
        if node.orelse:
            self.errors.add(node.orelse[0], "while ... else is not allowed")
        self.loop(node, node.body, lambda target, when: self.condition(node.test, target, when=when))

    def for_loop(self, node: ast.For) -> None:
        if node.orelse:
            self.errors.add(node.orelse[0], "for ... else is not allowed")
        call = node.iter
        if not (
            isinstance(node.target, ast.Name)
            and isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "range"
            and 1 <= len(call.args) <= 3
            and not call.keywords
        ):
            self.errors.add(node, "a for loop is `for NAME in range(...)` with one to three arguments")
            return
        name = node.target.id
        if name not in self.variables:
            return  # a module-level name: reported by check_assigned_names
        arguments = list(call.args)
        step_node = arguments[2] if len(arguments) == 3 else None
        if step_node is not None and (
            isinstance(step_node, ast.UnaryOp)
            and isinstance(step_node.op, ast.USub)
            or isinstance(step_node, ast.Constant)
            and step_node.value == 0
        ):
            self.errors.add(
                step_node, "range() counts up: its step is a byte from 1 to 255 (count down with a while loop)"
            )
        start = self.expression(arguments[0]) if len(arguments) >= 2 else self.const(0)
        stop_node = arguments[1] if len(arguments) >= 2 else arguments[0]
        stop = self.expression(stop_node)
        step = self.expression(step_node) if step_node is not None else self.const(1)
        # range() evaluates its arguments once and counts on its own: the variable gets the
        # count at the top of each trip, so the body may assign it, and after the loop it
        # holds the last value given, as in Python (the move goes when nothing needs it).
        counter, limit, increment = self.temp(), self.temp(), self.temp()
        variable = self.variables[name]
        self.where = node
        self.emit("move", counter, (start,))
        self.emit("move", limit, (stop,))
        self.emit("move", increment, (step,))

        def test(target: str, when: bool) -> None:
            self.where = node
            self.emit("branch", srcs=(counter, limit), value=CONDITIONS["<" if when else ">="], label=target)

        def enter() -> None:
            self.where = node
            self.emit("move", variable, (counter,))

        def advance() -> None:
            self.where = node
            self.emit("add", counter, (counter, increment))

        first, last = (self.known(arguments[0]) if len(arguments) >= 2 else 0), self.known(stop_node)
        runs = first is not None and last is not None and first < last  # at least one trip, surely
        self.loop(node, node.body, test, advance, enter, test_first=not runs)

    def known(self, node: ast.expr) -> int | None:
        """The byte value of a number or a module constant, None for anything else."""
        if isinstance(node, ast.Constant) and type(node.value) is int and 0 <= node.value <= 255:
            return node.value
        if isinstance(node, ast.Name) and node.id in self.source.constants and node.id not in self.variables:
            return self.source.constants[node.id] % 256
        return None

    def loop(
        self,
        node: ast.While | ast.For,
        body: list[ast.stmt],
        test: Callable[[str, bool], None],
        advance: Callable[[], None] | None = None,
        enter: Callable[[], None] | None = None,
        test_first: bool = True,
    ) -> None:
        """A rotated loop; `test(target, when)` branches to target when the loop condition is
        `when`; `enter()` and `advance()` (for loops) run at the start and the end of each trip;
        test_first=False: the first trip surely runs (range(2)), no test before it."""
        self.loop_count += 1
        number = self.loop_count
        top, again, exit_label = self.label("LOOP"), self.label("NEXT"), self.label("ENDLOOP")
        self.where = node
        self.emit("loop_begin", loop=number)
        if test_first:
            test(exit_label, False)
        self.emit("label", label=top)
        if enter is not None:
            enter()
        self.loops.append(_Loop(again, exit_label))
        self.statements(body)
        self.loops.pop()
        self.where = node
        self.emit("label", label=again)
        if advance is not None:
            advance()
        test(top, True)
        self.where = node
        self.emit("label", label=exit_label)
        self.emit("loop_end", loop=number)

    # ---- conditions ----------------------------------------------------------------

    def condition(self, node: ast.expr, target: str, *, when: bool) -> None:
        """Branch to `target` when `node` is true (when=True) or false (when=False)."""
        if isinstance(node, ast.Compare):
            if len(node.ops) != 1:
                self.errors.add(node, "one comparison at a time: join several with `and`")
                return
            text = _COMPARISONS.get(type(node.ops[0]))
            if text is None:
                self.errors.add(node, "comparisons are < <= > >= == != (unsigned bytes)")
                return
            left, right = self.expression(node.left), self.expression(node.comparators[0])
            code = CONDITIONS[text]
            self.where = node
            self.emit("branch", srcs=(left, right), value=code if when else 0b111 ^ code, label=target)
        elif isinstance(node, ast.BoolOp):
            is_and = isinstance(node.op, ast.And)
            if is_and != when:  # and/false or or/true: any operand decides
                for value in node.values:
                    self.condition(value, target, when=when)
            else:  # all operands must agree: the first that does not skips the branch
                skip = self.label("SKIP")
                for value in node.values[:-1]:
                    self.condition(value, skip, when=not when)
                self.condition(node.values[-1], target, when=when)
                self.emit("label", label=skip)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.condition(node.operand, target, when=not when)
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            if node.value == when:
                self.emit("jump", label=target)
        else:
            number = self.expression(node)  # a value: true when not zero
            zero = self.const(0)
            self.emit("branch", srcs=(number, zero), value=CONDITIONS["!="] if when else CONDITIONS["=="], label=target)

    # ---- expressions ---------------------------------------------------------------

    def expression(self, node: ast.expr) -> Operand:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            if not 0 <= node.value <= 255:
                return self.error(node, f"{node.value} is not a byte: numbers in a kernel are 0..255")
            return self.const(node.value)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            op = _ARITHMETIC.get(type(node.op))
            if op is None:
                return self.error(
                    node, f"operator {_operator_text(node.op)} is not allowed (arithmetic is + - * // % on bytes)"
                )
            left, right = self.expression(node.left), self.expression(node.right)
            self.where = node
            return self.arithmetic(op, left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.expression(node.operand)
            if isinstance(node.op, ast.UAdd):
                return operand
            return self.arithmetic("sub", self.const(0), operand)
        if isinstance(node, ast.Subscript):
            element = self.element(node)
            return self.load(element) if element is not None else self.temp()
        if isinstance(node, ast.Compare | ast.BoolOp) or isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.error(node, "comparisons, and, or, not are only allowed as the condition of an if or a while")
        if isinstance(node, ast.Call):
            return self.error(
                node, "calls are not allowed in expressions (barrier() is a statement, range() belongs in a for loop)"
            )
        if isinstance(node, ast.Constant):
            return self.error(node, f"{type(node.value).__name__} values are not allowed: values are bytes 0..255")
        return self.error(
            node, f"{type(node).__name__} is not allowed in a kernel: expressions are {_ALLOWED_EXPRESSIONS}"
        )

    def name(self, node: ast.Name) -> Operand:
        name = node.id
        if name in self.variables:
            return self.variables[name]
        if name in _INDEX_REGISTERS:
            return Fixed(_INDEX_REGISTERS[name])
        if name in self.source.constants:
            return self.const(self.source.constants[name])
        if name in self.source.arrays or name in self.source.shared:
            return self.error(node, f"{name!r} is an array: read one element, {name}[index]")
        return self.error(
            node,
            f"name {name!r} is never assigned (a kernel reads its local variables, "
            "module constants, arrays and thread_idx, block_idx, block_dim)",
        )

    def arithmetic(self, op: str, left: Operand, right: Operand) -> Temp:
        if op == "mod":  # a % b = a - (a // b) * b, with the ISA's a // 0 = 255
            quotient = self.arithmetic("div", left, right)
            return self.arithmetic("sub", left, self.arithmetic("mul", quotient, right))
        dst = self.temp()
        self.emit(op, dst, (left, right))
        return dst

    def element(self, node: ast.Subscript) -> tuple[str, Operand] | None:
        """('load'/'load_shared' kind, address) of array[index]; None after an error."""
        if not isinstance(node.value, ast.Name) or isinstance(node.slice, ast.Slice | ast.Tuple):
            self.errors.add(node, "index an array by one value: name[index]")
            return None
        name = node.value.id
        index = self.expression(node.slice)
        self.where = node
        if name in self.source.arrays:
            base = self.source.arrays[name].base
            return "global", self.arithmetic("add", self.const(base), index)
        if name in self.source.shared:
            offset = self.source.shared[name].offset
            return "shared", self.arithmetic("add", self.const(offset), index)
        self.errors.add(node.value, f"{name!r} is not an array: index arrays made by array(...) or shared(...)")
        return None

    def load(self, element: tuple[str, Operand]) -> Temp:
        space, address = element
        dst = self.temp()
        self.emit("load" if space == "global" else "load_shared", dst, (address,))
        return dst

    def store(self, element: tuple[str, Operand], value: Operand) -> None:
        space, address = element
        self.emit("store" if space == "global" else "store_shared", srcs=(address, value))


def _operator_text(op: ast.operator) -> str:
    return {
        ast.Div: "/",
        ast.Pow: "**",
        ast.LShift: "<<",
        ast.RShift: ">>",
        ast.BitOr: "|",
        ast.BitXor: "^",
        ast.BitAnd: "&",
        ast.MatMult: "@",
    }.get(type(op), type(op).__name__)
