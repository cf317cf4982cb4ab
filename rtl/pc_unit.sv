// SPDX-License-Identifier: MIT
// pc_unit: one thread's branch logic and NZP flag register.
//
// The scheduler owns every thread's PC; this unit tells it where the thread goes
// next. A branch jumps when the thread's NZP flags meet the instruction's nzp mask,
// so threads of one block can take different paths (divergence): each gets its own
// next PC, and the scheduler runs the paths one after the other. CMP writes NZP when
// the instruction retires (`commit`). RET keeps the PC where it is.
`default_nettype none

module pc_unit
  import gpu_pkg::*;
(
  input  logic                 clk,
  input  logic                 reset,
  input  logic                 clear,         // a new block starts: NZP = NZP_AT_START
  input  logic                 commit,        // this thread retires its instruction now
  input  logic                 is_cmp,
  input  logic                 is_branch,
  input  logic                 is_ret,
  input  logic [NZP_BITS-1:0]  branch_nzp,    // condition mask of a branch
  input  logic [PC_BITS-1:0]   branch_target,
  input  logic [PC_BITS-1:0]   pc,            // the PC of the issued instruction
  input  logic [NZP_BITS-1:0]  compare_nzp,   // from the ALU, used by CMP
  output logic [PC_BITS-1:0]   next_pc,
  output logic [NZP_BITS-1:0]  nzp_stored     // what the NZP flops take at this edge (commit port)
);

  logic [NZP_BITS-1:0] nzp_q;
  logic [NZP_BITS-1:0] nzp_next;  // NZP after this instruction

  assign nzp_next = is_cmp ? compare_nzp : nzp_q;

  // Continuous assignments rather than always_comb blocks: shaped for Icarus's speed (it
  // runs an always_comb as a scheduled process, one per warp and thread here, re-run each
  // time an input settles; an assign is evaluated in place).
  assign next_pc = is_ret ? pc
                 : (is_branch && ((nzp_q & branch_nzp) != '0)) ? branch_target
                 : pc + 1'b1;  // wraps from 255 to 0

  logic [NZP_BITS-1:0] nzp_d;
  assign nzp_d = clear ? NZP_AT_START : commit ? nzp_next : nzp_q;

  assign nzp_stored = nzp_d;

  always_ff @(posedge clk) begin
    if (reset) begin
      nzp_q <= NZP_AT_START;
    end else begin
      nzp_q <= nzp_d;
    end
  end

`ifndef SYNTHESIS
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  // NZP holds exactly one flag (checked in every simulation; not synthesized).
  always @(posedge clk) begin
    if (armed) assert ($onehot(nzp_q)) else $error("pc_unit: NZP %b is not one-hot", nzp_q);
  end
`endif

endmodule
