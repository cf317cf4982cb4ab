# SPDX-License-Identifier: MIT
"""The records' field lists: read by tinygpu.records from rtl/gpu_pkg.sv, checked against
an independent SystemVerilog front end (slang), and refused when they cannot be read."""

from __future__ import annotations

import pyslang
import pytest

from tinygpu.paths import RTL_DIR
from tinygpu.records import PACKAGE_FILE, RecordError, read_layouts


def slang_fields(type_name: str) -> list[tuple[str, int]]:
    """(name, width) of a packed struct of the package, as slang elaborates it."""
    compilation = pyslang.ast.Compilation()
    compilation.addSyntaxTree(pyslang.syntax.SyntaxTree.fromFile(str(RTL_DIR / PACKAGE_FILE)))
    struct = compilation.getPackage("gpu_pkg").lookupName(type_name).targetType.type.canonicalType
    return [(field.name, field.type.bitWidth) for field in struct]


@pytest.mark.parametrize("type_name", ["commit_t", "perf_t"])
def test_field_list_equals_the_package(type_name):
    assert list(read_layouts(RTL_DIR / PACKAGE_FILE)[type_name].fields) == slang_fields(type_name)


def test_a_field_added_to_the_package_is_read_without_other_changes(tmp_path):
    text = (
        (RTL_DIR / PACKAGE_FILE)
        .read_text()
        .replace(
            "    logic [ORDER_BITS-1:0]    order;",
            "    logic [ORDER_BITS-1:0]    order;\n    logic [2*PC_BITS+1:0] extra;",
        )
    )
    (tmp_path / PACKAGE_FILE).write_text(text)
    layout = read_layouts(tmp_path / PACKAGE_FILE)["commit_t"]
    assert layout.fields[-1] == ("extra", 18)
    expected = {**dict.fromkeys(layout.names, 0), "extra": 5, "pc": 9}
    assert layout.decode(layout.encode({"extra": 5, "pc": 9})) == expected


def test_a_width_that_cannot_be_read_is_refused_with_its_field(tmp_path):
    text = (
        (RTL_DIR / PACKAGE_FILE)
        .read_text()
        .replace("logic [PC_BITS-1:0]       next_pc;", "logic [$clog2(PC_BITS):0] next_pc;")
    )
    (tmp_path / PACKAGE_FILE).write_text(text)
    with pytest.raises(RecordError, match=r"commit_t\.next_pc: cannot evaluate"):
        read_layouts(tmp_path / PACKAGE_FILE)
