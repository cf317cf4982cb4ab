// SPDX-License-Identifier: MIT
// axi_memory_model: an AXI4 slave in front of a test-bench memory, with latency and
// seeded random backpressure on every channel.
//
// Test-bench only. The harness owns the memory array; this module owns the protocol and
// the timing and reaches the array through a beat-wide read port (combinational) and a
// write port with byte strobes. Behaviour:
//
//   latency   a read's first beat is valid `latency` cycles after the cycle its address
//             was accepted (latency 1: the next cycle), the beats of a burst follow one
//             a cycle; a write's response likewise `latency` cycles after both its
//             address and its data were accepted (the write happens then).
//   order     transactions are answered in the order their addresses were accepted
//             (the masters use one ID); up to DEPTH of each kind are held.
//   stalls    with stall_max > 0 each channel's ready (AR, AW, W) and valid (R, B) is
//             held low in a random quarter of the cycles, from a generator seeded by
//             `seed` and SALT: backpressure on every channel, repeatable by seed.
//   errors    the harness gives each beat's response (`read_response`, `write_response`):
//             OKAY, or an error (SLVERR, DECERR: outside the memory, or injected by a
//             test); an error beat's data is 0 and an error write changes nothing.
//
// Bursts are INCR; a beat of a burst reads the bus-aligned address after the last.
`default_nettype none

module axi_memory_model #(
  parameter int          BUS_BYTES = 4,
  parameter int          ADDR_BITS = 32,
  parameter int          DEPTH     = 16,
  parameter logic [31:0] SALT      = 32'h0
) (
  input  logic                     clk,
  input  logic                     reset,
  input  logic [7:0]               latency,     // 1 or more; 0 is treated as 1
  input  logic [7:0]               stall_max,   // 0: no backpressure
  input  logic [31:0]              seed,
  // AXI4 slave
  input  logic                     arvalid,
  output logic                     arready,
  input  logic [ADDR_BITS-1:0]     araddr,
  input  logic [7:0]               arlen,
  output logic                     rvalid,
  input  logic                     rready,
  output logic [BUS_BYTES*8-1:0]   rdata,
  output logic [1:0]               rresp,
  output logic                     rlast,
  input  logic                     awvalid,
  output logic                     awready,
  input  logic [ADDR_BITS-1:0]     awaddr,
  input  logic                     wvalid,
  output logic                     wready,
  input  logic [BUS_BYTES*8-1:0]   wdata,
  input  logic [BUS_BYTES-1:0]     wstrb,
  output logic                     bvalid,
  input  logic                     bready,
  output logic [1:0]               bresp,
  // a response due on R (B) and held back by a stall now: the slave's backpressure there
  output logic                     r_held,
  output logic                     b_held,
  // the memory behind it
  output logic [ADDR_BITS-1:0]     read_address,   // the beat now on R
  input  logic [BUS_BYTES*8-1:0]   read_data,
  input  logic [1:0]               read_response,  // of the beat now on R
  output logic                     write_enable,
  output logic [ADDR_BITS-1:0]     write_address,
  output logic [BUS_BYTES*8-1:0]   write_data,
  output logic [BUS_BYTES-1:0]     write_strobe,
  input  logic [1:0]               write_response, // of the write happening now
  output logic                     stalled        // some channel is held back now
);
  localparam logic [1:0] OKAY = 2'b00;

  logic [31:0] now;   // cycles since reset
  logic [31:0] wait_cycles;
  assign wait_cycles = (latency == 8'd0) ? 32'd1 : 32'(latency);

  // One random generator per channel (xorshift), a quarter of the cycles held.
  logic [4:0][31:0] random_q;
  logic [4:0]       hold;   // AR, R, AW, W, B
  for (genvar k = 0; k < 5; k++) begin : g_random
    logic [31:0] x;
    assign x       = random_q[k] ^ (random_q[k] << 13);
    assign hold[k] = (stall_max != 8'd0) && (random_q[k][1:0] == 2'b00);
    always_ff @(posedge clk) begin
      if (reset) random_q[k] <= seed ^ SALT ^ (32'h9E37_79B9 * (k + 1)) | 32'h1;
      else       random_q[k] <= (x ^ (x >> 17)) ^ ((x ^ (x >> 17)) << 5);
    end
  end

  // ------------------------------------------------------------ reads
  logic [ADDR_BITS-1:0] read_queue_address [DEPTH];
  logic [7:0]           read_queue_length  [DEPTH];
  logic [31:0]          read_queue_due     [DEPTH];
  int                   read_head, read_tail, read_count;
  logic [7:0]           beat_q;

  assign arready      = !reset && read_count < DEPTH && !hold[0];
  assign rvalid       = read_count > 0 && read_queue_due[read_head] <= now && !hold[1];
  assign read_address = read_queue_address[read_head] + ADDR_BITS'(32'(beat_q) * BUS_BYTES);
  assign rdata        = (read_response == OKAY) ? read_data : '0;
  assign rresp        = read_response;
  assign rlast        = beat_q == read_queue_length[read_head];

  always_ff @(posedge clk) begin
    if (reset) begin
      now        <= '0;
      read_head  <= 0;
      read_tail  <= 0;
      read_count <= 0;
      beat_q     <= '0;
    end else begin
      now <= now + 32'd1;
      if (arvalid && arready) begin
        read_queue_address[read_tail] <= araddr;
        read_queue_length[read_tail]  <= arlen;
        read_queue_due[read_tail]     <= now + wait_cycles;
        read_tail                     <= (read_tail + 1) % DEPTH;
      end
      if (rvalid && rready) begin
        if (rlast) begin
          beat_q    <= '0;
          read_head <= (read_head + 1) % DEPTH;
        end else begin
          beat_q <= beat_q + 8'd1;
        end
      end
      read_count <= read_count + ((arvalid && arready) ? 1 : 0) - ((rvalid && rready && rlast) ? 1 : 0);
    end
  end

  // ------------------------------------------------------------ writes
  // Addresses and data wait in queues of their own; a write happens when both heads
  // are there, and its response is due `latency` cycles later.
  logic [ADDR_BITS-1:0]   aw_queue [DEPTH];
  logic [BUS_BYTES*8-1:0] w_queue_data   [DEPTH];
  logic [BUS_BYTES-1:0]   w_queue_strobe [DEPTH];
  logic [31:0]            b_queue_due    [DEPTH];
  logic [1:0]             b_queue_resp   [DEPTH];
  int aw_head, aw_tail, aw_count, w_head, w_tail, w_count, b_head, b_tail, b_count;

  assign awready       = !reset && aw_count < DEPTH && !hold[2];
  assign wready        = !reset && w_count < DEPTH && !hold[3];
  assign write_enable  = aw_count > 0 && w_count > 0 && b_count < DEPTH;
  assign write_address = aw_queue[aw_head];
  assign write_data    = w_queue_data[w_head];
  assign write_strobe  = (write_response == OKAY) ? w_queue_strobe[w_head] : '0;
  assign bvalid        = b_count > 0 && b_queue_due[b_head] <= now && !hold[4];
  assign bresp         = b_queue_resp[b_head];

  always_ff @(posedge clk) begin
    if (reset) begin
      aw_head <= 0; aw_tail <= 0; aw_count <= 0;
      w_head  <= 0; w_tail  <= 0; w_count  <= 0;
      b_head  <= 0; b_tail  <= 0; b_count  <= 0;
    end else begin
      if (awvalid && awready) begin
        aw_queue[aw_tail] <= awaddr;
        aw_tail           <= (aw_tail + 1) % DEPTH;
      end
      if (wvalid && wready) begin
        w_queue_data[w_tail]   <= wdata;
        w_queue_strobe[w_tail] <= wstrb;
        w_tail                 <= (w_tail + 1) % DEPTH;
      end
      if (write_enable) begin
        aw_head              <= (aw_head + 1) % DEPTH;
        w_head               <= (w_head + 1) % DEPTH;
        b_queue_due[b_tail]  <= now + wait_cycles;
        b_queue_resp[b_tail] <= write_response;
        b_tail               <= (b_tail + 1) % DEPTH;
      end
      if (bvalid && bready) b_head <= (b_head + 1) % DEPTH;
      aw_count <= aw_count + ((awvalid && awready) ? 1 : 0) - (write_enable ? 1 : 0);
      w_count  <= w_count + ((wvalid && wready) ? 1 : 0) - (write_enable ? 1 : 0);
      b_count  <= b_count + (write_enable ? 1 : 0) - ((bvalid && bready) ? 1 : 0);
    end
  end

  assign r_held  = read_count > 0 && read_queue_due[read_head] <= now && hold[1];
  assign b_held  = b_count > 0 && b_queue_due[b_head] <= now && hold[4];
  assign stalled = (arvalid && !arready) || (awvalid && !awready) || (wvalid && !wready) || r_held || b_held;
endmodule
