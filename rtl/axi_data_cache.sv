// SPDX-License-Identifier: MIT
// axi_data_cache: one core's read cache of data lines, beside axi_data_master.
//
// Why: on the AXI port a load's line costs a round trip to memory, and kernels that read
// the same lines again (a broadcast value, a matrix row, a neighbour's input) pay it each
// time. scripts/data_cache_study.py replays the RTL's own loads: a few lines per core
// would serve most reads of the bench kernels.
//
// What: LINES lines (a power of two, 1..16), fully associative, least recently used out
// (each line has an age, 0 the newest; the ages are always a permutation of 0..LINES-1,
// so the oldest line is the one to replace, and an empty line is always older than a
// used one). axi_data_master asks it:
//
//   lookup  combinational: is `lookup_line` here, and its bytes (`hit`, `hit_data`); a
//           read answered from it (`use_hit`) makes the line the newest;
//   store   a store of this core writes its bytes into the line if it is here
//           (write-through: the write goes to memory as well; a line not here is not
//           brought in);
//   fill    a read of this core sent to memory (`read_sent`) brings its line in when
//           its answer comes (`read_back`), unless the answer is an error, or a write of
//           this core could have overtaken it: AXI orders nothing between reads and
//           writes, so a read answered while one of the core's writes was in flight
//           (`writing` when the read went out) or that a store to its line followed
//           may carry bytes older than the core's own stores. Such an answer still goes
//           to the lanes (their bytes are not the stored ones: blocks share no written
//           byte) but not into the cache.
//   clear   a kernel starts: every line empties (the host may have written memory).
//
// Not coherent with the other cores' caches, by design: docs/isa.md ("Memory ordering")
// gives the rule that makes that correct for race-free kernels.
`default_nettype none

module axi_data_cache #(
  parameter int LINES      = 8,    // 1..16, a power of two
  parameter int LINE_BYTES = 4,
  parameter int LINE_BITS  = 6,    // which line of the 256 data bytes
  parameter int MAX_READS  = 4     // reads in flight at once (of all cores)
) (
  input  logic                    clk,
  input  logic                    reset,
  input  logic                    clear,            // a kernel starts
  // lookup
  input  logic [LINE_BITS-1:0]    lookup_line,
  output logic                    hit,
  output logic [LINE_BYTES*8-1:0] hit_data,
  input  logic                    use_hit,          // a read is answered from the hit now
  // this core's reads to memory, in order
  input  logic                    read_sent,
  input  logic [LINE_BITS-1:0]    read_sent_line,
  input  logic                    writing,          // this core has a write in flight or forms one now
  input  logic                    read_back,        // the answer to this core's oldest read
  input  logic                    read_back_ok,     // is not an error
  input  logic [LINE_BITS-1:0]    read_back_line,   // (the master's record of it, for the assertion)
  input  logic [LINE_BYTES*8-1:0] read_back_data,
  // this core's stores
  input  logic                    store,
  input  logic [LINE_BITS-1:0]    store_line,
  input  logic [LINE_BYTES*8-1:0] store_bytes,
  input  logic [LINE_BYTES-1:0]   store_strobes
);
  localparam int WAY_BITS   = (LINES > 1) ? $clog2(LINES) : 1;
  localparam int SLOT_BITS  = (MAX_READS > 1) ? $clog2(MAX_READS) : 1;

  localparam int DATA_WIDTH = LINE_BYTES * 8;

  // Way w at [w*WIDTH +: WIDTH] of each (flat vectors, not arrays: the way a fill writes
  // depends on the tags, which a memory's read port would make a loop for the prover).
  logic [LINES-1:0]            valid_q;
  logic [LINES*LINE_BITS-1:0]  tag_q;
  logic [LINES*DATA_WIDTH-1:0] data_q;
  logic [LINES*WAY_BITS-1:0]   age_q;

  function automatic logic [WAY_BITS-1:0] age_of(input logic [LINES*WAY_BITS-1:0] ages, input int w);
    return ages[w*WAY_BITS +: WAY_BITS];
  endfunction

  // The way holding `line`, if any (`found`).
  function automatic logic [WAY_BITS:0] way_of(input logic [LINE_BITS-1:0] line,
                                               input logic [LINES-1:0] valid,
                                               input logic [LINES*LINE_BITS-1:0] tags);
    logic [WAY_BITS:0] found;
    found = '0;
    for (int w = 0; w < LINES; w++) begin
      if (valid[w] && tags[w*LINE_BITS +: LINE_BITS] == line) found = {1'b1, WAY_BITS'(w)};
    end
    return found;
  endfunction

  // ------------------------------------------------------------ lookup
  logic [WAY_BITS:0] lookup_way;
  assign lookup_way = way_of(lookup_line, valid_q, tag_q);
  assign hit        = lookup_way[WAY_BITS];
  assign hit_data   = data_q[lookup_way[WAY_BITS-1:0]*DATA_WIDTH +: DATA_WIDTH];

  // ------------------------------------------------------------ the reads in flight
  // In the order they went out (the order their answers come): each one's line, and
  // whether its answer may fill the cache.
  logic [LINE_BITS-1:0] pending_line_q  [MAX_READS];
  logic [MAX_READS-1:0] pending_fills_q;
  logic [SLOT_BITS-1:0] sent_slot_q, back_slot_q;

  function automatic logic [SLOT_BITS-1:0] next_slot(input logic [SLOT_BITS-1:0] slot);
    return (int'(slot) == MAX_READS - 1) ? '0 : slot + 1'b1;
  endfunction

  logic fill;                         // the answer arriving now goes into the cache
  assign fill = read_back && read_back_ok && pending_fills_q[back_slot_q]
                && !(store && store_line == pending_line_q[back_slot_q]);

  always_ff @(posedge clk) begin
    if (reset) begin
      sent_slot_q <= '0;
      back_slot_q <= '0;
    end else begin
      if (read_sent) sent_slot_q <= next_slot(sent_slot_q);
      if (read_back) back_slot_q <= next_slot(back_slot_q);
    end
  end
  always_ff @(posedge clk) begin
    if (reset || clear) begin
      pending_fills_q <= '0;    // (nothing is in flight when a kernel starts)
    end else begin
      for (int s = 0; s < MAX_READS; s++) begin
        // A store to a line on its way here: that answer may be older than the store.
        if (store && store_line == pending_line_q[s]) pending_fills_q[s] <= 1'b0;
      end
      if (read_sent) pending_fills_q[sent_slot_q] <= !writing;
    end
    if (read_sent) pending_line_q[sent_slot_q] <= read_sent_line;
  end

  // ------------------------------------------------------------ fill, store, ages
  logic [WAY_BITS:0]   fill_found;    // the line is here already (another warp's read)
  logic [WAY_BITS-1:0] oldest, fill_way, touched;
  logic [WAY_BITS:0]   store_way;
  logic                touch;
  assign fill_found = way_of(pending_line_q[back_slot_q], valid_q, tag_q);
  always_comb begin
    oldest = '0;
    for (int w = 0; w < LINES; w++) begin
      if (int'(age_of(age_q, w)) == LINES - 1) oldest = WAY_BITS'(w);
    end
  end
  assign fill_way  = fill_found[WAY_BITS] ? fill_found[WAY_BITS-1:0] : oldest;
  assign store_way = way_of(store_line, valid_q, tag_q);
  // One line becomes the newest a cycle: the filled one, else the one a read used.
  assign touch   = fill || (use_hit && hit);
  assign touched = fill ? fill_way : lookup_way[WAY_BITS-1:0];

  always_ff @(posedge clk) begin
    if (reset || clear) begin
      valid_q <= '0;
      for (int w = 0; w < LINES; w++) age_q[w*WAY_BITS +: WAY_BITS] <= WAY_BITS'(w);
    end else begin
      if (store && store_way[WAY_BITS]) begin
        for (int b = 0; b < LINE_BYTES; b++) begin
          if (store_strobes[b]) data_q[store_way[WAY_BITS-1:0]*DATA_WIDTH + b*8 +: 8] <= store_bytes[b*8 +: 8];
        end
      end
      if (fill) begin
        valid_q[fill_way] <= 1'b1;
        tag_q[fill_way*LINE_BITS +: LINE_BITS]    <= pending_line_q[back_slot_q];
        data_q[fill_way*DATA_WIDTH +: DATA_WIDTH] <= read_back_data;
      end
      if (touch) begin
        for (int w = 0; w < LINES; w++) begin
          if (age_of(age_q, w) < age_of(age_q, int'(touched))) age_q[w*WAY_BITS +: WAY_BITS] <= age_of(age_q, w) + 1'b1;
        end
        age_q[touched*WAY_BITS +: WAY_BITS] <= '0;
      end
    end
  end

`ifndef SYNTHESIS
  // The ages stay a permutation (so `oldest` is one line), a line is in one way at most,
  // and the reads this cache tracks are the master's, in its order.
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  always @(posedge clk) begin
    if (armed) begin
      for (int w = 0; w < LINES; w++) begin
        for (int v = w + 1; v < LINES; v++) begin
          assert (age_of(age_q, w) != age_of(age_q, v))
            else $error("axi_data_cache: lines %0d and %0d have the same age", w, v);
          assert (!(valid_q[w] && valid_q[v] && tag_q[w*LINE_BITS +: LINE_BITS] == tag_q[v*LINE_BITS +: LINE_BITS]))
            else $error("axi_data_cache: line %h held twice", tag_q[w*LINE_BITS +: LINE_BITS]);
        end
      end
      assert (!read_back || pending_line_q[back_slot_q] == read_back_line)
        else $error("axi_data_cache: an answer for line %h where the oldest read was for %h",
                    read_back_line, pending_line_q[back_slot_q]);
      assert (!(use_hit && !hit))
        else $error("axi_data_cache: a read answered from a line that is not here");
    end
  end
`endif
endmodule
