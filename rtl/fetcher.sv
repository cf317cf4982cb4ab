// SPDX-License-Identifier: MIT
// fetcher: fills the core's instruction cache from program memory.
//
// The core reads instructions only from its cache (icache.sv); this unit brings them
// in, one program-memory read at a time:
//
//   demand    a warp that could issue waits for an instruction the cache does not hold
//             (`demand_pc`, from the scheduler): read it first;
//   prefetch  otherwise read ahead, the words after the last demand, while they are
//             within PREFETCH_DEPTH words of the last PC the core issued. Programs run
//             mostly straight ahead, so the next words are read while the current ones
//             execute, and a cold program streams in at the memory's pace instead of one
//             round trip per instruction. The window keeps read-ahead from running past
//             a loop and evicting it.
//
// A read goes out in the cycle it is chosen and is held until memory answers
// (`mem_read_ready`, with the word); the next one may go out in the following cycle. Every answer is written into the cache, except one
// to a read chosen before the current kernel's launch.
`default_nettype none

module fetcher
  import gpu_pkg::*;
#(
  parameter int PREFETCH_DEPTH = 4  // words read ahead of the last issued PC; 0: none
) (
  input  logic                   clk,
  input  logic                   reset,
  input  logic                   launch,          // a kernel starts: forget the read-ahead
  // from the scheduler
  input  logic                   demand_valid,
  input  logic [PC_BITS-1:0]     demand_pc,
  input  logic [PC_BITS-1:0]     last_issue_pc,
  // to and from the cache
  output logic [PC_BITS-1:0]     probe_pc,
  input  logic                   probe_hit,
  output logic                   fill,
  output logic [PC_BITS-1:0]     fill_pc,
  output logic [INSTR_BITS-1:0]  fill_data,
  output logic                   demand_fill,     // the fill is one a warp waited for (a miss)
  // to the program memory controller
  output logic                   mem_read_valid,
  output logic [PC_BITS-1:0]     mem_read_address,
  input  logic                   mem_read_ready,
  input  logic [INSTR_BITS-1:0]  mem_read_data
);

  logic               valid_q,    valid_d;      // a read went out earlier and is not answered
  logic [PC_BITS-1:0] address_q,  address_d;
  logic [PC_BITS-1:0] prefetch_q, prefetch_d;   // next word to read ahead
  logic               stale_q,    stale_d;      // the read out was chosen before this launch
  logic               demand_q,   demand_d;     // the read out is a demand, not read-ahead

  // This cycle's read: the one held since an earlier cycle, or else a new choice, which
  // goes out at once (a warp's miss reaches memory in the cycle it is seen).
  logic               choose;            // nothing held: pick a read now
  logic               take_demand, take_prefetch;
  logic               presenting;
  logic [PC_BITS-1:0] address;
  logic               answered;          // memory answers the read now
  logic [PC_BITS-1:0] ahead;             // how far the read-ahead word is past the last issued PC
  logic               prefetch_in_window;

  assign ahead              = prefetch_q - last_issue_pc;
  assign prefetch_in_window = (ahead != '0) && (int'(ahead) <= PREFETCH_DEPTH);
  assign probe_pc           = prefetch_q;
  // Nothing is chosen in a launch cycle: it would be a read for the program before.
  assign choose        = !valid_q && !launch;
  assign take_demand   = choose && demand_valid;
  assign take_prefetch = choose && !demand_valid && prefetch_in_window && !probe_hit;
  assign presenting    = valid_q || take_demand || take_prefetch;
  assign address       = valid_q ? address_q : (take_demand ? demand_pc : prefetch_q);
  assign answered      = presenting && mem_read_ready;

  always_comb begin
    valid_d    = presenting && !answered;
    address_d  = address_q;
    prefetch_d = prefetch_q;
    demand_d   = demand_q;
    stale_d    = stale_q && valid_d;
    if (presenting) begin
      address_d = address;
      demand_d  = valid_q ? demand_q : take_demand;
    end
    if (launch) begin
      // The host may have loaded a new program: a word still on its way is dropped.
      stale_d    = valid_d;
      prefetch_d = '0;
    end else if (take_demand) begin
      prefetch_d = demand_pc + 1'b1;
    end else if (choose && prefetch_in_window) begin
      // Past the word ahead: it is read now, or the cache has it already.
      prefetch_d = prefetch_q + 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (reset) begin
      valid_q    <= 1'b0;
      address_q  <= '0;
      prefetch_q <= '0;
      stale_q    <= 1'b0;
      demand_q   <= 1'b0;
    end else begin
      valid_q    <= valid_d;
      address_q  <= address_d;
      prefetch_q <= prefetch_d;
      stale_q    <= stale_d;
      demand_q   <= demand_d;
    end
  end

  assign fill             = answered && !(valid_q && stale_q);
  assign demand_fill      = fill && (valid_q ? demand_q : take_demand);
  assign fill_pc          = address;
  assign fill_data        = mem_read_data;
  assign mem_read_valid   = presenting;
  assign mem_read_address = address;

endmodule
