// dispatcher: splits a kernel launch into blocks and hands them to free cores.
//
// A launch (rising edge of `start`) takes the thread count from the device control
// register. Blocks of THREADS_PER_BLOCK threads (the last one may be partial) go to
// whichever core is idle, lowest core first, until every thread has been handed out;
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

  logic [THREAD_BITS-1:0] remaining;
  logic [BUSY_BITS-1:0]   started_now;
  logic [BUSY_BITS-1:0]   finished_now;

  always_comb begin
    running_d     = running_q;
    done_d        = done_q;
    total_d       = total_q;
    next_thread_d = next_thread_q;
    next_block_d  = next_block_q;
    core_block_start        = '0;
    core_block_idx          = '0;
    core_block_thread_count = '0;
    started_now  = '0;
    finished_now = '0;
    remaining    = '0;

    if (launch) begin
      running_d     = 1'b1;
      done_d        = 1'b0;
      total_d       = thread_count;
      next_thread_d = '0;
      next_block_d  = '0;
    end else if (running_q) begin
      // Hand one block to each idle core while threads remain.
      for (int c = 0; c < NUM_CORES; c++) begin
        core_block_idx[c] = next_block_d;
        if (core_idle[c] && next_thread_d < THREAD_BITS'(total_q)) begin
          remaining = THREAD_BITS'(total_q) - next_thread_d;
          core_block_start[c]        = 1'b1;
          core_block_thread_count[c] = (remaining > THREAD_BITS'(THREADS_PER_BLOCK))
                                       ? COUNT_BITS'(THREADS_PER_BLOCK)
                                       : COUNT_BITS'(remaining);
          next_thread_d = next_thread_d + THREAD_BITS'(THREADS_PER_BLOCK);
          next_block_d  = next_block_d + 1'b1;
          started_now   = started_now + 1'b1;
        end
        if (core_block_done[c]) finished_now = finished_now + 1'b1;
      end
      // Every thread handed out and every core finished: the kernel is done.
      if (next_thread_q >= THREAD_BITS'(total_q) && busy_cores_q == '0) begin
        running_d = 1'b0;
        done_d    = 1'b1;
      end
    end
    busy_cores_d = busy_cores_q + started_now - finished_now;
  end

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

  assign done = done_q;

endmodule
