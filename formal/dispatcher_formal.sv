// SPDX-License-Identifier: MIT
// dispatcher_formal: the proof harness of dispatcher (make formal).
//
// The host's `start` and thread count are free inputs; each warp is a small model of
// the real one (idle -> busy -> done for a cycle -> idle) that finishes its block after
// any number of cycles up to CORE_BOUND, chosen freely. A symbolic block number
// `symbolic_block` (a flop that keeps its unknown initial value) stands for every
// block at once. Proven (k-induction), besides every assertion inside dispatcher.sv:
//   - no block is handed out twice in one launch, and every block is handed out with
//     the right thread count (THREADS_PER_BLOCK, or what is left for the last one);
//   - `done` rises only when every block of the launch has finished, then every block
//     was handed out exactly once;
//   - once every block has finished, `done` follows within two cycles.
`default_nettype none

module dispatcher_formal
  import gpu_pkg::*;
#(
  parameter int NUM_WARPS         = 2,
  parameter int THREADS_PER_BLOCK = 2,
  parameter int CORE_BOUND        = 3
) (
  input logic                  clk,
  input logic                  start,
  input logic [DATA_BITS-1:0]  thread_count,
  input logic [NUM_WARPS-1:0]  finish           // a busy warp finishes now (free)
);

  localparam int COUNT_BITS = $clog2(THREADS_PER_BLOCK + 1);

  logic started_q = 1'b0;
  logic reset;
  always_ff @(posedge clk) started_q <= 1'b1;
  assign reset = !started_q;

  logic [DATA_BITS-1:0] symbolic_block;
  always_ff @(posedge clk) symbolic_block <= symbolic_block;

  logic                                  done;
  logic [NUM_WARPS-1:0]                  warp_idle, warp_block_done, warp_block_start;
  logic [NUM_WARPS-1:0][DATA_BITS-1:0]   warp_block_idx;
  logic [NUM_WARPS-1:0][COUNT_BITS-1:0]  warp_block_thread_count;

  dispatcher #(.NUM_WARPS (NUM_WARPS), .THREADS_PER_BLOCK (THREADS_PER_BLOCK)) dut (
    .clk (clk), .reset (reset), .start (start), .thread_count (thread_count), .done (done), .launching (),
    .warp_idle (warp_idle), .warp_block_done (warp_block_done), .warp_block_start (warp_block_start),
    .warp_block_idx (warp_block_idx), .warp_block_thread_count (warp_block_thread_count)
  );

  // ------------------------------------------------------------ warps
  logic [NUM_WARPS-1:0]      busy_q, done_pulse_q;
  logic [NUM_WARPS-1:0][3:0] busy_for_q;
  always_ff @(posedge clk) begin
    for (int c = 0; c < NUM_WARPS; c++) begin
      if (reset) begin
        busy_q[c] <= 1'b0; done_pulse_q[c] <= 1'b0; busy_for_q[c] <= '0;
      end else begin
        done_pulse_q[c] <= busy_q[c] && finish[c];
        if (warp_block_start[c]) begin
          busy_q[c] <= 1'b1; busy_for_q[c] <= '0;
        end else if (busy_q[c] && finish[c]) begin
          busy_q[c] <= 1'b0;
        end else if (busy_q[c]) begin
          busy_for_q[c] <= busy_for_q[c] + 1'b1;
        end
      end
    end
  end
  assign warp_idle       = ~busy_q & ~done_pulse_q;
  assign warp_block_done = done_pulse_q;
  always @(*) begin
    for (int c = 0; c < NUM_WARPS; c++) begin
      if (int'(busy_for_q[c]) >= CORE_BOUND - 1) assume (!busy_q[c] || finish[c]);
    end
  end

  // ------------------------------------------------------------ one launch's bookkeeping
  logic       start_q, running_q;
  logic [8:0] blocks_q;            // blocks in this launch
  logic [8:0] finished_q;          // blocks finished in this launch
  logic [1:0] handed_q;            // times symbolic_block was handed out (saturates)
  logic [1:0] all_finished_for_q; // cycles since the last block finished, while not done
  logic       launch;
  assign launch = start && !start_q && !(running_q && !done);  // the dispatcher's own rule

  function automatic logic [8:0] count_set(input logic [NUM_WARPS-1:0] bits);
    logic [8:0] n;
    n = '0;
    for (int c = 0; c < NUM_WARPS; c++) n = n + 9'(bits[c]);
    return n;
  endfunction

  logic symbolic_handed_now;
  always @(*) begin
    symbolic_handed_now = 1'b0;
    for (int c = 0; c < NUM_WARPS; c++) begin
      if (warp_block_start[c] && warp_block_idx[c] == symbolic_block) symbolic_handed_now = 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (reset) begin
      start_q <= 1'b0; running_q <= 1'b0; blocks_q <= '0; finished_q <= '0; handed_q <= '0;
      all_finished_for_q <= '0;
    end else begin
      start_q <= start;
      if (launch) begin
        running_q  <= 1'b1;
        blocks_q   <= 9'((int'(thread_count) + THREADS_PER_BLOCK - 1) / THREADS_PER_BLOCK);
        finished_q <= '0;
        handed_q   <= '0;
        all_finished_for_q <= '0;
      end else begin
        if (done) running_q <= 1'b0;
        finished_q <= finished_q + count_set(warp_block_done);
        if (symbolic_handed_now && handed_q != 2'd3) handed_q <= handed_q + 1'b1;
        if (running_q && !done && finished_q == blocks_q) all_finished_for_q <= all_finished_for_q + 1'b1;
      end
    end
  end

  logic [DATA_BITS:0] threads_left_for_symbolic;
  assign threads_left_for_symbolic = (DATA_BITS+1)'(thread_count) - (DATA_BITS+1)'(int'(symbolic_block) * THREADS_PER_BLOCK);

  // The thread count must not change while a kernel runs (the host writes it before
  // `start`); the dispatcher latched it, the harness reads it here.
  logic [DATA_BITS-1:0] thread_count_q;
  always_ff @(posedge clk) thread_count_q <= thread_count;
  always @(*) if (!reset && running_q) assume (thread_count == thread_count_q);

  always @(posedge clk) begin
    if (!reset && running_q) begin
      // Each block once.
      assert (handed_q <= 2'd1);
      assert (!(symbolic_handed_now && handed_q != 2'd0));
      // With its thread count.
      for (int c = 0; c < NUM_WARPS; c++) begin
        if (warp_block_start[c] && warp_block_idx[c] == symbolic_block)
          assert (int'(warp_block_thread_count[c]) ==
                  ((int'(threads_left_for_symbolic) > THREADS_PER_BLOCK) ? THREADS_PER_BLOCK : int'(threads_left_for_symbolic)));
      end
      // Only blocks of this launch.
      if (symbolic_handed_now) assert (int'(symbolic_block) < int'(blocks_q));
      assert (finished_q <= blocks_q);
      // done exactly when every block has finished, each handed out once; and soon.
      if (done) begin
        assert (finished_q == blocks_q);
        assert (int'(symbolic_block) >= int'(blocks_q) || handed_q == 2'd1);
      end
      assert (all_finished_for_q < 2'd3);
      assert (all_finished_for_q == 2'd0 || finished_q == blocks_q);
    end
    // The bookkeeping is the dispatcher's own state (the invariants induction needs):
    // blocks handed out = finished + on a warp; the symbolic block was handed out
    // exactly when the dispatcher is past it.
    if (!reset) begin
      assert (dut.running_q == (running_q && !done));
      assert (int'(dut.busy_warps_q) == int'(count_set(busy_q)) + int'(count_set(done_pulse_q)));
      if (running_q) begin
        assert (dut.total_q == thread_count_q || launch);
        assert (int'(blocks_q) == (int'(dut.total_q) + THREADS_PER_BLOCK - 1) / THREADS_PER_BLOCK || launch);
        if (!done) begin
          assert (int'(finished_q) + int'(dut.busy_warps_q) == int'(dut.next_block_q));
          assert (int'(dut.next_block_q) <= int'(blocks_q));
          assert (int'(dut.next_thread_q) == int'(dut.next_block_q) * THREADS_PER_BLOCK);
          assert ((handed_q == 2'd1) == (int'(symbolic_block) < int'(dut.next_block_q)));
        end
      end
    end
  end

  // Reachable: a launch with several blocks done, a launch of 0 threads done, both warps busy.
  always @(posedge clk) begin
    if (!reset) begin
      cover (done && blocks_q == 9'd3);
      cover (done && blocks_q == 9'd0 && running_q);
      cover (busy_q == '1);
    end
  end

endmodule
