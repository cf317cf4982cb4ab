// SPDX-License-Identifier: MIT
// scheduler: picks, every cycle, which resident warp issues its next instruction.
//
// The core keeps WARPS_PER_CORE blocks at once (warp.sv holds each one's PCs and live
// threads). The pipeline has two stages:
//
//   ISSUE    (this module) among warps that are ready (not waiting for a branch to
//            resolve, nor, by the scoreboard, for a load the next instruction needs) and
//            whose next instruction is in the instruction cache, keep the
//            warp that issued last while it can go on (also through the one cycle its
//            branch takes to resolve), else take the next one after it (greedy, then
//            round robin); read its word from the cache. A warp whose
//            instruction is missing asks the fetcher for it (`demand`), while the others
//            go on.
//
// Why greedy: with plain round robin every warp advances in step, so they all reach
// their loads together and then all wait together. Staying with one warp until it has
// to wait for memory lets it run ahead; the next warp then computes while the first
// one's load is on its way, and the waits overlap with work. (Switching at every branch
// would put the warps back in step: a loop's branch comes once per iteration.)
// The scoreboard (warp.sv) needs to know what a warp's next instruction reads and
// writes; the cache predecodes that for one warp per cycle, the one issued last
// (`scoreboard_pc`), the warp the scheduler stays with. Another warp that has a load or
// store out waits for it to complete, as before the scoreboard. A warp is blocked in the
// cycle its LDR/STR executes, so when another warp can issue in that cycle the scheduler
// moves to it, and the loading warp then waits for its load; it runs on under its own
// load when no other warp was ready then (one warp per core, or the others waiting).
// Measured against a lookup for every warp: the same cycles within 1 % on every bench
// kernel but one (matmul4_tiled, 3 % at 1-cycle memory), for half the lookup's LUTs (a
// quarter with four warps).
//   EXECUTE  (core.sv) the word arrives from the cache: decode, read registers, ALU,
//            write back; LDR/STR start their threads' loads and stores. An LDS/STS with
//            a shared-memory bank conflict holds EXECUTE (`exec_hold`): it runs again in
//            the next cycle for the threads not yet served, and nothing issues.
//
// So a core issues one instruction per cycle while the cache hits and some warp is
// ready; a warp that waits on memory costs nothing while another can run. Divergence
// stays exact: each warp issues its smallest live PC to exactly the threads at it.
`default_nettype none

module scheduler
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 4,
  parameter int WARPS             = 2,
  parameter int COUNT_BITS        = $clog2(THREADS_PER_BLOCK + 1),
  parameter int WARP_BITS         = (WARPS > 1) ? $clog2(WARPS) : 1
) (
  input  logic                          clk,
  input  logic                          reset,
  // block handshake with the dispatcher, one per warp
  input  logic [WARPS-1:0]              block_start,
  input  logic [DATA_BITS-1:0]          block_idx_in,
  input  logic [COUNT_BITS-1:0]         block_thread_count,
  output logic [WARPS-1:0]              block_idle,
  output logic [WARPS-1:0]              block_done,
  output logic [WARPS-1:0][DATA_BITS-1:0] block_idx,
  output logic [WARPS-1:0]              clear_warp,          // a new block starts in warp w
  // instruction cache lookups (one per warp) and the fetcher's demand
  output logic [WARPS-1:0][PC_BITS-1:0] warp_pc,
  input  logic [WARPS-1:0]              warp_pc_cached,
  input  logic [WARPS-1:0]              warp_pc_blocks,
  input  logic [WARPS-1:0]              warp_pc_jumps,
  // the scoreboard's lookup: the next instruction of the warp that issued last
  output logic [PC_BITS-1:0]            scoreboard_pc,
  input  logic                          scoreboard_waits_memory,
  input  logic [NUM_WRITABLE_REGS-1:0]  scoreboard_registers,
  output logic                          demand_valid,
  output logic [PC_BITS-1:0]            demand_pc,
  output logic [PC_BITS-1:0]            last_issue_pc,
  // issue: read the word at issue_pc from the cache (it arrives in EXECUTE)
  output logic                          issue_valid,
  output logic [WARP_BITS-1:0]          issue_warp,
  output logic [PC_BITS-1:0]            issue_pc,
  // execute
  output logic                          exec_valid,
  output logic [WARP_BITS-1:0]          exec_warp,
  output logic [PC_BITS-1:0]            exec_pc,
  input  logic                          exec_is_memory,
  input  logic                          exec_is_load,
  input  logic [REG_ADDR_BITS-1:0]      exec_rd,
  input  logic                          exec_is_ret,
  input  logic                          exec_is_barrier,
  input  logic                          exec_hold,           // EXECUTE replays its instruction next cycle
  input  logic [THREADS_PER_BLOCK-1:0]  exec_retire,         // of its active threads, those retiring now
  input  logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] next_pc,  // of the executing warp's threads
  output logic [THREADS_PER_BLOCK-1:0]  exec_active,         // its threads at exec_pc
  input  logic [WARPS-1:0]              mem_complete,
  output logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] mem_active,
  output logic [WARPS-1:0]              mem_waiting,
  // per-warp state for the commit port, traces and waveforms (pc_written: thread t's PC
  // at [t*PC_BITS +: PC_BITS])
  output logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] exec_commit,
  output logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] commit_mask,
  output logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] released,        // threads leaving a barrier
  output logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] barrier_waiting, // threads waiting at one
  output logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] live_mask,
  output logic [WARPS-1:0][THREADS_PER_BLOCK*PC_BITS-1:0] pc_written,
  output logic [WARPS-1:0][THREADS_PER_BLOCK*PC_BITS-1:0] thread_pc  // each thread's PC, likewise
);

  logic [WARPS-1:0]                         ready;
  logic [WARPS-1:0]                         scoreboard_stall;
  logic [WARP_BITS-1:0]                     last_warp_q;   // the warp that issued last
  logic [WARPS-1:0]                         resolving;
  logic [WARPS-1:0]                         issue_to;
  logic [WARPS-1:0]                         exec_to;
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0]  active;

  for (genvar w = 0; w < WARPS; w++) begin : g_warps
    warp #(
      .THREADS_PER_BLOCK (THREADS_PER_BLOCK)
    ) u_warp (
      .clk                (clk),
      .reset              (reset),
      .block_start        (block_start[w]),
      .block_idx_in       (block_idx_in),
      .block_thread_count (block_thread_count),
      .block_idle         (block_idle[w]),
      .block_done         (block_done[w]),
      .block_idx          (block_idx[w]),
      .clear              (clear_warp[w]),
      .ready              (ready[w]),
      .scoreboard_stall   (scoreboard_stall[w]),
      .resolving          (resolving[w]),
      .issue_pc           (warp_pc[w]),
      .issue              (issue_to[w]),
      .issue_blocks       (warp_pc_blocks[w]),
      .issue_jumps        (warp_pc_jumps[w]),
      .issue_predecoded   (int'(last_warp_q) == w),
      .issue_waits_memory (scoreboard_waits_memory),
      .issue_registers    (scoreboard_registers),
      .exec               (exec_to[w]),
      .exec_pc            (exec_pc),
      .exec_is_memory     (exec_is_memory),
      .exec_is_load       (exec_is_load),
      .exec_rd            (exec_rd),
      .exec_is_ret        (exec_is_ret),
      .exec_is_barrier    (exec_is_barrier),
      .exec_retire        (exec_retire),
      .next_pc            (next_pc),
      .active             (active[w]),
      .mem_complete       (mem_complete[w]),
      .mem_active         (mem_active[w]),
      .mem_waiting        (mem_waiting[w]),
      .exec_commit        (exec_commit[w]),
      .commit             (commit_mask[w]),
      .released           (released[w]),
      .barrier_waiting    (barrier_waiting[w]),
      .live               (live_mask[w]),
      .pc_written         (pc_written[w]),
      .pc                 (thread_pc[w])
    );
  end

  // ------------------------------------------------------------ issue
  // Round robin: the first candidate after the warp that issued last.
  function automatic logic [WARP_BITS:0] pick_after(
    input logic [WARPS-1:0]     candidates,
    input logic [WARP_BITS-1:0] last
  );
    logic [WARP_BITS:0] chosen;  // {found, warp}
    chosen = '0;
    for (int step = WARPS; step >= 1; step--) begin
      if (candidates[(int'(last) + step) % WARPS]) chosen = {1'b1, WARP_BITS'((int'(last) + step) % WARPS)};
    end
    return chosen;
  endfunction

  function automatic logic [WARP_BITS:0] pick_first(input logic [WARPS-1:0] candidates);
    logic [WARP_BITS:0] chosen;  // {found, warp}
    chosen = '0;
    for (int w = WARPS - 1; w >= 0; w--) begin
      if (candidates[w]) chosen = {1'b1, WARP_BITS'(w)};
    end
    return chosen;
  endfunction

  logic [PC_BITS-1:0]   last_issue_pc_q;
  logic                 exec_valid_q;
  logic [WARP_BITS-1:0] exec_warp_q;
  logic [PC_BITS-1:0]   exec_pc_q;
  logic [WARP_BITS-1:0] demand_warp;

  logic [WARPS-1:0] can_issue;
  assign can_issue = ready & warp_pc_cached & ~scoreboard_stall;
  always_comb begin
    if (exec_hold)                   {issue_valid, issue_warp} = '0;  // EXECUTE is taken
    else if (can_issue[last_warp_q]) {issue_valid, issue_warp} = {1'b1, last_warp_q};
    else if (resolving[last_warp_q]) {issue_valid, issue_warp} = '0;  // wait for it a cycle
    else                             {issue_valid, issue_warp} = pick_after(can_issue, last_warp_q);
  end
  assign {demand_valid, demand_warp} = pick_first(ready & ~warp_pc_cached);
  assign issue_pc      = warp_pc[issue_warp];
  assign scoreboard_pc = warp_pc[last_warp_q];
  assign demand_pc     = warp_pc[demand_warp];
  assign last_issue_pc = last_issue_pc_q;

  // One assign per warp, not loops in always_comb blocks: shaped for Icarus's speed (see
  // warp.sv's `active`).
  for (genvar w = 0; w < WARPS; w++) begin : g_decode_warp
    assign issue_to[w] = issue_valid && (int'(issue_warp) == w);
    assign exec_to[w]  = exec_valid_q && (int'(exec_warp_q) == w);
  end

  always_ff @(posedge clk) begin
    if (reset) begin
      last_warp_q     <= '0;
      last_issue_pc_q <= '0;
      exec_valid_q    <= 1'b0;
      exec_warp_q     <= '0;
      exec_pc_q       <= '0;
    end else if (!exec_hold) begin
      exec_valid_q <= issue_valid;
      if (issue_valid) begin
        last_warp_q     <= issue_warp;
        last_issue_pc_q <= issue_pc;
        exec_warp_q     <= issue_warp;
        exec_pc_q       <= issue_pc;
      end
    end
  end

  assign exec_valid  = exec_valid_q;
  assign exec_warp   = exec_warp_q;
  assign exec_pc     = exec_pc_q;
  assign exec_active = exec_valid_q ? active[exec_warp_q] : '0;

`ifndef SYNTHESIS
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  // ------------------------------------------------------------ assertions
  always @(posedge clk) begin
    if (armed) begin
      assert (!issue_valid || can_issue[issue_warp])
        else $error("scheduler: issued warp %0d, which cannot issue", issue_warp);
      assert (!exec_valid_q || exec_active != '0) else $error("scheduler: executing with no active thread");
`ifndef FORMAL  // X and Z exist only in simulation
      assert ((^{issue_valid, demand_valid, exec_valid_q, block_idle, block_done}) !== 1'bx)
        else $error("scheduler: an output is X or Z after reset");
`endif
    end
  end
`endif

endmodule
