# SPDX-License-Identifier: MIT
"""The records the GPU reports, with their fields read from the RTL's own declaration.

rtl/gpu_pkg.sv declares the commit record (``commit_t``) and a core's counter set
(``perf_t``) as packed structs; it is the only list of their fields. The harness prints
each record whole, in binary, first field first (tb/hdl/gpu_harness.sv), and this module
reads the struct declarations to name the bits: adding a field to the package needs no
change here.

A field is ``logic`` or ``logic [HIGH:LOW]`` with bounds made of the package's integer
localparams, numbers and ``+ - *``; anything else in these structs is refused with the
line that holds it.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .paths import RTL_DIR

PACKAGE_FILE = "gpu_pkg.sv"
UNKNOWN = -1  # a field with X or Z bits (a simulator prints them as x/z): never a valid value

_LOCALPARAM = re.compile(r"localparam\s+int\s+(\w+)\s*=\s*([^;]+);")
_STRUCT = re.compile(r"typedef\s+struct\s+packed\s*\{(.*?)\}\s*(\w+)\s*;", re.S)
_FIELD = re.compile(r"^\s*logic\s*(?:\[([^:\]]+):([^\]]+)\])?\s*(\w+)\s*;\s*$")
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


class RecordError(ValueError):
    """The package declares a record this module cannot read, or a line does not fit it."""


@dataclass(frozen=True)
class RecordLayout:
    """One packed struct: its fields (name, width), first declared first (most
    significant bits first, as SystemVerilog packs them)."""

    name: str
    fields: tuple[tuple[str, int], ...]

    @property
    def width(self) -> int:
        return sum(width for _, width in self.fields)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)

    def encode(self, values: dict[str, int]) -> str:
        """The record in binary as the harness prints it (fields not given are 0)."""
        unknown = set(values) - set(self.names)
        if unknown:
            raise RecordError(f"{self.name} has no field {', '.join(sorted(unknown))}")
        return "".join(format(values.get(name, 0), f"0{width}b") for name, width in self.fields)

    def decode(self, bits: str) -> dict[str, int]:
        """Field values of one record printed in binary; a field with an x or z bit reads
        as UNKNOWN."""
        bits = bits.lower()
        if len(bits) != self.width or set(bits) - set("01xz"):
            raise RecordError(f"a {self.name} record is {self.width} bits of 0/1/x/z, not {bits!r}")
        values, position = {}, 0
        for name, width in self.fields:
            chunk = bits[position : position + width]
            values[name] = int(chunk, 2) if set(chunk) <= {"0", "1"} else UNKNOWN
            position += width
        return values


def _evaluate(expression: str, constants: dict[str, int], where: str) -> int:
    def value(node: ast.AST) -> int:
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.Name) and node.id in constants:
            return constants[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](value(node.left), value(node.right))
        raise RecordError(
            f"{where}: cannot evaluate {expression.strip()!r} (integers, package localparams and + - * only)"
        )

    try:
        return value(ast.parse(expression.strip(), mode="eval").body)
    except SyntaxError:
        raise RecordError(f"{where}: cannot evaluate {expression.strip()!r}") from None


def read_layouts(package: Path) -> dict[str, RecordLayout]:
    """Every packed struct of the package whose fields are all `logic`, by type name."""
    text = re.sub(r"//[^\n]*", "", package.read_text())
    constants: dict[str, int] = {}
    for name, expression in _LOCALPARAM.findall(text):
        try:
            constants[name] = _evaluate(expression, constants, f"{package}: localparam {name}")
        except RecordError:
            continue  # $bits(...) and the like: not needed for field widths
    layouts = {}
    for body, type_name in _STRUCT.findall(text):
        fields = []
        for line in filter(str.strip, body.splitlines()):
            match = _FIELD.match(line)
            if not match:
                break  # a field of another type (an enum): not a record the harness prints
            high, low, name = match.groups()
            where = f"{package}: {type_name}.{name}"
            width = 1 if high is None else _evaluate(high, constants, where) - _evaluate(low, constants, where) + 1
            fields.append((name, width))
        else:
            layouts[type_name] = RecordLayout(type_name, tuple(fields))
    return layouts


@cache
def layout(type_name: str, rtl_dir: Path = RTL_DIR) -> RecordLayout:
    """The layout of one record type of rtl/gpu_pkg.sv (or of a modified copy of rtl/)."""
    layouts = read_layouts(Path(rtl_dir) / PACKAGE_FILE)
    if type_name not in layouts:
        raise RecordError(f"{Path(rtl_dir) / PACKAGE_FILE}: no packed struct {type_name} of logic fields")
    return layouts[type_name]


def commit_layout(rtl_dir: Path = RTL_DIR) -> RecordLayout:
    return layout("commit_t", Path(rtl_dir))


def perf_layout(rtl_dir: Path = RTL_DIR) -> RecordLayout:
    return layout("perf_t", Path(rtl_dir))
