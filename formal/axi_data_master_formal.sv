// SPDX-License-Identifier: MIT
// axi_data_master_formal: the proof harness of axi_data_master (make formal).
//
// The LSUs and the AXI slave are free inputs, constrained only by what each promises:
//   - an LSU holds its request (valid, address, data) until it is answered, drops it
//     in the cycle after, and never asks to read and write at once;
//   - the slave answers (R, B) only transactions it has taken, one beat each (RLAST),
//     and a write only after it has taken both its address and its data; it may hold any
//     ready low for any number of cycles and answer with any response.
// The two warps share one core and its 2-line data cache (axi_data_cache.sv).
// Proven (k-induction): every assertion inside axi_data_master.sv, its FIFOs and its
// cache: the AXI4 rules as a master (valid held with a stable payload until ready, one
// aligned beat with WLAST and a strobe, no more in flight than allowed), no answer
// without a transaction in flight, no line answered from the cache and sent to memory
// too, the cache's LRU ages a permutation and a line held once. Covered: a read and a
// write in flight together, a warp's lanes split over two lines, an address held over a
// cycle of backpressure, a read answered from the cache.
`default_nettype none

module axi_data_master_formal
  import gpu_pkg::*;
#(
  parameter int GROUPS     = 2,
  parameter int LANES      = 2,
  parameter int LINE_BYTES = 2,
  parameter int MAX_READS  = 2,
  parameter int MAX_WRITES = 2,
  parameter int GROUPS_PER_CORE = 2,
  parameter int CACHE_LINES = 2,
  parameter int ADDR_BITS  = 12
) (
  input logic                             clk,
  input logic [GROUPS*LANES-1:0]          read_valid,
  input logic [GROUPS*LANES*DATA_BITS-1:0] read_address,
  input logic [GROUPS*LANES-1:0]          write_valid,
  input logic [GROUPS*LANES*DATA_BITS-1:0] write_address,
  input logic [GROUPS*LANES*DATA_BITS-1:0] write_data,
  input logic                             arready,
  input logic                             rvalid,
  input logic [LINE_BYTES*8-1:0]          rdata,
  input logic [1:0]                       rresp,
  input logic                             awready,
  input logic                             wready,
  input logic                             bvalid,
  input logic [1:0]                       bresp,
  input logic                             launch,
  input logic                             stop      // any time: the launch ended on an error
);
  localparam int R = GROUPS * LANES;

  logic started_q = 1'b0;
  logic reset;
  always_ff @(posedge clk) started_q <= 1'b1;
  assign reset = !started_q;

  logic [R-1:0]              read_ready, write_ready;
  logic [R*DATA_BITS-1:0]    read_data;
  logic                      arvalid, rready, awvalid, wvalid, wlast, bready;
  logic [ADDR_BITS-1:0]      araddr, awaddr;
  logic [7:0]                arlen, awlen;
  logic [2:0]                arsize, awsize;
  logic [1:0]                arburst, awburst;
  logic [LINE_BYTES*8-1:0]   wdata;
  logic [LINE_BYTES-1:0]     wstrb;
  logic                      writes_idle, idle, error, error_write;
  logic [ADDR_BITS-1:0]      error_address;

  axi_data_master #(
    .GROUPS (GROUPS), .LANES (LANES), .LINE_BYTES (LINE_BYTES), .MAX_READS (MAX_READS),
    .MAX_WRITES (MAX_WRITES), .GROUPS_PER_CORE (GROUPS_PER_CORE), .CACHE_LINES (CACHE_LINES),
    .ADDR_BITS (ADDR_BITS), .BASE (ADDR_BITS'(12'h300))
  ) dut (
    .clk (clk), .reset (reset),
    .read_valid (read_valid), .read_address (read_address), .read_ready (read_ready), .read_data (read_data),
    .write_valid (write_valid), .write_address (write_address), .write_data (write_data), .write_ready (write_ready),
    .arvalid (arvalid), .arready (arready), .araddr (araddr), .arlen (arlen), .arsize (arsize), .arburst (arburst),
    .rvalid (rvalid), .rready (rready), .rdata (rdata), .rresp (rresp), .rlast (1'b1),
    .awvalid (awvalid), .awready (awready), .awaddr (awaddr), .awlen (awlen), .awsize (awsize), .awburst (awburst),
    .wvalid (wvalid), .wready (wready), .wdata (wdata), .wstrb (wstrb), .wlast (wlast),
    .bvalid (bvalid), .bready (bready), .bresp (bresp),
    .writes_idle (writes_idle), .idle (idle), .launch (launch), .stop (stop), .error (error), .error_write (error_write),
    .error_address (error_address)
  );

  // ------------------------------------------------------------ the LSUs' promises
  logic [R-1:0]           read_valid_q, write_valid_q, answered_q;
  logic [R*DATA_BITS-1:0] read_address_q, write_address_q, write_data_q;
  always_ff @(posedge clk) begin
    read_valid_q    <= read_valid;
    write_valid_q   <= write_valid;
    answered_q      <= reset ? '0 : (read_ready | write_ready);
    read_address_q  <= read_address;
    write_address_q <= write_address;
    write_data_q    <= write_data;
  end
  always @(*) begin
    if (reset) assume (read_valid == '0 && write_valid == '0);
    assume ((read_valid & write_valid) == '0);
    assume ((answered_q & (read_valid | write_valid)) == '0);
    for (int i = 0; i < R; i++) begin
      if (!reset && started_q && read_valid_q[i] && !answered_q[i]) begin
        assume (read_valid[i] && read_address[i*DATA_BITS +: DATA_BITS] == read_address_q[i*DATA_BITS +: DATA_BITS]);
      end
      if (!reset && started_q && write_valid_q[i] && !answered_q[i]) begin
        assume (write_valid[i] && write_address[i*DATA_BITS +: DATA_BITS] == write_address_q[i*DATA_BITS +: DATA_BITS]
                && write_data[i*DATA_BITS +: DATA_BITS] == write_data_q[i*DATA_BITS +: DATA_BITS]);
      end
    end
  end

  // ------------------------------------------------------------ the slave's promises
  logic [3:0] reads_taken_q, writes_taken_q, addresses_taken_q, data_taken_q;
  always_ff @(posedge clk) begin
    if (reset) begin
      reads_taken_q <= '0; addresses_taken_q <= '0; data_taken_q <= '0; writes_taken_q <= '0;
    end else begin
      reads_taken_q     <= reads_taken_q + 4'(arvalid && arready) - 4'(rvalid && rready);
      addresses_taken_q <= addresses_taken_q + 4'(awvalid && awready) - 4'(bvalid && bready);
      data_taken_q      <= data_taken_q + 4'(wvalid && wready) - 4'(bvalid && bready);
    end
  end
  always @(*) begin
    if (reset) assume (!rvalid && !bvalid);
    if (reads_taken_q == '0) assume (!rvalid);
    if (addresses_taken_q == '0 || data_taken_q == '0) assume (!bvalid);
  end

  // The harness's counts agree with the master's (what induction needs to know).
  // Formed and unanswered = taken by the slave and unanswered + the one held, if any.
  always @(posedge clk) begin
    if (!reset) begin
      assert (int'(dut.reads_out) == int'(reads_taken_q) + int'(dut.ar_held_q));
      assert (int'(dut.writes_out) == int'(addresses_taken_q) + int'(dut.aw_held_q));
      assert (int'(dut.writes_out) == int'(data_taken_q) + int'(dut.w_held_q));
    end
  end

  // The cache tracks its core's reads (here: all of them) in the FIFO's order, in the
  // FIFO's slots, with the same lines.
  localparam int LINE_BITS = DATA_BITS - $clog2(LINE_BYTES);
  always @(posedge clk) begin
    if (!reset) begin
      assert (int'(dut.u_read_fifo.write_index_q)
              == (int'(dut.u_read_fifo.read_index_q) + int'(dut.reads_out)) % MAX_READS);
      assert (dut.g_cache.g_core[0].u_cache.sent_slot_q == dut.u_read_fifo.write_index_q);
      assert (dut.g_cache.g_core[0].u_cache.back_slot_q == dut.u_read_fifo.read_index_q);
      for (int i = 0; i < MAX_READS; i++) begin
        if ((i - int'(dut.u_read_fifo.read_index_q) + MAX_READS) % MAX_READS < int'(dut.reads_out)) begin
          assert (dut.g_cache.g_core[0].u_cache.pending_line_q[i] == dut.u_read_fifo.entries_q[i][LINE_BITS-1:0]);
        end
      end
    end
  end

  // ------------------------------------------------------------ covers
  always @(posedge clk) begin
    if (!reset) begin
      cover (reads_taken_q != '0 && addresses_taken_q != '0);
      cover (arvalid && !arready && dut.ar_held_q);
      cover (dut.read_form && dut.read_lanes != dut.read_waiting[dut.read_group*LANES +: LANES]);
      cover (int'(reads_taken_q) == MAX_READS);
      cover (error && !error_write && stop && idle);   // a read's error ended the launch, all answered
      cover (dut.read_hit);                             // a read answered from the cache
    end
  end

  logic unused;
  assign unused = ^{read_data, rready, wlast, bready, writes_idle, idle, error, error_write, error_address,
                    arlen, awlen, arsize, awsize, arburst, awburst, wdata, wstrb, araddr, awaddr};
endmodule
