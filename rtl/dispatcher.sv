// SPDX-License-Identifier: MIT
// dispatcher: splits a kernel launch into blocks and hands them to idle warps.
//
// A launch (rising edge of `start`) takes the thread count from the device control
// register. A warp is where a block runs: gpu.sv lists every warp of every core for the
// dispatcher, in the order warp 0 of each core, then warp 1 of each core, ..., so blocks
// spread over the cores before they double up. Blocks of THREADS_PER_BLOCK threads (the
// last one may be partial) go to idle warps, one block a cycle, lowest first, until
// every thread is handed out;
// `done` rises when the last block has finished and stays high until the next launch
// or reset. A thread count of 0 is done at once. Raising `start` again while a kernel
// runs does nothing.
`default_nettype none

module dispatcher
  import gpu_pkg::*;
#(
  parameter int NUM_WARPS         = 2,
  parameter int THREADS_PER_BLOCK = 4,
  parameter int COUNT_BITS        = $clog2(THREADS_PER_BLOCK + 1)
) (
  input  logic                                     clk,
  input  logic                                     reset,
  input  logic                                     start,
  input  logic [DATA_BITS-1:0]                     thread_count,
  output logic                                     done,
  output logic                                     launching,   // a launch is taken this cycle
  // per-warp block handshake
  input  logic [NUM_WARPS-1:0]                     warp_idle,
  input  logic [NUM_WARPS-1:0]                     warp_block_done,
  output logic [NUM_WARPS-1:0]                     warp_block_start,
  output logic [NUM_WARPS-1:0][DATA_BITS-1:0]      warp_block_idx,
  output logic [NUM_WARPS-1:0][COUNT_BITS-1:0]     warp_block_thread_count
);

  // Thread indices need one bit more than the count: the next block may start past 255.
  localparam int THREAD_BITS = DATA_BITS + 1;
  localparam int BUSY_BITS   = $clog2(NUM_WARPS + 1);

  logic                   start_q;                         // `start` one cycle ago
  logic                   running_q,      running_d;
  logic                   done_q,         done_d;
  logic [DATA_BITS-1:0]   total_q,        total_d;         // threads of this launch
  logic [THREAD_BITS-1:0] next_thread_q,  next_thread_d;   // first thread not handed out
  logic [DATA_BITS-1:0]   next_block_q,   next_block_d;
  logic [BUSY_BITS-1:0]   busy_warps_q,   busy_warps_d;    // blocks handed out, not done

  // A rising edge of `start` launches; one arriving while a kernel runs is ignored.
  logic launch;
  assign launch = start && !start_q && !running_q;

  // ------------------------------------------------------------ block hand-out
  // At most one block a cycle, to the lowest-numbered idle warp; a warp is busy for
  // many cycles per block, so this never holds a core back for long.
  function automatic int first_set(input logic [NUM_WARPS-1:0] bits);
    int index;
    index = NUM_WARPS;  // none set
    for (int c = NUM_WARPS - 1; c >= 0; c--) begin
      if (bits[c]) index = c;
    end
    return index;
  endfunction

  function automatic logic [BUSY_BITS-1:0] count_set(input logic [NUM_WARPS-1:0] bits);
    logic [BUSY_BITS-1:0] count;
    count = '0;
    for (int c = 0; c < NUM_WARPS; c++) count = count + BUSY_BITS'(bits[c]);
    return count;
  endfunction

  logic [THREAD_BITS-1:0] remaining;      // threads not handed out yet
  logic                   threads_left;
  logic                   hand_out;       // give a block to warp `chosen_warp` now
  int                     chosen_warp;
  logic [COUNT_BITS-1:0]  block_size;     // threads in that block
  logic                   all_finished;

  assign remaining    = THREAD_BITS'(total_q) - next_thread_q;
  assign threads_left = running_q && (next_thread_q < THREAD_BITS'(total_q));
  assign chosen_warp  = first_set(warp_idle);
  assign hand_out     = threads_left && (chosen_warp < NUM_WARPS);
  assign block_size   = (remaining > THREAD_BITS'(THREADS_PER_BLOCK))
                        ? COUNT_BITS'(THREADS_PER_BLOCK) : COUNT_BITS'(remaining);
  // Finished when every thread is handed out and the last busy warp reports its block
  // done (this cycle at the latest): `done` rises at the next edge.
  assign all_finished = running_q && !threads_left && (busy_warps_d == '0);

  always_comb begin
    for (int c = 0; c < NUM_WARPS; c++) begin
      warp_block_start[c]        = hand_out && (chosen_warp == c);
      warp_block_idx[c]          = next_block_q;
      warp_block_thread_count[c] = block_size;
    end
  end

  always_comb begin
    running_d     = running_q;
    done_d        = done_q;
    total_d       = total_q;
    next_thread_d = next_thread_q;
    next_block_d  = next_block_q;
    if (launch) begin
      running_d     = 1'b1;
      done_d        = 1'b0;
      total_d       = thread_count;
      next_thread_d = '0;
      next_block_d  = '0;
    end else if (all_finished) begin
      // Every thread handed out and every warp finished: the kernel is done.
      running_d = 1'b0;
      done_d    = 1'b1;
    end else if (hand_out) begin
      next_thread_d = next_thread_q + THREAD_BITS'(THREADS_PER_BLOCK);
      next_block_d  = next_block_q + 1'b1;
    end
  end

  assign busy_warps_d = busy_warps_q + BUSY_BITS'(hand_out) - count_set(warp_block_done);

  always_ff @(posedge clk) begin
    if (reset) begin
      start_q       <= 1'b0;
      running_q     <= 1'b0;
      done_q        <= 1'b0;
      total_q       <= '0;
      next_thread_q <= '0;
      next_block_q  <= '0;
      busy_warps_q  <= '0;
    end else begin
      start_q       <= start;
      running_q     <= running_d;
      done_q        <= done_d;
      total_q       <= total_d;
      next_thread_q <= next_thread_d;
      next_block_q  <= next_block_d;
      busy_warps_q  <= busy_warps_d;
    end
  end

  assign done      = done_q;
  assign launching = launch;

`ifndef SYNTHESIS
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  // ------------------------------------------------------------ assertions
  // Checked in every simulation and by `make formal`; synthesis never sees them.
  // (X checks XOR the bits together: Icarus 11's $isunknown of a concatenation can
  // report X where there is none.)
  always @(posedge clk) begin
    if (armed) begin
      // A block goes to one warp at a time, and only to an idle one.
      assert ($onehot0(warp_block_start)) else $error("dispatcher: blocks to several warps at once (%b)", warp_block_start);
      assert ((warp_block_start & ~warp_idle) == '0) else $error("dispatcher: a block to a busy warp (%b)", warp_block_start);
      // The count of busy warps neither underflows nor exceeds the warps there are.
      assert (int'(busy_warps_q) + int'(hand_out) >= int'(count_set(warp_block_done)))
        else $error("dispatcher: more blocks finished than were handed out");
      assert (int'(busy_warps_q) <= NUM_WARPS) else $error("dispatcher: %0d busy warps of %0d", busy_warps_q, NUM_WARPS);
      assert (!(done_q && running_q)) else $error("dispatcher: done while running");
      // Blocks are handed out in steps of THREADS_PER_BLOCK up to the thread count.
      assert (!running_q || int'(next_thread_q) < int'(total_q) + THREADS_PER_BLOCK)
        else $error("dispatcher: next thread %0d past the %0d threads", next_thread_q, total_q);
`ifndef FORMAL  // X and Z exist only in simulation
      assert ((^{done, warp_block_start}) !== 1'bx) else $error("dispatcher: an output is X or Z after reset");
`endif
    end
  end
`endif

`ifdef FORMAL
  // Every phase of a launch is reachable (make formal shows a trace of each).
  always @(posedge clk) begin
    if (!reset) begin
      cover (launch);
      cover (hand_out && remaining < THREAD_BITS'(THREADS_PER_BLOCK));  // a partial block
      cover (!hand_out && threads_left);                                // every warp busy
      cover (all_finished);
      cover (done_q && start);
    end
  end
`endif

endmodule
