// SPDX-License-Identifier: MIT
// alu: one thread's arithmetic unit.
//
// Each thread has its own ALU so that all active threads of a block execute the same
// instruction in the same cycle on their own registers. Arithmetic wraps modulo 256;
// DIV by zero is defined as 255 (all ones, as in RISC-V). `compare_nzp` is the flag
// result of CMP: the sign of the true difference of the unsigned operands.
`default_nettype none

module alu
  import gpu_pkg::*;
(
  input  alu_op_e               op,
  input  logic [DATA_BITS-1:0]  rs_value,
  input  logic [DATA_BITS-1:0]  rt_value,
  output logic [DATA_BITS-1:0]  result,
  output logic [NZP_BITS-1:0]   compare_nzp
);

  // Full-width product; only the low byte is kept.
  logic [2*DATA_BITS-1:0] product;
  logic [DATA_BITS-1:0]   product_low;
  assign product     = rs_value * rt_value;
  assign product_low = product[DATA_BITS-1:0];

  // Continuous assignments, not always_comb blocks, here and below: shaped for Icarus's
  // speed. Icarus evaluates an assign in place as its inputs change, but runs each
  // always_comb as a process scheduled after them: one per lane, re-run every time an
  // operand or the decoded op settles, and each run re-triggers what reads the result.
  assign result = (op == ALU_ADD) ? rs_value + rt_value
                : (op == ALU_SUB) ? rs_value - rt_value
                : (op == ALU_MUL) ? product_low
                : (rt_value == '0) ? '1 : rs_value / rt_value;

  // Unsigned comparison: tiny-gpu took N from the wrapped 8-bit difference, so it was
  // never set. Comparing the operands directly gives the right flags.
  assign compare_nzp[NZP_N] = rs_value <  rt_value;
  assign compare_nzp[NZP_Z] = rs_value == rt_value;
  assign compare_nzp[NZP_P] = rs_value >  rt_value;

  // The high byte of the product is discarded on purpose (8-bit wrap-around).
  logic unused_product_high;
  assign unused_product_high = ^product[2*DATA_BITS-1:DATA_BITS];

endmodule
