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

  always_comb begin
    if (is_ret) begin
      next_pc = pc;
    end else if (is_branch && ((nzp_q & branch_nzp) != '0)) begin
      next_pc = branch_target;
    end else begin
      next_pc = pc + 1'b1;  // wraps from 255 to 0
    end
  end

  logic [NZP_BITS-1:0] nzp_d;
  always_comb begin
    nzp_d = nzp_q;
    if (clear) begin
      nzp_d = NZP_AT_START;
    end else if (commit) begin
      nzp_d = nzp_next;
    end
  end

  assign nzp_stored = nzp_d;

  always_ff @(posedge clk) begin
    if (reset) begin
      nzp_q <= NZP_AT_START;
    end else begin
      nzp_q <= nzp_d;
    end
  end

`ifndef SYNTHESIS
  // NZP holds exactly one flag (checked in every simulation; not synthesized).
  always @(posedge clk) begin
    if (!reset) assert ($onehot(nzp_q)) else $error("pc_unit: NZP %b is not one-hot", nzp_q);
  end
`endif

endmodule
