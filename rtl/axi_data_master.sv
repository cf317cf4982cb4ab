// SPDX-License-Identifier: MIT
// axi_data_master: the cores' loads and stores as AXI4 transactions of whole lines.
//
// Each LSU asks for one byte (gpu_cores.sv); tiny-gpu's port carries one byte per
// request and one request per channel at a time. Here the LSUs of one warp, which
// start together (one LDR or STR), are served together: their addresses are grouped by
// line (LINE_BYTES aligned bytes, the width of the AXI data bus), and each line becomes
// one transaction:
//
//   load   one single-beat read (AR, then R); every lane whose address is in the line
//          takes its byte from the beat;
//   store  one single-beat write (AW and W, then B) whose byte strobes mark the lanes'
//          bytes; the write is posted: the lanes are answered once the slave has taken
//          its address and data, and its response is awaited where it matters (below).
//
// A warp's lanes in different lines become several transactions, one a cycle. Up to
// MAX_READS reads and MAX_WRITES writes are in flight at once, from any warps of any
// cores: while one warp waits for its line, another warp's transaction goes out
// (that is how warps hide memory latency). Every transaction uses ID 0, so the slave
// answers reads in order and writes in order (AXI4's rule for one ID): a FIFO per
// direction remembers which lanes each answer belongs to.
//
// Warps are served in rotation (the one after the last served first). Within a warp the
// lowest lane still waiting picks the next line. Two lanes of one store writing one byte
// race (docs/isa.md, "Memory ordering"); the higher lane's byte is the one written.
//
// An error response (SLVERR, DECERR) is never used as data and ends the launch: the
// lanes of a read that failed are not answered, `error` names the first failed line and
// its direction (until the next launch or reset), gpu_axi.sv raises `stop` (on an error
// of the program port too) and no new transaction is formed, and `idle` tells gpu_axi.sv
// when the ones in flight have all been answered.
//
// With CACHE_LINES > 0 each core has a read cache of that many lines (axi_data_cache.sv):
// a warp's line found in its core's cache is answered from there in the cycle it is
// chosen, with no transaction (the warp's other lines still go to memory); a read's
// answer fills its line into the requesting core's cache; a store writes its bytes into
// its own core's cached line (write-through, the write still goes out); a launch empties
// every cache. The caches are not coherent with each other: docs/isa.md, "Memory
// ordering", says why that is correct for the kernels the programming model allows.
//
// The GPU's 8-bit data addresses sit at BASE in the AXI address space.
`default_nettype none

module axi_data_master
  import gpu_pkg::*;
#(
  parameter int GROUPS     = 4,    // warps in the GPU: requesters come in groups of LANES
  parameter int LANES      = 4,    // threads per warp
  parameter int LINE_BYTES = 4,    // bytes a beat carries: the AXI data bus, a power of two
  parameter int MAX_READS  = 4,    // read transactions in flight, 1..16
  parameter int MAX_WRITES = 4,    // write transactions in flight, 1..16
  parameter int GROUPS_PER_CORE = 1,   // warps of a core (group g is core g / GROUPS_PER_CORE's)
  parameter int CACHE_LINES = 0,   // each core's read cache: 0 (none) or a power of two, 1..16
  parameter int ADDR_BITS  = 32,
  parameter logic [ADDR_BITS-1:0] BASE = '0,   // where data byte 0 sits; a multiple of 256
  parameter int REQUESTERS = GROUPS * LANES,
  parameter int STRB_BITS  = LINE_BYTES
) (
  input  logic                               clk,
  input  logic                               reset,
  // the LSUs (requester g*LANES + t: lane t of warp g), one byte each
  input  logic [REQUESTERS-1:0]              read_valid,
  input  logic [REQUESTERS*DATA_BITS-1:0]    read_address,
  output logic [REQUESTERS-1:0]              read_ready,
  output logic [REQUESTERS*DATA_BITS-1:0]    read_data,
  input  logic [REQUESTERS-1:0]              write_valid,
  input  logic [REQUESTERS*DATA_BITS-1:0]    write_address,
  input  logic [REQUESTERS*DATA_BITS-1:0]    write_data,
  output logic [REQUESTERS-1:0]              write_ready,
  // AXI4 master: read address and data
  output logic                               arvalid,
  input  logic                               arready,
  output logic [ADDR_BITS-1:0]               araddr,
  // Constant by design (one beat), so they never toggle.
  /* verilator coverage_off */
  output logic [7:0]                         arlen,
  /* verilator coverage_on */
  output logic [2:0]                         arsize,
  output logic [1:0]                         arburst,
  input  logic                               rvalid,
  output logic                               rready,
  input  logic [LINE_BYTES*8-1:0]            rdata,
  input  logic [1:0]                         rresp,
  input  logic                               rlast,
  // write address, data and response
  output logic                               awvalid,
  input  logic                               awready,
  output logic [ADDR_BITS-1:0]               awaddr,
  // Constant by design (one beat), so they never toggle.
  /* verilator coverage_off */
  output logic [7:0]                         awlen,
  /* verilator coverage_on */
  output logic [2:0]                         awsize,
  output logic [1:0]                         awburst,
  output logic                               wvalid,
  input  logic                               wready,
  output logic [LINE_BYTES*8-1:0]            wdata,
  output logic [STRB_BITS-1:0]               wstrb,
  output logic                               wlast,
  input  logic                               bvalid,
  output logic                               bready,
  input  logic [1:0]                         bresp,
  output logic                               writes_idle,   // every write has its response
  output logic                               idle,          // nothing in flight
  // the first error response of a launch (SLVERR or DECERR): its line and direction
  input  logic                               launch,        // a kernel starts: clear the error, empty the caches
  input  logic                               stop,          // an error response (here or on another
                                                            // port) ended the launch: form nothing new
  output logic                               error,
  output logic                               error_write,
  output logic [ADDR_BITS-1:0]               error_address
);

  localparam int OFFSET_BITS = (LINE_BYTES > 1) ? $clog2(LINE_BYTES) : 0;
  localparam int LINE_BITS   = DATA_BITS - OFFSET_BITS;     // which line of the 256 bytes
  localparam int GROUP_BITS  = (GROUPS > 1) ? $clog2(GROUPS) : 1;
  localparam int READ_BITS   = $clog2(MAX_READS + 1);
  localparam int WRITE_BITS  = $clog2(MAX_WRITES + 1);

  // ------------------------------------------------------------ what waits to go out
  // A requester's byte is in a transaction from the cycle the transaction is formed
  // until its answer: `in_flight_q`. The rest of the valid requests wait.
  logic [REQUESTERS-1:0] in_flight_q;
  logic [REQUESTERS-1:0] read_waiting, write_waiting;
  assign read_waiting  = read_valid  & ~in_flight_q;
  assign write_waiting = write_valid & ~in_flight_q;

  // The line of an address (its low OFFSET_BITS pick the byte within the line, elsewhere).
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [LINE_BITS-1:0] line_of(input logic [DATA_BITS-1:0] address);
    return address[DATA_BITS-1:OFFSET_BITS];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  // The next warp with lanes waiting, in rotation from the one after `last`; `found`
  // says there is one.
  function automatic logic [GROUP_BITS:0] next_group(
    input logic [REQUESTERS-1:0] waiting,
    input logic [GROUP_BITS-1:0] last
  );
    logic [GROUP_BITS:0] choice;
    choice = '0;
    for (int step = GROUPS; step >= 1; step--) begin
      if (waiting[((int'(last) + step) % GROUPS)*LANES +: LANES] != '0) begin
        choice = {1'b1, GROUP_BITS'((int'(last) + step) % GROUPS)};
      end
    end
    return choice;
  endfunction

  // The line of a warp's lowest waiting lane. (Functions, not always_comb blocks: Icarus
  // re-runs an always_comb that reads what it writes until it spins; docs/sv-subset.md.)
  function automatic logic [LINE_BITS-1:0] first_line(
    input logic [LANES-1:0]           waiting,
    input logic [LANES*DATA_BITS-1:0] addresses
  );
    logic [LINE_BITS-1:0] line;
    line = '0;
    for (int t = LANES - 1; t >= 0; t--) begin
      if (waiting[t]) line = line_of(addresses[t*DATA_BITS +: DATA_BITS]);
    end
    return line;
  endfunction

  // Of a warp's waiting lanes, those in the line of the lowest one.
  function automatic logic [LANES-1:0] lanes_in_first_line(
    input logic [LANES-1:0]           waiting,
    input logic [LANES*DATA_BITS-1:0] addresses
  );
    logic [LANES-1:0]     lanes;
    logic [LINE_BITS-1:0] line;
    line = first_line(waiting, addresses);
    for (int t = 0; t < LANES; t++) begin
      lanes[t] = waiting[t] && line_of(addresses[t*DATA_BITS +: DATA_BITS]) == line;
    end
    return lanes;
  endfunction

  // A store's bytes at their places in the line (a higher lane's byte wins a byte two
  // lanes write), and the strobes that mark them.
  function automatic logic [LINE_BYTES*8-1:0] line_bytes(
    input logic [LANES-1:0]           lanes,
    input logic [LANES*DATA_BITS-1:0] addresses,
    input logic [LANES*DATA_BITS-1:0] data
  );
    logic [LINE_BYTES*8-1:0] bytes;
    bytes = '0;
    for (int t = 0; t < LANES; t++) begin
      if (lanes[t]) bytes[int'(addresses[t*DATA_BITS +: DATA_BITS]) % LINE_BYTES * 8 +: 8] = data[t*DATA_BITS +: DATA_BITS];
    end
    return bytes;
  endfunction

  function automatic logic [STRB_BITS-1:0] line_strobes(
    input logic [LANES-1:0]           lanes,
    input logic [LANES*DATA_BITS-1:0] addresses
  );
    logic [STRB_BITS-1:0] strobes;
    strobes = '0;
    for (int t = 0; t < LANES; t++) begin
      if (lanes[t]) strobes[int'(addresses[t*DATA_BITS +: DATA_BITS]) % LINE_BYTES] = 1'b1;
    end
    return strobes;
  endfunction

  function automatic logic [ADDR_BITS-1:0] axi_address(input logic [LINE_BITS-1:0] line);
    return BASE + (ADDR_BITS'(line) << OFFSET_BITS);
  endfunction

  // A transaction goes out in the cycle it is formed: its address (and a write's data)
  // is presented at once, and only if the slave does not take it then is it held, in
  // registers, unchanged until it does (AXI: valid stays up, payload stable, until
  // ready). The next one is formed when nothing is held.

  // ------------------------------------------------------------ reads
  logic [GROUP_BITS-1:0] last_read_group_q;
  logic [GROUP_BITS:0]   read_choice;
  logic [GROUP_BITS-1:0] read_group;
  logic [LANES-1:0]      read_lanes;
  logic [LINE_BITS-1:0]  read_line;
  logic [READ_BITS-1:0]  reads_out;         // formed and not yet answered (the FIFO's count)
  logic                  ar_held_q;         // an address presented earlier, not yet taken
  logic [ADDR_BITS-1:0]  ar_held_address_q;
  logic                  read_form;         // a read transaction is formed now
  logic                  read_answer;       // its data arrives now
  logic [GROUPS-1:0]     group_writing;     // the warp has writes without their response
  logic                  read_hit;          // the chosen line is in its core's cache: answered now
  logic [LINE_BYTES*8-1:0] hit_data;        // its bytes

  assign read_choice = next_group(read_waiting & ~spread(group_writing), last_read_group_q);
  assign read_group  = read_choice[GROUP_BITS-1:0];
  assign read_lanes  = lanes_in_first_line(read_waiting[read_group*LANES +: LANES],
                                           read_address[read_group*LANES*DATA_BITS +: LANES*DATA_BITS]);
  assign read_line   = first_line(read_waiting[read_group*LANES +: LANES],
                                   read_address[read_group*LANES*DATA_BITS +: LANES*DATA_BITS]);
  assign read_answer = rvalid && rready;
  assign read_form   = read_choice[GROUP_BITS] && !read_hit && !ar_held_q && !stop
                       && (int'(reads_out) < MAX_READS || read_answer);
  assign arvalid     = !reset && (ar_held_q || read_form);   // low in reset (AXI A3.1.2)
  assign araddr      = ar_held_q ? ar_held_address_q : axi_address(read_line);

  // Which warp and lanes each read in flight answers, oldest first.
  logic [GROUP_BITS-1:0] read_head_group;
  logic [LANES-1:0]      read_head_lanes;
  logic [LINE_BITS-1:0]  read_head_line;

  axi_response_fifo #(
    .DEPTH (MAX_READS),
    .WIDTH (GROUP_BITS + LANES + LINE_BITS)
  ) u_read_fifo (
    .clk   (clk),
    .reset (reset),
    .push  (read_form),
    .entry ({read_group, read_lanes, read_line}),
    .pop   (read_answer),
    .head  ({read_head_group, read_head_lanes, read_head_line}),
    .count (reads_out)
  );

  always_ff @(posedge clk) begin
    if (reset) begin
      ar_held_q         <= 1'b0;
      ar_held_address_q <= '0;
      last_read_group_q <= GROUP_BITS'(GROUPS - 1);
    end else begin
      ar_held_q <= arvalid && !arready;
      if (read_form) ar_held_address_q <= araddr;
      if (read_form || read_hit) last_read_group_q <= read_group;
    end
  end
  assign arlen   = 8'd0;                         // one beat
  assign arsize  = 3'($clog2(LINE_BYTES));       // the whole bus
  assign arburst = 2'b01;                        // INCR
  assign rready  = 1'b1;                         // every answer has its FIFO entry

  // ------------------------------------------------------------ writes
  // Writes are posted: a store's lanes are answered once the slave has taken both the
  // address and the data (the warp goes on), and the write response comes later. What
  // still needs it waits for it: the same warp's next load (AXI orders nothing between
  // reads and writes, so a load could pass the store it follows), and the end of the
  // kernel (`writes_idle`: gpu_axi.sv holds `done` until every write has its response).
  logic [GROUP_BITS-1:0] last_write_group_q;
  logic [GROUP_BITS:0]   write_choice;
  logic [GROUP_BITS-1:0] write_group;
  logic [LANES-1:0]      write_lanes;
  logic [LINE_BITS-1:0]  write_line;
  logic [LINE_BYTES*8-1:0] write_bytes;
  logic [STRB_BITS-1:0]  write_strobes;
  logic [WRITE_BITS-1:0] writes_out;        // formed and without a response (the FIFO's count)
  logic                  aw_held_q, w_held_q;          // presented earlier, not yet taken
  logic [ADDR_BITS-1:0]  aw_held_address_q;
  logic [LINE_BYTES*8-1:0] w_held_data_q;
  logic [STRB_BITS-1:0]  w_held_strobes_q;
  logic [GROUP_BITS-1:0] posting_group_q;              // whose write is held, in part
  logic [LANES-1:0]      posting_lanes_q;
  logic                  write_form;
  logic                  write_taken;                  // the slave has all of a write now
  logic [GROUP_BITS-1:0] taken_group;
  logic [LANES-1:0]      taken_lanes;
  logic                  write_answer;                 // a write response arrives now

  assign write_choice = next_group(write_waiting, last_write_group_q);
  assign write_group  = write_choice[GROUP_BITS-1:0];
  assign write_lanes  = lanes_in_first_line(write_waiting[write_group*LANES +: LANES],
                                            write_address[write_group*LANES*DATA_BITS +: LANES*DATA_BITS]);
  assign write_line    = first_line(write_waiting[write_group*LANES +: LANES],
                                    write_address[write_group*LANES*DATA_BITS +: LANES*DATA_BITS]);
  assign write_bytes   = line_bytes(write_lanes, write_address[write_group*LANES*DATA_BITS +: LANES*DATA_BITS],
                                    write_data[write_group*LANES*DATA_BITS +: LANES*DATA_BITS]);
  assign write_strobes = line_strobes(write_lanes, write_address[write_group*LANES*DATA_BITS +: LANES*DATA_BITS]);
  assign write_answer = bvalid && bready;
  assign write_form   = write_choice[GROUP_BITS] && !aw_held_q && !w_held_q && !stop
                        && (int'(writes_out) < MAX_WRITES || write_answer);
  assign awvalid = !reset && (aw_held_q || write_form);
  assign awaddr  = aw_held_q ? aw_held_address_q : axi_address(write_line);
  assign wvalid  = !reset && (w_held_q || write_form);
  assign wdata   = w_held_q ? w_held_data_q : write_bytes;
  assign wstrb   = w_held_q ? w_held_strobes_q : write_strobes;
  // All of a write is taken when neither part is left held after this cycle.
  assign write_taken = (aw_held_q || w_held_q || write_form)
                       && (!awvalid || awready) && (!wvalid || wready);
  assign taken_group = (aw_held_q || w_held_q) ? posting_group_q : write_group;
  assign taken_lanes = (aw_held_q || w_held_q) ? posting_lanes_q : write_lanes;

  // Which warp each write in flight is from, and its line (for an error), oldest first.
  logic [GROUP_BITS-1:0] write_head_group;
  logic [LINE_BITS-1:0]  write_head_line;

  axi_response_fifo #(
    .DEPTH (MAX_WRITES),
    .WIDTH (GROUP_BITS + LINE_BITS)
  ) u_write_fifo (
    .clk   (clk),
    .reset (reset),
    .push  (write_form),
    .entry ({write_group, write_line}),
    .pop   (write_answer),
    .head  ({write_head_group, write_head_line}),
    .count (writes_out)
  );

  always_ff @(posedge clk) begin
    if (reset) begin
      aw_held_q          <= 1'b0;
      w_held_q           <= 1'b0;
      aw_held_address_q  <= '0;
      w_held_data_q      <= '0;
      w_held_strobes_q   <= '0;
      posting_group_q    <= '0;
      posting_lanes_q    <= '0;
      last_write_group_q <= GROUP_BITS'(GROUPS - 1);
    end else begin
      aw_held_q <= awvalid && !awready;
      w_held_q  <= wvalid && !wready;
      if (write_form) begin
        aw_held_address_q  <= awaddr;
        w_held_data_q      <= wdata;
        w_held_strobes_q   <= wstrb;
        posting_group_q    <= write_group;
        posting_lanes_q    <= write_lanes;
        last_write_group_q <= write_group;
      end
    end
  end
  assign awlen   = 8'd0;
  assign awsize  = 3'($clog2(LINE_BYTES));
  assign awburst = 2'b01;
  assign wlast   = 1'b1;                         // every write is one beat
  assign bready  = 1'b1;
  assign writes_idle = writes_out == '0;
  assign idle        = writes_idle && reads_out == '0;   // (a held transaction is in its FIFO)

  // Writes in flight per warp: its loads wait until they are answered.
  for (genvar g = 0; g < GROUPS; g++) begin : g_writing
    logic [WRITE_BITS-1:0] count_q;
    always_ff @(posedge clk) begin
      if (reset) count_q <= '0;
      else count_q <= count_q + WRITE_BITS'(write_form && int'(write_group) == g)
                              - WRITE_BITS'(write_answer && int'(write_head_group) == g);
    end
    assign group_writing[g] = count_q != '0;
  end

  // A warp's lanes at their places among all requesters.
  function automatic logic [REQUESTERS-1:0] place(input logic [GROUP_BITS-1:0] group, input logic [LANES-1:0] lanes);
    logic [REQUESTERS-1:0] placed;
    placed = '0;
    for (int g = 0; g < GROUPS; g++) begin
      if (int'(group) == g) placed[g*LANES +: LANES] = lanes;
    end
    return placed;
  endfunction

  // One bit per warp spread over its lanes.
  function automatic logic [REQUESTERS-1:0] spread(input logic [GROUPS-1:0] groups);
    logic [REQUESTERS-1:0] lanes;
    for (int g = 0; g < GROUPS; g++) lanes[g*LANES +: LANES] = {LANES{groups[g]}};
    return lanes;
  endfunction

  // An answer with an error response (SLVERR, DECERR): see below.
  logic read_error, write_error;
  assign read_error  = read_answer  && rresp[1];
  assign write_error = write_answer && bresp[1];

  // ------------------------------------------------------------ the cores' read caches
  localparam int CORES     = GROUPS / GROUPS_PER_CORE;
  localparam int CORE_BITS = (CORES > 1) ? $clog2(CORES) : 1;

  function automatic logic [CORE_BITS-1:0] core_of(input logic [GROUP_BITS-1:0] group);
    return CORE_BITS'(int'(group) / GROUPS_PER_CORE);
  endfunction

  logic [LANES-1:0] hit_lanes;   // the chosen warp's lanes answered from the cache now
  assign hit_lanes = read_hit ? read_lanes : '0;

  if (CACHE_LINES > 0) begin : g_cache
    logic [CORES-1:0]              core_hit;
    logic [CORES*LINE_BYTES*8-1:0] core_hit_data;
    for (genvar c = 0; c < CORES; c++) begin : g_core
      logic writing;   // the core has a write in flight, or forms one now
      assign writing = group_writing[c*GROUPS_PER_CORE +: GROUPS_PER_CORE] != '0
                       || (write_form && int'(core_of(write_group)) == c);
      axi_data_cache #(
        .LINES      (CACHE_LINES),
        .LINE_BYTES (LINE_BYTES),
        .LINE_BITS  (LINE_BITS),
        .MAX_READS  (MAX_READS)
      ) u_cache (
        .clk            (clk),
        .reset          (reset),
        .clear          (launch),
        .lookup_line    (read_line),
        .hit            (core_hit[c]),
        .hit_data       (core_hit_data[c*LINE_BYTES*8 +: LINE_BYTES*8]),
        .use_hit        (read_hit && int'(core_of(read_group)) == c),
        .read_sent      (read_form && int'(core_of(read_group)) == c),
        .read_sent_line (read_line),
        .writing        (writing),
        .read_back      (read_answer && int'(core_of(read_head_group)) == c),
        .read_back_ok   (!read_error),
        .read_back_line (read_head_line),
        .read_back_data (rdata),
        .store          (write_form && int'(core_of(write_group)) == c),
        .store_line     (write_line),
        .store_bytes    (write_bytes),
        .store_strobes  (write_strobes)
      );
    end
    assign read_hit = read_choice[GROUP_BITS] && !stop && core_hit[core_of(read_group)];
    assign hit_data = core_hit_data[core_of(read_group)*LINE_BYTES*8 +: LINE_BYTES*8];
  end else begin : g_no_cache
    assign read_hit = 1'b0;
    assign hit_data = '0;
  end

  // ------------------------------------------------------------ answers to the LSUs
  // An answer reaches the lanes its FIFO entry names; a load's lane takes its byte of
  // the beat. A read answered with an error answers no lane: its lanes wait until the
  // next reset, and the launch ends (`error`, `idle`, gpu_axi.sv). A write's error
  // comes after its lanes went on (writes are posted); it ends the launch the same way.

  for (genvar g = 0; g < GROUPS; g++) begin : g_groups
    for (genvar t = 0; t < LANES; t++) begin : g_lanes
      localparam int I = g * LANES + t;
      logic from_cache;   // answered from its core's cache now (else from the R beat)
      logic [LINE_BYTES*8-1:0] beat;
      assign from_cache     = int'(read_group) == g && hit_lanes[t];
      assign beat           = from_cache ? hit_data : rdata;
      assign read_ready[I]  = (read_answer && !read_error && int'(read_head_group) == g && read_head_lanes[t])
                              || from_cache;
      assign write_ready[I] = write_taken && int'(taken_group) == g && taken_lanes[t];
      if (LINE_BYTES > 1) begin : g_select
        logic [OFFSET_BITS-1:0] offset;   // the lane's byte within the line
        assign offset = read_address[I*DATA_BITS +: OFFSET_BITS];
        assign read_data[I*DATA_BITS +: DATA_BITS] = beat[int'(offset) * 8 +: 8];
      end else begin : g_whole
        assign read_data[I*DATA_BITS +: DATA_BITS] = beat;
      end
    end
  end

  always_ff @(posedge clk) begin
    if (reset) begin
      in_flight_q <= '0;
    end else begin
      in_flight_q <= (in_flight_q | (read_form ? place(read_group, read_lanes) : '0)
                                  | (write_form ? place(write_group, write_lanes) : '0))
                     & ~read_ready & ~write_ready;
    end
  end

  always_ff @(posedge clk) begin
    if (reset || launch) begin
      error         <= 1'b0;
      error_write   <= 1'b0;
      error_address <= '0;
    end else if (!error && (read_error || write_error)) begin
      error         <= 1'b1;
      error_write   <= !read_error;
      error_address <= axi_address(read_error ? read_head_line : write_head_line);
    end
  end

  // rlast is always 1 for a one-beat read; nothing depends on it.
  logic unused;
  assign unused = ^{rlast, rresp[0], bresp[0]};
`ifndef SYNTHESIS
  // ------------------------------------------------------------ AXI4 rules, as a master
  // (AMBA AXI, A3.2.1 and A3.4.1): a valid stays up until ready, with its payload
  // unchanged; every transaction here is one beat (LEN 0, WLAST on it), of the whole bus,
  // at an address aligned to it, with at least one byte strobe; and no more are in
  // flight than MAX_READS and MAX_WRITES. `make formal` proves them for any slave.
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  logic                    ar_waited_q, aw_waited_q, w_waited_q;   // valid without ready last cycle
  logic [ADDR_BITS-1:0]    araddr_q, awaddr_q;
  logic [LINE_BYTES*8-1:0] wdata_q;
  logic [STRB_BITS-1:0]    wstrb_q;
  always_ff @(posedge clk) begin
    ar_waited_q <= !reset && arvalid && !arready;
    aw_waited_q <= !reset && awvalid && !awready;
    w_waited_q  <= !reset && wvalid && !wready;
    araddr_q    <= araddr;
    awaddr_q    <= awaddr;
    wdata_q     <= wdata;
    wstrb_q     <= wstrb;
  end
  always @(posedge clk) begin
    // In reset a master drives every valid low (AMBA AXI, A3.1.2).
    if (reset) assert (!arvalid && !awvalid && !wvalid) else $error("axi_data_master: a valid high in reset");
    if (armed) begin
      assert (!ar_waited_q || (arvalid && araddr == araddr_q))
        else $error("axi_data_master: AR dropped or changed before the slave took it");
      assert (!aw_waited_q || (awvalid && awaddr == awaddr_q))
        else $error("axi_data_master: AW dropped or changed before the slave took it");
      assert (!w_waited_q || (wvalid && wdata == wdata_q && wstrb == wstrb_q))
        else $error("axi_data_master: W dropped or changed before the slave took it");
      assert (!arvalid || (arlen == 8'd0 && int'(arsize) == OFFSET_BITS && arburst == 2'b01
                           && araddr % ADDR_BITS'(LINE_BYTES) == '0))
        else $error("axi_data_master: a read that is not one aligned beat of the bus: %h", araddr);
      assert (!awvalid || (awlen == 8'd0 && int'(awsize) == OFFSET_BITS && awburst == 2'b01
                           && awaddr % ADDR_BITS'(LINE_BYTES) == '0))
        else $error("axi_data_master: a write that is not one aligned beat of the bus: %h", awaddr);
      assert (!wvalid || (wlast && wstrb != '0))
        else $error("axi_data_master: a write beat without WLAST or without a strobe");
      assert (int'(reads_out) <= MAX_READS && int'(writes_out) <= MAX_WRITES)
        else $error("axi_data_master: more transactions in flight than allowed");
      assert (!(stop && (read_form || write_form || read_hit)))
        else $error("axi_data_master: a transaction formed after an error response ended the launch");
      assert (!(read_hit && read_form))
        else $error("axi_data_master: a line answered from the cache went to memory too");
    end
  end
`endif
endmodule
