// SPDX-License-Identifier: MIT
// core_activity: what one core does each cycle, and its performance counters.
//
// Each cycle a core either executes an instruction or waits, and the reason it waits is
// what a reader of a trace or a waveform wants to know: no block, an instruction not yet
// in the cache, memory, or a branch still to resolve. This module names that (`activity`)
// and turns the core's signals into the per-cycle events perf_counters.sv adds up.
//
// Verification and teaching only: core.sv instantiates it under GPU_TRACE, and nothing in
// the GPU reads its outputs (the harness prints the trace line and the counters).
`default_nettype none

module core_activity
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 4,
  parameter int WARPS             = 2,
  parameter int SLOTS             = WARPS * THREADS_PER_BLOCK,
  parameter int WARP_BITS         = (WARPS > 1) ? $clog2(WARPS) : 1
) (
  input  logic                                    clk,
  input  logic                                    reset,
  input  logic                                    launch,
  input  logic [WARPS-1:0]                        block_idle,     // warps without a block
  input  logic                                    demand_valid,   // a warp waits for its instruction
  input  logic                                    demand_fill,    // the fetcher fills a demand miss
  input  logic [WARPS-1:0]                        mem_waiting,    // warps with an LDR/STR out
  input  logic                                    exec_valid,
  input  logic [WARP_BITS-1:0]                    exec_warp,
  input  logic                                    exec_is_load,
  input  logic                                    exec_is_memory,
  input  logic                                    exec_hold,      // EXECUTE replays next cycle
  input  logic [THREADS_PER_BLOCK-1:0]            exec_active,
  input  logic [THREADS_PER_BLOCK-1:0]            load_leader,    // lanes whose read serves a load
  input  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] live_mask,
  input  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] commit_mask,    // threads retiring now
  input  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] barrier_waiting,
  input  logic [THREADS_PER_BLOCK-1:0]            shared_read,    // lanes served by shared memory
  input  logic [THREADS_PER_BLOCK-1:0]            shared_write,
  output logic [2:0]                              activity,       // activity_e
  output perf_t                                   counters
);

  // EXECUTE, or why nothing executes, which is why ISSUE chose nothing in the cycle before.
  typedef enum logic [2:0] {
    A_IDLE,          // no block on the core
    A_EXECUTE,       // an instruction executes
    A_FETCH_WAIT,    // a warp could have issued, but its instruction was not in the cache
    A_MEMORY_WAIT,   // every running warp waited on memory (or a branch, with one on memory)
    A_BRANCH_WAIT    // every running warp waited for its branch, RET or BAR to execute
  } activity_e;

  activity_e issue_gap_q, issue_gap_d;  // why ISSUE chose nothing this cycle
  logic      any_block;                 // a block is on the core
  assign any_block = (block_idle != '1);
  always_comb begin
    if (!any_block)          issue_gap_d = A_IDLE;
    else if (demand_valid)   issue_gap_d = A_FETCH_WAIT;
    else if (|mem_waiting || (exec_valid && exec_is_memory)) issue_gap_d = A_MEMORY_WAIT;
    else                     issue_gap_d = A_BRANCH_WAIT;
  end
  always_ff @(posedge clk) begin
    if (reset) issue_gap_q <= A_IDLE;
    else       issue_gap_q <= issue_gap_d;
  end
  assign activity = exec_valid ? A_EXECUTE : issue_gap_q;

  function automatic logic [8:0] count_ones(input logic [SLOTS-1:0] bits);
    logic [8:0] count;
    count = '0;
    for (int i = 0; i < SLOTS; i++) count = count + 9'(bits[i]);
    return count;
  endfunction

  logic [WARP_BITS-1:0] last_exec_warp_q;
  logic                 executed_before_q;
  logic                 replay_q;     // EXECUTE replays the last cycle's instruction (bank conflict)
  logic                 exec_issued;  // EXECUTE runs a newly issued instruction
  always_ff @(posedge clk) begin
    if (reset || launch) begin
      last_exec_warp_q  <= '0;
      executed_before_q <= 1'b0;
    end else if (exec_valid) begin
      last_exec_warp_q  <= exec_warp;
      executed_before_q <= 1'b1;
    end
  end
  always_ff @(posedge clk) begin
    if (reset) replay_q <= 1'b0;
    else       replay_q <= exec_hold;
  end
  assign exec_issued = exec_valid && !replay_q;

  logic [THREADS_PER_BLOCK-1:0] coalesced;  // lanes whose load another lane's read serves
  assign coalesced = (exec_valid && exec_is_load) ? (exec_active & ~load_leader) : '0;

  perf_counters u_counters (
    .clk             (clk),
    .reset           (reset),
    .launch          (launch),
    .busy            (any_block),
    .issued          (exec_issued),
    .retired_threads (count_ones(commit_mask)),
    .icache_miss     (demand_fill),
    .fetch_stall     (activity == A_FETCH_WAIT),
    .memory_stall    (activity == A_MEMORY_WAIT),
    .divergent       (exec_issued && exec_active != live_mask[exec_warp]),
    .merged_loads    (count_ones(SLOTS'(coalesced))),
    .warp_switch     (exec_valid && executed_before_q && exec_warp != last_exec_warp_q),
    .barrier_wait    (barrier_waiting != '0),
    .shared_loads    (count_ones(SLOTS'(shared_read))),
    .shared_stores   (count_ones(SLOTS'(shared_write))),
    .counters        (counters)
  );

endmodule
