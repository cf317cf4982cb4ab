// SPDX-License-Identifier: MIT
// mem_controller_formal: the proof harness of mem_controller (make formal).
//
// Requesters and memory are free inputs, constrained only by the protocol the GPU's
// requesters and memories keep: a requester holds its request (valid, address, data)
// unchanged until it is answered, never reads and writes at once, and may present its
// next request in the cycle after the answer; memory answers only a request, within
// MEM_LATENCY cycles (a responsive memory; by the contract a ready in a request's first
// cycle is not an answer: the memory may raise it, the controller does not take it, and
// the memory must answer again later), and reads from a symbolic memory: whatever it returns for the
// one address `symbolic_address`, chosen freely by the solver, is `symbolic_data`. The
// properties then hold for every address and every value. Proven (k-induction):
//   - every request is answered within BOUND cycles (no requester waits longer, so none
//     starves under round-robin);
//   - a read returns the data of the requester's own address;
//   - every write on a channel is one a requester asked for and is still waiting on;
// and every assertion inside mem_controller.sv. The memory side has no other check:
// the controller's own assertions hold its channel requests.
`default_nettype none

module mem_controller_formal #(
  parameter int NUM_CONSUMERS = 3,
  parameter int NUM_CHANNELS  = 2,
  parameter int ADDR_BITS     = 2,
  parameter int DATA_BITS     = 2,
  parameter int MEM_LATENCY   = 2,
  parameter int BOUND         = 4,
  parameter bit WRITE_ENABLE  = 1'b1,
  parameter bit MERGE_READS   = 1'b0
) (
  input logic                                    clk,
  input logic [NUM_CONSUMERS-1:0]                read_valid,
  input logic [NUM_CONSUMERS-1:0][ADDR_BITS-1:0] read_address,
  input logic [NUM_CONSUMERS-1:0]                write_valid,
  input logic [NUM_CONSUMERS-1:0][ADDR_BITS-1:0] write_address,
  input logic [NUM_CONSUMERS-1:0][DATA_BITS-1:0] write_data,
  input logic [NUM_CHANNELS-1:0]                 mem_read_ready,
  input logic [NUM_CHANNELS-1:0][DATA_BITS-1:0]  mem_read_data,
  input logic [NUM_CHANNELS-1:0]                 mem_write_ready
);

  // Symbolic constants: flops with no initial value that keep it, so the solver picks
  // them once, freely. (Yosys' slang front end ignores the `anyconst` attribute.)
  logic [ADDR_BITS-1:0] symbolic_address;
  logic [DATA_BITS-1:0] symbolic_data;
  always_ff @(posedge clk) begin
    symbolic_address <= symbolic_address;
    symbolic_data    <= symbolic_data;
  end

  // Reset in the first cycle only.
  logic started_q = 1'b0;
  logic reset;
  always_ff @(posedge clk) started_q <= 1'b1;
  assign reset = !started_q;

  logic [NUM_CONSUMERS-1:0]                read_ready, write_ready;
  logic [NUM_CONSUMERS-1:0][DATA_BITS-1:0] read_data;
  logic [NUM_CHANNELS-1:0]                 mem_read_valid, mem_write_valid;
  logic [NUM_CHANNELS-1:0][ADDR_BITS-1:0]  mem_read_address, mem_write_address;
  logic [NUM_CHANNELS-1:0][DATA_BITS-1:0]  mem_write_data;

  mem_controller #(
    .ADDR_BITS (ADDR_BITS), .DATA_BITS (DATA_BITS),
    .NUM_CONSUMERS (NUM_CONSUMERS), .NUM_CHANNELS (NUM_CHANNELS), .WRITE_ENABLE (WRITE_ENABLE),
    .MERGE_READS (MERGE_READS)
  ) dut (
    .clk (clk), .reset (reset),
    .consumer_read_valid (read_valid), .consumer_read_address (read_address),
    .consumer_read_ready (read_ready), .consumer_read_data (read_data),
    .consumer_write_valid (write_valid), .consumer_write_address (write_address),
    .consumer_write_data (write_data), .consumer_write_ready (write_ready),
    .mem_read_valid (mem_read_valid), .mem_read_address (mem_read_address),
    .mem_read_ready (mem_read_ready), .mem_read_data (mem_read_data),
    .mem_write_valid (mem_write_valid), .mem_write_address (mem_write_address),
    .mem_write_data (mem_write_data), .mem_write_ready (mem_write_ready)
  );

  // ------------------------------------------------------------ requesters
  logic [NUM_CONSUMERS-1:0]                waiting_q;    // asking, unanswered, last cycle
  logic [NUM_CONSUMERS-1:0]                was_read_q;
  logic [NUM_CONSUMERS-1:0][ADDR_BITS-1:0] address_q;
  logic [NUM_CONSUMERS-1:0][DATA_BITS-1:0] data_q;
  logic [NUM_CONSUMERS-1:0][7:0]           wait_q;       // cycles the request has waited
  always_ff @(posedge clk) begin
    for (int i = 0; i < NUM_CONSUMERS; i++) begin
      waiting_q[i]  <= (read_valid[i] || write_valid[i]) && !(read_ready[i] || write_ready[i]);
      was_read_q[i] <= read_valid[i];
      address_q[i]  <= read_valid[i] ? read_address[i] : write_address[i];
      data_q[i]     <= write_data[i];
      wait_q[i]     <= (reset || !(read_valid[i] || write_valid[i]) || read_ready[i] || write_ready[i])
                       ? 8'd0 : wait_q[i] + 8'd1;
    end
  end

  always @(*) begin
    for (int i = 0; i < NUM_CONSUMERS; i++) begin
      assume (!(read_valid[i] && write_valid[i]));
      if (!WRITE_ENABLE) assume (!write_valid[i]);  // a read-only memory gets no writes
      if (reset) assume (!read_valid[i] && !write_valid[i]);
      if (!reset && waiting_q[i]) begin
        assume (read_valid[i] == was_read_q[i] && write_valid[i] == !was_read_q[i]);
        assume (read_valid[i] ? read_address[i] == address_q[i] : write_address[i] == address_q[i]);
        if (!was_read_q[i]) assume (write_data[i] == data_q[i]);
      end
    end
  end

  // ------------------------------------------------------------ memory
  // mem_wait_q: cycles the channel's request has been up (0: its first cycle).
  logic [NUM_CHANNELS-1:0][7:0] mem_wait_q;
  always_ff @(posedge clk) begin
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      mem_wait_q[c] <= (reset || !(mem_read_valid[c] || mem_write_valid[c])
                        || (mem_wait_q[c] != 8'd0 && (mem_read_ready[c] || mem_write_ready[c])))
                       ? 8'd0 : mem_wait_q[c] + 8'd1;
    end
  end
  always @(*) begin
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      assume (!mem_read_ready[c] || mem_read_valid[c]);
      assume (!mem_write_ready[c] || mem_write_valid[c]);
      if (int'(mem_wait_q[c]) >= MEM_LATENCY - 1) begin
        assume (!mem_read_valid[c] || mem_read_ready[c]);
        assume (!mem_write_valid[c] || mem_write_ready[c]);
      end
      if (mem_read_ready[c] && mem_read_address[c] == symbolic_address) assume (mem_read_data[c] == symbolic_data);
    end
  end

  // ------------------------------------------------------------ properties
  logic [NUM_CHANNELS-1:0] write_asked;
  always @(*) begin
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      write_asked[c] = 1'b0;
      for (int i = 0; i < NUM_CONSUMERS; i++) begin
        if (write_valid[i] && write_address[i] == mem_write_address[c] && write_data[i] == mem_write_data[c])
          write_asked[c] = 1'b1;
      end
    end
  end

  always @(posedge clk) begin
    if (!reset) begin
      for (int i = 0; i < NUM_CONSUMERS; i++) begin
        // Answered within BOUND cycles: nobody starves.
        assert (int'(wait_q[i]) < BOUND);
        // A read returns the data of the requester's own address.
        assert (!(read_ready[i] && read_address[i] == symbolic_address) || read_data[i] == symbolic_data);
      end
      for (int c = 0; c < NUM_CHANNELS; c++) begin
        // A write on memory is one that a requester asks for.
        assert (!mem_write_valid[c] || write_asked[c]);
        // Induction help: a channel is busy exactly when its request has been up since an
        // earlier cycle, and memory never lets one wait past its latency.
        assert ((mem_wait_q[c] != 8'd0) == dut.busy_q[c]);
        assert (int'(mem_wait_q[c]) < MEM_LATENCY);
      end
    end
  end

  // Reachable: every requester waits its longest, both channels busy at once.
  always @(posedge clk) begin
    if (!reset) begin
      for (int i = 0; i < NUM_CONSUMERS; i++) cover (int'(wait_q[i]) == BOUND - 1);
      if (WRITE_ENABLE) cover (mem_read_valid[0] && mem_write_valid[NUM_CHANNELS-1]);
      // Merged reads: two requesters answered by one read.
      if (MERGE_READS) cover (read_ready[0] && read_ready[1] && mem_read_valid[1] == 1'b0);
    end
  end

endmodule
