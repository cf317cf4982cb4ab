// scheduler: the core's control. It owns every thread's PC and the mask of live threads.
//
// A block runs as a group of threads that share one fetcher and one decoder (SIMT).
// Threads may branch apart (divergence). Each keeps its own PC here; every issue the
// scheduler picks the smallest PC among live threads and issues that instruction to
// the threads sitting at it (`active_mask`). The others wait. Because the smallest PC
// goes first, the threads that took the short side of an if/else or left a loop early
// wait at the join point until the rest catch up, and from there run together again
// (reconvergence). Each thread executes exactly its own path, so results are right for
// any branch pattern; the policy only decides how often threads run together.
//
// One instruction goes through the states
//   FETCH   -> read the word at the selected PC (as many cycles as memory takes)
//   EXECUTE -> decode, read registers, ALU; non-memory instructions retire here
//   MEMORY  -> LDR/STR only: wait until every active thread's LSU has finished
// and retires by writing registers, NZP and the active threads' next PCs (`commit`).
// RET takes a thread out of the live mask; the block is done when none is left.
`default_nettype none

module scheduler
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 4,
  parameter int COUNT_BITS        = $clog2(THREADS_PER_BLOCK + 1)
) (
  input  logic                          clk,
  input  logic                          reset,
  // block handshake with the dispatcher
  input  logic                          block_start,         // pulse, only while block_idle
  input  logic [DATA_BITS-1:0]          block_idx_in,
  input  logic [COUNT_BITS-1:0]         block_thread_count,  // 1..THREADS_PER_BLOCK
  output logic                          block_idle,
  output logic                          block_done,          // pulse: the block finished
  output logic [DATA_BITS-1:0]          block_idx,           // of the block running now
  output logic                          clear_threads,       // a new block starts this cycle
  // instruction fetch
  output logic                          fetch_request,
  output logic [PC_BITS-1:0]            issue_pc,
  input  logic                          instruction_ready,
  input  logic                          issue_is_memory,     // the issued instruction is LDR/STR
  input  logic                          issue_is_ret,
  // per-thread state
  input  logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] next_pc,
  input  logic [THREADS_PER_BLOCK-1:0]  lsu_busy,
  output logic [THREADS_PER_BLOCK-1:0]  active_mask,
  output logic [THREADS_PER_BLOCK-1:0]  lsu_start,           // pulse: start this LDR/STR
  output logic [THREADS_PER_BLOCK-1:0]  commit_mask,         // these threads retire now
  output logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] pc_written  // what each PC flop takes at this edge
);

  typedef enum logic [2:0] {
    S_IDLE,     // waiting for a block from the dispatcher
    S_FETCH,
    S_EXECUTE,
    S_MEMORY,
    S_DONE      // report the finished block, then idle
  } state_e;

  state_e                                   state_q, state_d;
  logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] pc_q,    pc_d;
  logic [THREADS_PER_BLOCK-1:0]             live_q,  live_d;   // started, not yet RET
  logic [DATA_BITS-1:0]                     block_idx_q, block_idx_d;

  // ------------------------------------------------------------ selection
  // The smallest PC among live threads, and the threads that sit at it. (A function
  // keeps the running minimum in a local variable: an always_comb that reads what it
  // writes can re-trigger itself forever in Icarus 11.)
  function automatic logic [PC_BITS-1:0] smallest_live_pc(
    input logic [THREADS_PER_BLOCK-1:0]              live,
    input logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] pcs
  );
    logic [PC_BITS-1:0] smallest;
    smallest = '1;
    for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
      if (live[t] && pcs[t] < smallest) smallest = pcs[t];
    end
    return smallest;
  endfunction

  assign issue_pc = smallest_live_pc(live_q, pc_q);

  always_comb begin
    for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
      active_mask[t] = live_q[t] && (pc_q[t] == issue_pc);
    end
  end

  // ------------------------------------------------------------ control
  // The issued instruction retires at the end of this cycle: at once for everything
  // but LDR/STR, after the last active LSU has finished for those.
  logic                         retire;
  logic [THREADS_PER_BLOCK-1:0] live_after_retire;  // RET takes its threads out
  assign retire = (state_q == S_EXECUTE && !issue_is_memory) ||
                  (state_q == S_MEMORY && (lsu_busy & active_mask) == '0);
  assign live_after_retire = issue_is_ret ? (live_q & ~active_mask) : live_q;

  always_comb begin
    state_d       = state_q;
    pc_d          = pc_q;
    live_d        = live_q;
    block_idx_d   = block_idx_q;
    clear_threads = 1'b0;
    fetch_request = 1'b0;
    lsu_start     = '0;

    case (state_q)
      S_IDLE: begin
        if (block_start) begin
          clear_threads = 1'b1;
          block_idx_d   = block_idx_in;
          for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
            live_d[t] = (t < int'(block_thread_count));
            pc_d[t]   = '0;
          end
          state_d = S_FETCH;
        end
      end
      S_FETCH: begin
        // A block always has a live thread here: it starts with at least one, and the
        // retire that ends its last thread goes to S_DONE (below).
        fetch_request = 1'b1;
        if (instruction_ready) state_d = S_EXECUTE;
      end
      S_EXECUTE: begin
        if (issue_is_memory) begin
          lsu_start = active_mask;
          state_d   = S_MEMORY;
        end
      end
      S_MEMORY: ;  // wait for the LSUs (see `retire`)
      S_DONE: state_d = S_IDLE;
      /* verilator coverage_off */
      // Unreachable: state_q only ever holds S_* values (3 of the 8 encodings are
      // unused); the default makes an upset state return to idle.
      default: state_d = S_IDLE;
      /* verilator coverage_on */
    endcase

    if (retire) begin
      for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
        if (active_mask[t]) pc_d[t] = next_pc[t];
      end
      live_d = live_after_retire;
      if (live_after_retire == '0) begin
        state_d = S_DONE;
      end else begin
        state_d = S_FETCH;
      end
    end
  end

  // Outputs that depend on the state alone are continuous assignments: written inside
  // the always_comb above (default, then override), they would glitch, and in Icarus
  // the glitch re-triggers the dispatcher's logic that drives block_start, and so on
  // forever at one instant of time.
  assign block_idle  = (state_q == S_IDLE);
  assign block_done  = (state_q == S_DONE);
  assign commit_mask = retire ? active_mask : '0;
  assign block_idx   = block_idx_q;
  assign pc_written  = pc_d;

  always_ff @(posedge clk) begin
    if (reset) begin
      state_q     <= S_IDLE;
      pc_q        <= '0;
      live_q      <= '0;
      block_idx_q <= '0;
    end else begin
      state_q     <= state_d;
      pc_q        <= pc_d;
      live_q      <= live_d;
      block_idx_q <= block_idx_d;
    end
  end

`ifndef SYNTHESIS
  // ------------------------------------------------------------ assertions
  // Checked in every simulation and by `make formal`; synthesis never sees them.
  // (X checks XOR the bits together: Icarus 11's $isunknown of a concatenation can
  // report X where there is none.)
  logic running;  // a block is on the core and not finished
  assign running = (state_q == S_FETCH || state_q == S_EXECUTE || state_q == S_MEMORY);
  always @(posedge clk) begin
    if (!reset) begin
      assert (state_q <= S_DONE) else $error("scheduler: in no state (%0d)", state_q);
      assert (!block_start || state_q == S_IDLE) else $error("scheduler: a block arrived while busy");
      // The active mask lies within the live mask, and is never empty while running.
      assert ((active_mask & ~live_q) == '0) else $error("scheduler: active %b outside live %b", active_mask, live_q);
      assert (!running || active_mask != '0) else $error("scheduler: running with no active thread");
      // The issued PC is the smallest live PC.
      for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
        assert (!live_q[t] || pc_q[t] >= issue_pc)
          else $error("scheduler: thread %0d is live at PC %0d, below the issued %0d", t, pc_q[t], issue_pc);
      end
      // Loads and stores start, and instructions retire, only in active threads; the LSUs
      // are busy only while the scheduler waits for them.
      assert ((lsu_start & ~active_mask) == '0) else $error("scheduler: LSU start %b outside active %b", lsu_start, active_mask);
      assert ((commit_mask & ~active_mask) == '0) else $error("scheduler: retire %b outside active %b", commit_mask, active_mask);
      assert (state_q == S_MEMORY || lsu_busy == '0) else $error("scheduler: LSUs busy (%b) outside MEMORY", lsu_busy);
`ifndef FORMAL  // X and Z exist only in simulation
      assert ((^{block_idle, block_done, fetch_request, issue_pc, active_mask, lsu_start, commit_mask}) !== 1'bx)
        else $error("scheduler: an output is X or Z after reset");
`endif
    end
  end
`endif

`ifdef FORMAL
  // Every state is reachable, and so are divergence and a block's end (make formal).
  always @(posedge clk) begin
    if (!reset) begin
      cover (state_q == S_IDLE);
      cover (state_q == S_FETCH);
      cover (state_q == S_EXECUTE);
      cover (state_q == S_MEMORY);
      cover (state_q == S_DONE);
      cover (running && active_mask != live_q);  // threads at different PCs
    end
  end
`endif

endmodule
