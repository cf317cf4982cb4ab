// SPDX-License-Identifier: MIT
// register_file: the sixteen registers one thread sees.
//
// R0..R12 are flops this thread alone writes; numbers 13..15 read the thread's identity
// (%blockIdx, %blockDim, %threadIdx) and ignore writes. Two read ports feed the ALU,
// LSU and CMP; one write port retires a result. `clear` zeroes R0..R12 when a new
// block starts on the core, so no value leaks from one block to the next.
`default_nettype none

module register_file
  import gpu_pkg::*;
(
  input  logic                      clk,
  input  logic                      reset,
  input  logic                      clear,
  // identity of the thread, read-only registers 13..15
  input  logic [DATA_BITS-1:0]      block_idx,
  input  logic [DATA_BITS-1:0]      block_dim,
  input  logic [DATA_BITS-1:0]      thread_idx,
  // read ports
  input  logic [REG_ADDR_BITS-1:0]  rs_addr,
  input  logic [REG_ADDR_BITS-1:0]  rt_addr,
  output logic [DATA_BITS-1:0]      rs_value,
  output logic [DATA_BITS-1:0]      rt_value,
  // write port
  input  logic                      write_enable,
  input  logic [REG_ADDR_BITS-1:0]  rd_addr,
  input  logic [DATA_BITS-1:0]      rd_value,
  output logic                      write_accepted  // write_enable to a writable register:
                                                    // the flops below take rd_value at rd_addr
);

  logic [DATA_BITS-1:0] regs_q [NUM_WRITABLE_REGS];

  assign write_accepted = write_enable && (rd_addr < REG_BLOCK_IDX);

  // A register file is the one place where the flops take their enable directly:
  // one write port, so each register either keeps its value, clears, or takes rd_value.
  // (Written as one indexed write, not a loop comparing rd_addr with every register:
  // shaped for Icarus's speed, which ran that loop in every register file at every edge.
  // write_accepted keeps rd_addr below NUM_WRITABLE_REGS.)
  always_ff @(posedge clk) begin
    if (reset || clear) begin
      for (int r = 0; r < NUM_WRITABLE_REGS; r++) regs_q[r] <= '0;
    end else if (write_accepted) begin
      regs_q[rd_addr] <= rd_value;
    end
  end

  // Both read ports decode the register number the same way; written out twice
  // rather than through a function, because a function call in a continuous
  // assignment is not re-evaluated when regs_q changes in every simulator.
  always_comb begin
    case (rs_addr)
      REG_BLOCK_IDX:  rs_value = block_idx;
      REG_BLOCK_DIM:  rs_value = block_dim;
      REG_THREAD_IDX: rs_value = thread_idx;
      default:        rs_value = regs_q[rs_addr];
    endcase
    case (rt_addr)
      REG_BLOCK_IDX:  rt_value = block_idx;
      REG_BLOCK_DIM:  rt_value = block_dim;
      REG_THREAD_IDX: rt_value = thread_idx;
      default:        rt_value = regs_q[rt_addr];
    endcase
  end

endmodule
