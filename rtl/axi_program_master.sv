// SPDX-License-Identifier: MIT
// axi_program_master: the cores' instruction fetches as AXI4 burst reads of whole lines.
//
// Each core's fetcher reads one 16-bit word at a time and holds the read until it is
// answered (fetcher.sv). Here BUFFERS line buffers of LINE_WORDS words, shared by all
// cores, stand between the fetchers and memory:
//
//   hit      the word is in a buffer: the read is answered in the same cycle;
//   filling  its line is on its way: the read is answered in the cycle its beat arrives
//            (so every core running the same program waits for one burst, not one each);
//   miss     the line is in no buffer: the oldest buffer not filling takes it, and its
//            burst goes out in that cycle: one INCR burst of LINE_WORDS beats of one
//            word each (ARLEN = LINE_WORDS - 1, ARSIZE = 2 bytes).
//
// After each miss the next line is read too, when the address channel has nothing else
// to do (programs run mostly straight ahead: by the time a core needs that line, it is
// there). The fetchers' own read-ahead then streams words out of the buffers at one a
// cycle. Every burst uses ID 0, so the slave answers in order, and a FIFO says which
// buffer each burst fills.
//
// An error response (SLVERR, DECERR) is never used as an instruction: the word stays
// missing, so a fetch that wants it waits; `error` names the first failed word (until
// the next launch or reset), gpu_axi.sv raises `stop` (on an error of the data port
// too) and no new burst goes out, and `idle` tells gpu_axi.sv when the bursts in flight
// have ended: the launch ends there.
//
// A kernel launch empties the buffers (the host may have loaded another program); the
// beats of a burst still in flight then are dropped, error responses too (an error of
// the launch before must not end this one). The GPU's 8-bit program addresses (word
// addresses) sit at BASE in the AXI address space, two bytes a word.
`default_nettype none

module axi_program_master
  import gpu_pkg::*;
#(
  parameter int NUM_CORES  = 2,
  parameter int LINE_WORDS = 8,    // words a burst brings, a power of two, 1..64
  parameter int BUFFERS    = 4,    // line buffers shared by the cores, 2..8
  parameter int ADDR_BITS  = 32,
  parameter logic [ADDR_BITS-1:0] BASE = '0   // where program word 0 sits; a multiple of 512
) (
  input  logic                              clk,
  input  logic                              reset,
  input  logic                              launch,   // a kernel starts: forget every line
  input  logic                              stop,     // an error response (here or on the data
                                                      // port) ended the launch: ask for nothing new
  // the fetchers, one word each
  input  logic [NUM_CORES-1:0]              read_valid,
  input  logic [NUM_CORES*PC_BITS-1:0]      read_address,
  output logic [NUM_CORES-1:0]              read_ready,
  output logic [NUM_CORES*INSTR_BITS-1:0]   read_data,
  // AXI4 master, read channels
  output logic                              arvalid,
  input  logic                              arready,
  output logic [ADDR_BITS-1:0]              araddr,
  output logic [7:0]                        arlen,
  output logic [2:0]                        arsize,
  output logic [1:0]                        arburst,
  input  logic                              rvalid,
  output logic                              rready,
  input  logic [INSTR_BITS-1:0]             rdata,
  input  logic [1:0]                        rresp,
  input  logic                              rlast,
  output logic                              idle,     // no burst in flight
  // the first error response of a launch: the line's address
  output logic                              error,
  output logic [ADDR_BITS-1:0]              error_address
);

  localparam int OFFSET_BITS = (LINE_WORDS > 1) ? $clog2(LINE_WORDS) : 0;
  localparam int TAG_BITS    = PC_BITS - OFFSET_BITS;
  localparam int CORE_BITS   = (NUM_CORES > 1) ? $clog2(NUM_CORES) : 1;
  localparam int BEAT_BITS   = (LINE_WORDS > 1) ? $clog2(LINE_WORDS) : 1;
  localparam int BUFFER_BITS = $clog2(BUFFERS);

  // The line of a word address (its low OFFSET_BITS pick the word: word_of).
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [TAG_BITS-1:0] line_of(input logic [PC_BITS-1:0] pc);
    return pc[PC_BITS-1:OFFSET_BITS];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */
  function automatic logic [BEAT_BITS-1:0] word_of(input logic [PC_BITS-1:0] pc);
    return BEAT_BITS'(pc % LINE_WORDS);
  endfunction
  function automatic logic [ADDR_BITS-1:0] line_address(input logic [TAG_BITS-1:0] line);
    return BASE + (ADDR_BITS'(line) << (OFFSET_BITS + 1));
  endfunction

  // ------------------------------------------------------------ line buffers
  logic [BUFFERS-1:0]                   valid_q;        // holds (or fills) line tag_q
  logic [BUFFERS-1:0][TAG_BITS-1:0]     tag_q;
  // Flat, word w of buffer b at b*LINE_WORDS + w (Icarus 11 cannot index the outer
  // dimensions of a packed array with a signal).
  logic [BUFFERS*LINE_WORDS-1:0]            word_valid_q;
  logic [BUFFERS*LINE_WORDS*INSTR_BITS-1:0] words_q;
  logic [BUFFERS-1:0]                   filling_q;      // its burst is in flight
  // A launch while a burst is on its way (a relaunch right after done) is not in the coverage
  // runs on the AXI port yet; the lock-step tests of relaunches run on the default port.
  /* verilator coverage_off */
  logic [BUFFERS-1:0]                   stale_q;        // ... and was asked before this launch
  /* verilator coverage_on */

  // Which buffer holds a line; `found` says one does.
  function automatic logic [BUFFER_BITS:0] buffer_of(
    input logic [BUFFERS-1:0]               valid,
    input logic [BUFFERS-1:0][TAG_BITS-1:0] tags,
    input logic [TAG_BITS-1:0]              line
  );
    logic [BUFFER_BITS:0] found;
    found = '0;
    for (int b = BUFFERS - 1; b >= 0; b--) begin
      if (valid[b] && tags[b] == line) found = {1'b1, BUFFER_BITS'(b)};
    end
    return found;
  endfunction

  logic [NUM_CORES-1:0] missing;   // a read whose line is in no buffer
  for (genvar c = 0; c < NUM_CORES; c++) begin : g_cores
    logic [PC_BITS-1:0]   pc;
    logic [BUFFER_BITS:0] holder;
    logic [BUFFER_BITS-1:0] buffer;
    assign pc            = read_address[c*PC_BITS +: PC_BITS];
    assign holder        = buffer_of(valid_q, tag_q, line_of(pc));
    assign buffer        = holder[BUFFER_BITS-1:0];
    assign read_ready[c] = read_valid[c] && holder[BUFFER_BITS]
                           && word_valid_q[int'(buffer)*LINE_WORDS + int'(word_of(pc))];
    assign read_data[c*INSTR_BITS +: INSTR_BITS] =
        words_q[(int'(buffer)*LINE_WORDS + int'(word_of(pc)))*INSTR_BITS +: INSTR_BITS];
    assign missing[c]    = read_valid[c] && !holder[BUFFER_BITS];
  end

  // ------------------------------------------------------------ read address
  // A core's miss first (in rotation), else the line after the last miss. A burst goes
  // out in the cycle it is asked for and is held unchanged in registers only while the
  // slave does not take it; it needs a buffer that is not filling.
  logic [CORE_BITS-1:0]   last_core_q;
  logic [CORE_BITS:0]     choice;
  logic [TAG_BITS-1:0]    next_line_q;     // the line after the last miss
  logic                   next_line_wanted_q;
  logic [BUFFER_BITS-1:0] victim_q;        // the next buffer to take a line, in rotation
  logic [BUFFER_BITS:0]   next_holder;
  logic                   ask_demand, ask_next, ask;
  logic [TAG_BITS-1:0]    ask_line;
  logic                   ar_held_q;
  logic [ADDR_BITS-1:0]   ar_held_address_q;

  // The next core with a miss, in rotation from the one after `last`.
  function automatic logic [CORE_BITS:0] next_core(
    input logic [NUM_CORES-1:0] wanting,
    input logic [CORE_BITS-1:0] last
  );
    logic [CORE_BITS:0] found;
    found = '0;
    for (int step = NUM_CORES; step >= 1; step--) begin
      if (wanting[(int'(last) + step) % NUM_CORES]) found = {1'b1, CORE_BITS'((int'(last) + step) % NUM_CORES)};
    end
    return found;
  endfunction

  assign choice      = next_core(missing, last_core_q);
  assign next_holder = buffer_of(valid_q, tag_q, next_line_q);
  assign ask_demand  = choice[CORE_BITS] && !ar_held_q && !launch && !stop && !filling_q[victim_q];
  assign ask_next    = !choice[CORE_BITS] && next_line_wanted_q && !next_holder[BUFFER_BITS]
                       && !ar_held_q && !launch && !stop && !filling_q[victim_q];
  assign ask         = ask_demand || ask_next;
  assign ask_line    = ask_demand ? line_of(read_address[choice[CORE_BITS-1:0]*PC_BITS +: PC_BITS]) : next_line_q;
  assign arvalid     = !reset && (ar_held_q || ask);   // low in reset (AXI A3.1.2)
  assign araddr      = ar_held_q ? ar_held_address_q : line_address(ask_line);

  always_ff @(posedge clk) begin
    if (reset) begin
      ar_held_q          <= 1'b0;
      ar_held_address_q  <= '0;
      last_core_q        <= CORE_BITS'(NUM_CORES - 1);
      next_line_q        <= '0;
      next_line_wanted_q <= 1'b0;
      victim_q           <= '0;
    end else begin
      ar_held_q <= arvalid && !arready;
      if (ask) begin
        ar_held_address_q <= araddr;
        victim_q          <= BUFFER_BITS'((int'(victim_q) + 1) % BUFFERS);
      end
      if (ask_demand) begin
        last_core_q        <= choice[CORE_BITS-1:0];
        next_line_q        <= ask_line + 1'b1;
        next_line_wanted_q <= 1'b1;
      end else if (ask_next || launch || next_holder[BUFFER_BITS]) begin
        next_line_wanted_q <= 1'b0;
      end
    end
  end
  assign arlen   = 8'(LINE_WORDS - 1);
  assign arsize  = 3'd1;            // two bytes a beat: one instruction
  assign arburst = 2'b01;           // INCR
  assign rready  = 1'b1;            // every burst in flight has its FIFO entry

  // ------------------------------------------------------------ read data
  // Which buffer each burst in flight fills, and its line, oldest first; the beat.
  logic [BUFFER_BITS-1:0] beat_buffer;
  logic [TAG_BITS-1:0]    beat_line;
  logic [BEAT_BITS-1:0]   beat_q;
  logic                   beat;         // a beat arrives now
  logic [$clog2(BUFFERS + 1)-1:0] bursts_out;   // bursts in flight (at most one a buffer)
  logic                   beat_error;   // the slave answered this beat with an error
  assign beat       = rvalid && rready;
  assign beat_error = beat && rresp[1];

  axi_response_fifo #(
    .DEPTH (BUFFERS),
    .WIDTH (BUFFER_BITS + TAG_BITS)
  ) u_burst_fifo (
    .clk   (clk),
    .reset (reset),
    .push  (ask),
    .entry ({victim_q, ask_line}),
    .pop   (beat && rlast),
    .head  ({beat_buffer, beat_line}),
    .count (bursts_out)
  );
  assign idle = bursts_out == '0;   // (a held burst is in the FIFO)

  always_ff @(posedge clk) begin
    if (reset) begin
      beat_q <= '0;
    end else if (beat) begin
      beat_q <= rlast ? '0 : beat_q + 1'b1;
    end
  end

  for (genvar b = 0; b < BUFFERS; b++) begin : g_buffers
    logic                             mine;            // this beat fills buffer b
    logic [LINE_WORDS-1:0]            word_valid_b_q;  // this buffer's part of word_valid_q
    logic [LINE_WORDS*INSTR_BITS-1:0] words_b_q;       // ... and of words_q
    assign mine = beat && int'(beat_buffer) == b;
    assign word_valid_q[b*LINE_WORDS +: LINE_WORDS]                   = word_valid_b_q;
    assign words_q[b*LINE_WORDS*INSTR_BITS +: LINE_WORDS*INSTR_BITS] = words_b_q;
    always_ff @(posedge clk) begin
      if (reset) begin
        valid_q[b]     <= 1'b0;
        tag_q[b]       <= '0;
        word_valid_b_q <= '0;
        filling_q[b]   <= 1'b0;
        stale_q[b]     <= 1'b0;
      end else begin
        if (ask && int'(victim_q) == b) begin
          valid_q[b]     <= 1'b1;
          tag_q[b]       <= ask_line;
          word_valid_b_q <= '0;
          filling_q[b]   <= 1'b1;
        end else if (mine && rlast) begin
          filling_q[b] <= 1'b0;
          stale_q[b]   <= 1'b0;
        end
        // A beat fills its word unless the burst is stale or the slave reported an
        // error (the word stays missing: `error` tells the host).
        if (mine && !stale_q[b] && !beat_error) word_valid_b_q[beat_q] <= 1'b1;
        if (launch) begin
          valid_q[b]     <= 1'b0;
          word_valid_b_q <= '0;
          stale_q[b]     <= filling_q[b] && !(mine && rlast);
        end
      end
    end
    always_ff @(posedge clk) begin
      if (mine) words_b_q[int'(beat_q)*INSTR_BITS +: INSTR_BITS] <= rdata;
    end
  end

  // Not a stale burst's error: it was asked before this launch, so it must not end this
  // one (nor name a word this launch never asked for).
  always_ff @(posedge clk) begin
    if (reset || launch) begin
      error         <= 1'b0;
      error_address <= '0;
    end else if (!error && beat_error && !stale_q[beat_buffer]) begin
      error         <= 1'b1;
      error_address <= line_address(beat_line) + ADDR_BITS'(32'(beat_q) * 2);   // the word's
    end
  end

  logic unused_rresp;   // bit 1 tells an error (SLVERR or DECERR) from OKAY/EXOKAY
  assign unused_rresp = rresp[0];

`ifndef SYNTHESIS
  // ------------------------------------------------------------ AXI4 rules, as a master
  // (AMBA AXI, A3.2.1 and A3.4.1): AR stays up until ready with its payload unchanged;
  // each burst is LINE_WORDS beats of two bytes, INCR, from a line-aligned address (so
  // it never crosses a 4 KB boundary); no more bursts in flight than buffers.
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  logic                 ar_waited_q;
  logic [ADDR_BITS-1:0] araddr_q;
  always_ff @(posedge clk) begin
    ar_waited_q <= !reset && arvalid && !arready;
    araddr_q    <= araddr;
  end
  always @(posedge clk) begin
    // In reset a master drives every valid low (AMBA AXI, A3.1.2).
    if (reset) assert (!arvalid) else $error("axi_program_master: ARVALID high in reset");
    if (armed) begin
      assert (!ar_waited_q || (arvalid && araddr == araddr_q))
        else $error("axi_program_master: AR dropped or changed before the slave took it");
      assert (int'(bursts_out) <= BUFFERS)
        else $error("axi_program_master: more bursts in flight than buffers");
      assert (!(stop && ask))
        else $error("axi_program_master: a burst asked for after an error response ended the launch");
      assert (!arvalid || (int'(arlen) == LINE_WORDS - 1 && arsize == 3'd1 && arburst == 2'b01
                           && araddr % ADDR_BITS'(2 * LINE_WORDS) == '0))
        else $error("axi_program_master: a burst that is not one aligned line: %h", araddr);
    end
  end
`endif
endmodule
