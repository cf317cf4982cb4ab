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

  always_comb begin
    case (op)
      ALU_ADD: result = rs_value + rt_value;
      ALU_SUB: result = rs_value - rt_value;
      ALU_MUL: result = product_low;
      ALU_DIV: result = (rt_value == '0) ? '1 : rs_value / rt_value;
    endcase
  end

  // Unsigned comparison: tiny-gpu took N from the wrapped 8-bit difference, so it was
  // never set. Comparing the operands directly gives the right flags.
  always_comb begin
    compare_nzp[NZP_N] = rs_value <  rt_value;
    compare_nzp[NZP_Z] = rs_value == rt_value;
    compare_nzp[NZP_P] = rs_value >  rt_value;
  end

  // The high byte of the product is discarded on purpose (8-bit wrap-around).
  logic unused_product_high;
  assign unused_product_high = ^product[2*DATA_BITS-1:DATA_BITS];

endmodule
