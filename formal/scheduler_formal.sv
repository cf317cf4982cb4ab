// scheduler_formal: the proof harness of scheduler (make formal).
//
// The rest of the core is free inputs: which instruction was fetched (memory, RET or
// other), where each thread goes next (next_pc: any PC), when the fetcher answers
// (within FETCH_BOUND cycles) and when each LSU finishes (within LSU_BOUND cycles).
// The harness keeps its own model of every thread's PC and liveness, updated only from
// what the scheduler reports (block start, retiring threads), and proves (k-induction),
// besides every assertion inside scheduler.sv:
//   - the issued PC is the smallest PC of the live threads, and the active mask is
//     exactly the live threads at that PC;
//   - the scheduler makes progress: while a block runs, some thread retires at least
//     every PROGRESS_BOUND cycles;
//   - the block is reported done exactly when no live thread is left.
`default_nettype none

module scheduler_formal
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 3,
  parameter int FETCH_BOUND       = 2,
  parameter int LSU_BOUND         = 2,
  parameter int PROGRESS_BOUND    = 7
) (
  input logic                                      clk,
  input logic                                      block_start,
  input logic [DATA_BITS-1:0]                      block_idx_in,
  input logic [$clog2(THREADS_PER_BLOCK + 1)-1:0]  block_thread_count,
  input logic                                      instruction_ready,
  input logic                                      issue_is_memory,
  input logic                                      issue_is_ret,
  input logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] next_pc,
  input logic [THREADS_PER_BLOCK-1:0]              lsu_finish       // a busy LSU finishes now
);

  localparam int T = THREADS_PER_BLOCK;

  logic started_q = 1'b0;
  logic reset;
  always_ff @(posedge clk) started_q <= 1'b1;
  assign reset = !started_q;

  logic                     block_idle, block_done, clear_threads, fetch_request;
  logic [DATA_BITS-1:0]     block_idx;
  logic [PC_BITS-1:0]       issue_pc;
  logic [T-1:0]             lsu_busy, active_mask, lsu_start, commit_mask;
  logic [T-1:0][PC_BITS-1:0] pc_written;

  scheduler #(.THREADS_PER_BLOCK (T)) dut (
    .clk (clk), .reset (reset), .block_start (block_start), .block_idx_in (block_idx_in),
    .block_thread_count (block_thread_count), .block_idle (block_idle), .block_done (block_done),
    .block_idx (block_idx), .clear_threads (clear_threads), .fetch_request (fetch_request),
    .issue_pc (issue_pc), .instruction_ready (instruction_ready), .issue_is_memory (issue_is_memory),
    .issue_is_ret (issue_is_ret), .next_pc (next_pc), .lsu_busy (lsu_busy), .active_mask (active_mask),
    .lsu_start (lsu_start), .commit_mask (commit_mask), .pc_written (pc_written)
  );

  // ------------------------------------------------------------ the rest of the core
  logic       fetched_q;           // the instruction arrived last cycle
  logic [3:0] fetch_wait_q;
  logic [T-1:0] busy_q;
  logic [T-1:0][3:0] busy_for_q;
  logic       memory_q, ret_q;     // the decoded instruction, held until the next fetch
  always_ff @(posedge clk) begin
    fetched_q    <= instruction_ready;
    memory_q     <= issue_is_memory;
    ret_q        <= issue_is_ret;
    fetch_wait_q <= (reset || !fetch_request || instruction_ready) ? 4'd0 : fetch_wait_q + 4'd1;
    for (int t = 0; t < T; t++) begin
      if (reset) begin
        busy_q[t] <= 1'b0; busy_for_q[t] <= '0;
      end else if (lsu_start[t]) begin
        busy_q[t] <= 1'b1; busy_for_q[t] <= '0;
      end else if (busy_q[t] && lsu_finish[t]) begin
        busy_q[t] <= 1'b0;
      end else if (busy_q[t]) begin
        busy_for_q[t] <= busy_for_q[t] + 1'b1;
      end
    end
  end
  assign lsu_busy = busy_q;

  always @(*) begin
    assume (!block_start || block_idle);
    assume (int'(block_thread_count) >= 1 && int'(block_thread_count) <= T);
    assume (!instruction_ready || fetch_request);
    if (int'(fetch_wait_q) >= FETCH_BOUND - 1) assume (!fetch_request || instruction_ready);
    assume (!(issue_is_memory && issue_is_ret));
    // The decoder's output changes only when a new instruction word arrives.
    if (!reset && !fetched_q) assume (issue_is_memory == memory_q && issue_is_ret == ret_q);
    for (int t = 0; t < T; t++) begin
      if (int'(busy_for_q[t]) >= LSU_BOUND - 1) assume (!busy_q[t] || lsu_finish[t]);
    end
  end

  // ------------------------------------------------------------ reference model
  logic [T-1:0][PC_BITS-1:0] pc_q;
  logic [T-1:0]              live_q;
  always_ff @(posedge clk) begin
    if (reset) begin
      live_q <= '0;
      pc_q   <= '0;
    end else if (block_start) begin
      for (int t = 0; t < T; t++) begin
        live_q[t] <= (t < int'(block_thread_count));
        pc_q[t]   <= '0;
      end
    end else begin
      for (int t = 0; t < T; t++) begin
        if (commit_mask[t]) begin
          pc_q[t] <= next_pc[t];
          if (issue_is_ret) live_q[t] <= 1'b0;
        end
      end
    end
  end

  logic [PC_BITS-1:0] smallest;
  logic [T-1:0]       at_smallest;
  always @(*) begin
    smallest = '1;
    for (int t = 0; t < T; t++) if (live_q[t] && pc_q[t] < smallest) smallest = pc_q[t];
    for (int t = 0; t < T; t++) at_smallest[t] = live_q[t] && pc_q[t] == smallest;
  end

  logic       running;
  logic [3:0] since_retire_q;
  assign running = !block_idle && !block_done;
  always_ff @(posedge clk) begin
    since_retire_q <= (reset || !running || commit_mask != '0) ? 4'd0 : since_retire_q + 4'd1;
  end

  always @(posedge clk) begin
    if (!reset) begin
      if (running) begin
        assert (issue_pc == smallest);
        assert (active_mask == at_smallest);
      end
      assert (int'(since_retire_q) < PROGRESS_BOUND);
      // The model is the scheduler's own state (the invariant that makes induction work).
      assert (dut.live_q == live_q);
      for (int t = 0; t < T; t++) assert (!live_q[t] || dut.pc_q[t] == pc_q[t]);
      assert ((live_q == '0) == (block_idle || block_done));
    end
  end

  // Reachable: a thread that came back together with the others after diverging.
  logic [T-1:0] diverged_q;
  always_ff @(posedge clk) begin
    if (reset || block_start) diverged_q <= '0;
    else if (running && active_mask != live_q) diverged_q <= diverged_q | (live_q & ~active_mask);
  end
  always @(posedge clk) begin
    if (!reset) cover (running && diverged_q != '0 && active_mask == live_q && live_q != '0);
  end

endmodule
