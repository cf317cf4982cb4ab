// dispatcher: splits a kernel launch into blocks and hands them to free cores.
//
// A launch (rising edge of `start`) takes the thread count from the device control
// register. (A "core" here is a place a block can run: gpu.sv gives the dispatcher one
// per resident warp of every core, in the order warp 0 of each core, then warp 1 of
// each core, ..., so blocks spread over the cores before they double up.) Blocks of THREADS_PER_BLOCK threads (the last one may be partial) go to
// idle cores, one block a cycle, lowest core first, until every thread is handed out;
// `done` rises when the last block has finished and stays high until the next launch
// or reset. A thread count of 0 is done at once. Raising `start` again while a kernel
// runs does nothing.
`default_nettype none

module dispatcher
  import gpu_pkg::*;
#(
  parameter int NUM_CORES         = 2,
  parameter int THREADS_PER_BLOCK = 4,
  parameter int COUNT_BITS        = $clog2(THREADS_PER_BLOCK + 1)
) (
  input  logic                                     clk,
  input  logic                                     reset,
  input  logic                                     start,
  input  logic [DATA_BITS-1:0]                     thread_count,
  output logic                                     done,
  output logic                                     launching,   // a launch is taken this cycle
  // per-core block handshake
  input  logic [NUM_CORES-1:0]                     core_idle,
  input  logic [NUM_CORES-1:0]                     core_block_done,
  output logic [NUM_CORES-1:0]                     core_block_start,
  output logic [NUM_CORES-1:0][DATA_BITS-1:0]      core_block_idx,
  output logic [NUM_CORES-1:0][COUNT_BITS-1:0]     core_block_thread_count
);

  // Thread indices need one bit more than the count: the next block may start past 255.
  localparam int THREAD_BITS = DATA_BITS + 1;
  localparam int BUSY_BITS   = $clog2(NUM_CORES + 1);

  logic                   start_q;                         // `start` one cycle ago
  logic                   running_q,      running_d;
  logic                   done_q,         done_d;
  logic [DATA_BITS-1:0]   total_q,        total_d;         // threads of this launch
  logic [THREAD_BITS-1:0] next_thread_q,  next_thread_d;   // first thread not handed out
  logic [DATA_BITS-1:0]   next_block_q,   next_block_d;
  logic [BUSY_BITS-1:0]   busy_cores_q,   busy_cores_d;    // blocks handed out, not done

  // A rising edge of `start` launches; one arriving while a kernel runs is ignored.
  logic launch;
  assign launch = start && !start_q && !running_q;

  // ------------------------------------------------------------ block hand-out
  // At most one block a cycle, to the lowest-numbered idle core; a core is busy for
  // many cycles per block, so this never holds a core back for long.
  function automatic int first_set(input logic [NUM_CORES-1:0] bits);
    int index;
    index = NUM_CORES;  // none set
    for (int c = NUM_CORES - 1; c >= 0; c--) begin
      if (bits[c]) index = c;
    end
    return index;
  endfunction

  function automatic logic [BUSY_BITS-1:0] count_set(input logic [NUM_CORES-1:0] bits);
    logic [BUSY_BITS-1:0] count;
    count = '0;
    for (int c = 0; c < NUM_CORES; c++) count = count + BUSY_BITS'(bits[c]);
    return count;
  endfunction

  logic [THREAD_BITS-1:0] remaining;      // threads not handed out yet
  logic                   threads_left;
  logic                   hand_out;       // give a block to core `chosen_core` now
  int                     chosen_core;
  logic [COUNT_BITS-1:0]  block_size;     // threads in that block
  logic                   all_finished;

  assign remaining    = THREAD_BITS'(total_q) - next_thread_q;
  assign threads_left = running_q && (next_thread_q < THREAD_BITS'(total_q));
  assign chosen_core  = first_set(core_idle);
  assign hand_out     = threads_left && (chosen_core < NUM_CORES);
  assign block_size   = (remaining > THREAD_BITS'(THREADS_PER_BLOCK))
                        ? COUNT_BITS'(THREADS_PER_BLOCK) : COUNT_BITS'(remaining);
  // Finished when every thread is handed out and the last busy core reports its block
  // done (this cycle at the latest): `done` rises at the next edge.
  assign all_finished = running_q && !threads_left && (busy_cores_d == '0);

  always_comb begin
    for (int c = 0; c < NUM_CORES; c++) begin
      core_block_start[c]        = hand_out && (chosen_core == c);
      core_block_idx[c]          = next_block_q;
      core_block_thread_count[c] = block_size;
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
      // Every thread handed out and every core finished: the kernel is done.
      running_d = 1'b0;
      done_d    = 1'b1;
    end else if (hand_out) begin
      next_thread_d = next_thread_q + THREAD_BITS'(THREADS_PER_BLOCK);
      next_block_d  = next_block_q + 1'b1;
    end
  end

  assign busy_cores_d = busy_cores_q + BUSY_BITS'(hand_out) - count_set(core_block_done);

  always_ff @(posedge clk) begin
    if (reset) begin
      start_q       <= 1'b0;
      running_q     <= 1'b0;
      done_q        <= 1'b0;
      total_q       <= '0;
      next_thread_q <= '0;
      next_block_q  <= '0;
      busy_cores_q  <= '0;
    end else begin
      start_q       <= start;
      running_q     <= running_d;
      done_q        <= done_d;
      total_q       <= total_d;
      next_thread_q <= next_thread_d;
      next_block_q  <= next_block_d;
      busy_cores_q  <= busy_cores_d;
    end
  end

  assign done      = done_q;
  assign launching = launch;

`ifndef SYNTHESIS
  // ------------------------------------------------------------ assertions
  // Checked in every simulation and by `make formal`; synthesis never sees them.
  // (X checks XOR the bits together: Icarus 11's $isunknown of a concatenation can
  // report X where there is none.)
  always @(posedge clk) begin
    if (!reset) begin
      // A block goes to one core at a time, and only to an idle one.
      assert ($onehot0(core_block_start)) else $error("dispatcher: blocks to several cores at once (%b)", core_block_start);
      assert ((core_block_start & ~core_idle) == '0) else $error("dispatcher: a block to a busy core (%b)", core_block_start);
      // The count of busy cores neither underflows nor exceeds the cores there are.
      assert (int'(busy_cores_q) + int'(hand_out) >= int'(count_set(core_block_done)))
        else $error("dispatcher: more blocks finished than were handed out");
      assert (int'(busy_cores_q) <= NUM_CORES) else $error("dispatcher: %0d busy cores of %0d", busy_cores_q, NUM_CORES);
      assert (!(done_q && running_q)) else $error("dispatcher: done while running");
      // Blocks are handed out in steps of THREADS_PER_BLOCK up to the thread count.
      assert (!running_q || int'(next_thread_q) < int'(total_q) + THREADS_PER_BLOCK)
        else $error("dispatcher: next thread %0d past the %0d threads", next_thread_q, total_q);
`ifndef FORMAL  // X and Z exist only in simulation
      assert ((^{done, core_block_start}) !== 1'bx) else $error("dispatcher: an output is X or Z after reset");
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
      cover (!hand_out && threads_left);                                // every core busy
      cover (all_finished);
      cover (done_q && start);
    end
  end
`endif

endmodule
