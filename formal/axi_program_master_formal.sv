// SPDX-License-Identifier: MIT
// axi_program_master_formal: the proof harness of axi_program_master (make formal).
//
// The fetchers, the launches, `stop` and the AXI slave are free inputs. The fetchers need
// no promise at all: the properties hold whatever they ask and whenever they drop a read
// (so also for fetchers that hold a read until it is answered, as fetcher.sv does). The
// slave is constrained only by what AXI4 makes it promise: R beats only for bursts it has
// taken (the cycle after the handshake at the earliest), in order (one ID), with RLAST
// exactly on the last of each burst's LINE_WORDS beats (ARLEN + 1: the master's own
// assertion pins ARLEN); any backpressure on AR, any delay, any data, any response.
//
// The harness keeps its own account of the AXI traffic (its reference model, built from
// the AXI signals alone): the addresses of the bursts the slave has taken and not
// finished, oldest first, so it knows the address of every beat (the burst's address + 2
// bytes a beat); how many of them were asked before the latest launch (stale: their beats
// must never be used; a launch forgets what arrives in its own cycle too); the first
// error response of the launch; and, for one word address `symbolic_pc` chosen freely by
// the solver, the latest beat the slave sent for it in this launch. Proven (k-induction),
// besides every assertion inside axi_program_master.sv and its FIFO:
//   - data integrity: a word handed to a fetcher at `symbolic_pc` is the data of the
//     latest beat for that address in this launch (a line may be read again after its
//     buffer was taken), and that beat was not an error response: so no word of an
//     erroring beat, of a burst asked before the launch or of an earlier launch is ever
//     handed out;
//   - `error` and `error_address` are the reference's: the first error response among the
//     beats of this launch's bursts, and the AXI address of that word;
//   - `idle` exactly when no burst is in flight (none taken and unfinished, none waiting
//     on AR);
//   - every burst reads inside the program's 256 words at BASE.
// The helper invariants below (the harness's account against the master's FIFO, line
// buffers and counters) make the induction step hold; they are proven too.
`default_nettype none

module axi_program_master_formal
  import gpu_pkg::*;
#(
  parameter int NUM_CORES  = 2,
  parameter int LINE_WORDS = 4,
  parameter int BUFFERS    = 3,
  parameter int ADDR_BITS  = 12,
  parameter logic [ADDR_BITS-1:0] BASE = 12'h600
) (
  input logic                          clk,
  input logic                          launch,
  input logic                          stop,
  input logic [NUM_CORES-1:0]          read_valid,
  input logic [NUM_CORES*PC_BITS-1:0]  read_address,
  input logic                          arready,
  input logic                          rvalid,
  input logic [INSTR_BITS-1:0]         rdata,
  input logic [1:0]                    rresp,
  input logic                          rlast
);
  localparam int OFFSET_BITS = (LINE_WORDS > 1) ? $clog2(LINE_WORDS) : 0;
  localparam int TAG_BITS    = PC_BITS - OFFSET_BITS;
  localparam int BUFFER_BITS = $clog2(BUFFERS);
  localparam int COUNT_BITS  = $clog2(BUFFERS + 1);
  localparam int BEAT_BITS   = (LINE_WORDS > 1) ? $clog2(LINE_WORDS) : 1;

  // Symbolic constant: a flop with no initial value that keeps it, so the solver picks it
  // once, freely. (Yosys' slang front end ignores the `anyconst` attribute.)
  logic [PC_BITS-1:0] symbolic_pc;
  always_ff @(posedge clk) symbolic_pc <= symbolic_pc;
  logic [ADDR_BITS-1:0] symbolic_address;   // its AXI address
  assign symbolic_address = BASE + ADDR_BITS'({symbolic_pc, 1'b0});
  logic [TAG_BITS-1:0]  symbolic_line;      // its line, and its word in the line
  logic [BEAT_BITS-1:0] symbolic_word;
  assign symbolic_line = symbolic_pc[PC_BITS-1:OFFSET_BITS];
  assign symbolic_word = BEAT_BITS'(symbolic_pc % LINE_WORDS);

  // Reset in the first cycle only.
  logic started_q = 1'b0;
  logic reset;
  always_ff @(posedge clk) started_q <= 1'b1;
  assign reset = !started_q;

  logic [NUM_CORES-1:0]            read_ready;
  logic [NUM_CORES*INSTR_BITS-1:0] read_data;
  logic                            arvalid, rready, idle, error;
  logic [ADDR_BITS-1:0]            araddr, error_address;
  logic [7:0]                      arlen;
  logic [2:0]                      arsize;
  logic [1:0]                      arburst;

  axi_program_master #(
    .NUM_CORES (NUM_CORES), .LINE_WORDS (LINE_WORDS), .BUFFERS (BUFFERS), .ADDR_BITS (ADDR_BITS), .BASE (BASE)
  ) dut (
    .clk (clk), .reset (reset), .launch (launch), .stop (stop),
    .read_valid (read_valid), .read_address (read_address), .read_ready (read_ready), .read_data (read_data),
    .arvalid (arvalid), .arready (arready), .araddr (araddr), .arlen (arlen), .arsize (arsize), .arburst (arburst),
    .rvalid (rvalid), .rready (rready), .rdata (rdata), .rresp (rresp), .rlast (rlast),
    .idle (idle), .error (error), .error_address (error_address)
  );

  // ------------------------------------------------------------ the slave's promises
  // The bursts the slave has taken and not finished, oldest first (their addresses), and
  // the beats of the oldest already sent.
  logic [COUNT_BITS-1:0]                 taken_q;
  logic [BUFFERS-1:0][ADDR_BITS-1:0]     taken_address_q;
  logic [BEAT_BITS-1:0]                  sent_q;
  logic                                  accepted, beat, last_beat;
  logic [ADDR_BITS-1:0]                  beat_address;   // the AXI address of this beat's word
  assign accepted     = arvalid && arready;
  assign beat         = rvalid && rready;
  assign last_beat    = beat && rlast;
  assign beat_address = taken_address_q[0] + ADDR_BITS'({sent_q, 1'b0});

  always @(*) begin
    if (reset || taken_q == '0) assume (!rvalid);
    if (rvalid) assume (rlast == (int'(sent_q) == LINE_WORDS - 1));
  end

  logic [BUFFERS-1:0][ADDR_BITS-1:0] taken_address_next;
  always @(*) begin
    taken_address_next = taken_address_q;
    if (last_beat) begin
      for (int i = 0; i < BUFFERS - 1; i++) taken_address_next[i] = taken_address_q[i + 1];
    end
    for (int i = 0; i < BUFFERS; i++) begin
      if (accepted && i == int'(taken_q) - int'(last_beat)) taken_address_next[i] = araddr;
    end
  end

  // A burst on AR waits from one cycle to the next: the master must hold it (and it is in
  // flight). At a launch, every burst asked before it (taken and unfinished, or on AR) is
  // stale; they are the oldest, as the slave answers in order.
  logic                  ar_waited_q;
  logic [COUNT_BITS-1:0] stale_q;   // the oldest bursts in flight that are stale
  always_ff @(posedge clk) begin
    if (reset) begin
      taken_q     <= '0;
      sent_q      <= '0;
      ar_waited_q <= 1'b0;
      stale_q     <= '0;
    end else begin
      taken_q         <= taken_q + COUNT_BITS'(accepted) - COUNT_BITS'(last_beat);
      taken_address_q <= taken_address_next;
      if (beat) sent_q <= last_beat ? '0 : sent_q + 1'b1;
      ar_waited_q     <= arvalid && !arready;
      if (launch) stale_q <= taken_q + COUNT_BITS'(arvalid) - COUNT_BITS'(last_beat);
      else if (last_beat && stale_q != '0) stale_q <= stale_q - 1'b1;
    end
  end

  // A beat of a burst asked in this launch (not in the launch's own cycle: a launch forgets
  // every line, and with it what arrives as it does).
  logic current_beat;
  assign current_beat = beat && !launch && stale_q == '0;

  // ------------------------------------------------------------ the reference model
  // The latest beat for `symbolic_address` in this launch: its data, and whether it was
  // an OKAY one. The first error response of this launch and its word's address.
  logic                  symbolic_ok_q;
  logic [INSTR_BITS-1:0] symbolic_data_q;
  logic                  error_q;
  logic [ADDR_BITS-1:0]  error_address_q;
  always_ff @(posedge clk) begin
    if (reset || launch) begin
      symbolic_ok_q   <= 1'b0;
      error_q         <= 1'b0;
      error_address_q <= '0;
    end else if (current_beat) begin
      if (beat_address == symbolic_address) begin
        symbolic_ok_q   <= !rresp[1];
        symbolic_data_q <= rdata;
      end
      if (!error_q && rresp[1]) begin
        error_q         <= 1'b1;
        error_address_q <= beat_address;
      end
    end
  end

  // ------------------------------------------------------------ the properties
  always @(posedge clk) begin
    if (!reset) begin
      for (int c = 0; c < NUM_CORES; c++) begin
        if (read_ready[c] && read_address[c*PC_BITS +: PC_BITS] == symbolic_pc) begin
          assert (symbolic_ok_q);   // its latest beat in this launch arrived, and without an error
          assert (read_data[c*INSTR_BITS +: INSTR_BITS] == symbolic_data_q);
        end
      end
      assert (error == error_q && error_address == error_address_q);
      assert (idle == (taken_q == '0 && !ar_waited_q));
      // Every burst reads inside the program's words at BASE (the bus has other masters).
      assert (!arvalid || (araddr >= BASE && araddr - BASE < ADDR_BITS'(2 << PC_BITS)));
    end
  end

  // ------------------------------------------------------------ helper invariants
  // The harness's account agrees with the master's: its FIFO holds the bursts taken (in
  // order, with their lines) and then the one waiting on AR; each names a buffer of its
  // own, filling with that line; the stale ones are the oldest; a buffer's words arrived
  // only from beats already sent, and none of a stale or emptied buffer; no line is in
  // two buffers; and the words of `symbolic_pc` that a buffer holds are the reference's.
  function automatic logic [ADDR_BITS-1:0] line_address(input logic [TAG_BITS-1:0] line);
    return BASE + (ADDR_BITS'(line) << (OFFSET_BITS + 1));
  endfunction
  logic [BUFFER_BITS-1:0] entry_buffer [BUFFERS];
  logic [TAG_BITS-1:0]    entry_line   [BUFFERS];
  logic [COUNT_BITS-1:0]  position     [BUFFERS];   // of FIFO slot k, from the oldest
  logic                   in_flight    [BUFFERS];
  for (genvar k = 0; k < BUFFERS; k++) begin : g_slots
    assign {entry_buffer[k], entry_line[k]} = dut.u_burst_fifo.entries_q[k];
    assign position[k]  = COUNT_BITS'((k + BUFFERS - int'(dut.u_burst_fifo.read_index_q)) % BUFFERS);
    assign in_flight[k] = position[k] < dut.bursts_out;
  end

  always @(posedge clk) begin
    if (!reset) begin
      assert (int'(dut.bursts_out) == int'(taken_q) + int'(dut.ar_held_q));
      assert (dut.ar_held_q == ar_waited_q);
      assert (dut.ar_waited_q == ar_waited_q && (!ar_waited_q || dut.araddr_q == dut.ar_held_address_q));
      assert (dut.beat_q == sent_q && int'(sent_q) < LINE_WORDS);
      assert (stale_q <= dut.bursts_out);
      assert (int'(dut.victim_q) < BUFFERS);
      assert (int'(dut.u_burst_fifo.read_index_q) < BUFFERS);
      assert (int'(dut.u_burst_fifo.write_index_q)
              == (int'(dut.u_burst_fifo.read_index_q) + int'(dut.bursts_out)) % BUFFERS);
      assert ($countones(dut.filling_q) == int'(dut.bursts_out));
      for (int k = 0; k < BUFFERS; k++) begin
        if (in_flight[k]) begin
          assert (int'(entry_buffer[k]) < BUFFERS);
          assert (dut.filling_q[entry_buffer[k]] && dut.tag_q[entry_buffer[k]] == entry_line[k]);
          assert (dut.stale_q[entry_buffer[k]] == (position[k] < stale_q));
          if (int'(position[k]) < int'(taken_q)) begin
            assert (line_address(entry_line[k]) == taken_address_q[position[k]]);
          end else begin
            assert (line_address(entry_line[k]) == dut.ar_held_address_q);
          end
          for (int j = 0; j < BUFFERS; j++) begin
            if (j != k && in_flight[j]) assert (entry_buffer[j] != entry_buffer[k]);
          end
        end
      end
      for (int b = 0; b < BUFFERS; b++) begin
        assert (!dut.stale_q[b] || (dut.filling_q[b] && !dut.valid_q[b]));
        assert (!dut.filling_q[b] || dut.valid_q[b] || dut.stale_q[b]);
        for (int w = 0; w < LINE_WORDS; w++) begin
          if (dut.word_valid_q[b*LINE_WORDS + w]) begin
            assert (dut.valid_q[b]);
            assert (!dut.filling_q[b] || (int'(dut.beat_buffer) == b && w < int'(sent_q)));
          end
        end
        for (int j = 0; j < BUFFERS; j++) begin
          if (j != b && dut.valid_q[b] && dut.valid_q[j]) assert (dut.tag_q[j] != dut.tag_q[b]);
        end
        if (dut.valid_q[b] && dut.tag_q[b] == symbolic_line
            && dut.word_valid_q[b*LINE_WORDS + int'(symbolic_word)]) begin
          assert (symbolic_ok_q
                  && dut.words_q[(b*LINE_WORDS + int'(symbolic_word))*INSTR_BITS +: INSTR_BITS]
                     == symbolic_data_q);
        end
      end
    end
  end

  // ------------------------------------------------------------ covers
  logic [NUM_CORES-1:0] read_valid_q, read_ready_q;
  always_ff @(posedge clk) begin
    read_valid_q <= reset ? '0 : read_valid;
    read_ready_q <= reset ? '0 : read_ready;
  end
  always @(posedge clk) begin
    if (!reset) begin
      cover (read_ready[0] && !(read_valid_q[0] && !read_ready_q[0]));   // a hit: answered as asked
      cover (read_ready[1] && read_valid_q[1] && !read_ready_q[1] && dut.filling_q[dut.g_cores[1].buffer]);
      cover (arvalid && !arready && ar_waited_q);                          // AR held over backpressure
      cover (int'(taken_q) == 2);                                          // two bursts in flight
      cover (int'(taken_q) == BUFFERS);                                    // every buffer filling
      cover (dut.ask_next && accepted);                                    // a prefetch
      cover (launch && taken_q != '0);                                     // a launch during a burst
      cover (beat && !launch && stale_q != '0);                            // ... whose beats are dropped,
      cover (beat && !launch && stale_q != '0 && rresp[1]);                // ... also an error response,
      cover (accepted && !launch && stale_q != '0);                        // ... with a new burst out behind
      cover (error && stop && idle);                                       // an error response, all ended
    end
  end

  logic unused;
  assign unused = ^{rready, arlen, arsize, arburst};
endmodule
