// SPDX-License-Identifier: MIT
// mem_controller: shares a few memory channels among many requesters.
//
// A GPU has far more threads asking for memory than the memory has ports. Every
// requester (an LSU, or a core's fetcher) holds a request (valid + address [+ data])
// until it is answered with `ready`. Each channel carries one request at a time, and
// the controller adds no cycle of its own on the way there or back:
//
//   - a free channel takes a waiting requester in the same cycle (round-robin order, so
//     no requester waits forever) and puts its request on the memory port at once;
//   - memory's `ready` (and read data) goes straight back to the requester, which may
//     present its next request in the following cycle (streaming);
//   - the channel is free again in the cycle after `ready`.
//
// Memory answers a request at the earliest in the cycle after it first appears on the
// channel (a registered memory, like a block RAM or the test bench's): a `ready` in the
// very cycle of the grant is not taken, the request stays up and the memory answers it
// again, so a memory that raises `ready` whenever `valid` is high still works (at a
// cycle more per access). Why: an answer then goes to requesters the channel has held
// since an earlier cycle (and, with merged reads, to those joining its read now), never
// through this cycle's arbitration, which keeps the long path from the requesters
// through the arbitration out of the path from memory back into the cores (Fmax; see
// docs/architecture.md).
//
// With a memory that answers one cycle after it sees `valid`, a channel therefore moves
// one word every two cycles. The channel keeps the granted address and data in its own
// flops (the requester holds them too, by the handshake rules).
//
// MERGE_READS = 1 (program memory: read-only, so a read never goes stale) serves every
// requester that reads an address a channel is reading by that one read: requesters
// asking for the same address in the same cycle share a grant, and a requester that
// asks for an address already on its way joins it. Several cores running the same
// kernel then fetch each instruction once. (Data loads are coalesced inside each core,
// among the threads of one instruction; see core.sv.)
//
// Parameters: NUM_CONSUMERS requesters, NUM_CHANNELS channels, ADDR_BITS/DATA_BITS
// widths, WRITE_ENABLE = 0 for a read-only memory (program memory): its write ports
// are then ignored.
`default_nettype none

module mem_controller #(
  parameter int ADDR_BITS     = 8,
  parameter int DATA_BITS     = 8,
  parameter int NUM_CONSUMERS = 8,
  parameter int NUM_CHANNELS  = 4,
  parameter bit WRITE_ENABLE  = 1'b1,
  parameter bit MERGE_READS   = 1'b0
) (
  input  logic                                       clk,
  input  logic                                       reset,
  // requesters
  input  logic [NUM_CONSUMERS-1:0]                   consumer_read_valid,
  input  logic [NUM_CONSUMERS-1:0][ADDR_BITS-1:0]    consumer_read_address,
  output logic [NUM_CONSUMERS-1:0]                   consumer_read_ready,
  output logic [NUM_CONSUMERS-1:0][DATA_BITS-1:0]    consumer_read_data,
  input  logic [NUM_CONSUMERS-1:0]                   consumer_write_valid,
  input  logic [NUM_CONSUMERS-1:0][ADDR_BITS-1:0]    consumer_write_address,
  input  logic [NUM_CONSUMERS-1:0][DATA_BITS-1:0]    consumer_write_data,
  output logic [NUM_CONSUMERS-1:0]                   consumer_write_ready,
  // memory channels
  output logic [NUM_CHANNELS-1:0]                    mem_read_valid,
  output logic [NUM_CHANNELS-1:0][ADDR_BITS-1:0]     mem_read_address,
  input  logic [NUM_CHANNELS-1:0]                    mem_read_ready,
  input  logic [NUM_CHANNELS-1:0][DATA_BITS-1:0]     mem_read_data,
  output logic [NUM_CHANNELS-1:0]                    mem_write_valid,
  output logic [NUM_CHANNELS-1:0][ADDR_BITS-1:0]     mem_write_address,
  output logic [NUM_CHANNELS-1:0][DATA_BITS-1:0]     mem_write_data,
  input  logic [NUM_CHANNELS-1:0]                    mem_write_ready
`ifdef GPU_TRACE
  ,
  // trace port (simulation only): what each channel does and whom it serves, for waves
  output logic [NUM_CHANNELS*2-1:0]                  trace_channel_state,  // channel_state_e each
  output logic [NUM_CHANNELS*NUM_CONSUMERS-1:0]      trace_owners
`endif
);

  localparam int IDX_BITS = (NUM_CONSUMERS > 1) ? $clog2(NUM_CONSUMERS) : 1;

  // Per channel: busy (a request out, not yet answered), whether it is a write, the
  // requesters it serves (one, or several merged reads), and the request itself.
  logic [NUM_CHANNELS-1:0]                     busy_q,    busy_d;
  logic [NUM_CHANNELS-1:0]                     write_q,   write_d;
  logic [NUM_CHANNELS-1:0][NUM_CONSUMERS-1:0]  owners_q,  owners_d;
  logic [NUM_CHANNELS-1:0][ADDR_BITS-1:0]      address_q, address_d;
  logic [NUM_CHANNELS-1:0][DATA_BITS-1:0]      data_q,    data_d;      // write data
  logic [IDX_BITS-1:0]                         next_q,    next_d;      // round-robin start

  // Requests that exist. A read-only controller ignores its write inputs.
  logic [NUM_CONSUMERS-1:0] wants_write;
  logic [NUM_CONSUMERS-1:0] wants_any;
  assign wants_write = WRITE_ENABLE ? consumer_write_valid : '0;
  assign wants_any   = consumer_read_valid | wants_write;

  // ------------------------------------------------------------ who still needs a channel
  // held: a busy channel serves it. joining: (MERGE_READS) it reads what a busy channel
  // is reading, and is served by that read. duplicate: (MERGE_READS) a lower-numbered
  // new requester reads the same address; only the first of equals is arbitrated, the
  // others share its grant.
  function automatic logic [3*NUM_CONSUMERS-1:0] classify(
    input logic [NUM_CHANNELS-1:0]                    busy,
    input logic [NUM_CHANNELS-1:0]                    writing,
    input logic [NUM_CHANNELS-1:0][NUM_CONSUMERS-1:0] owners,
    input logic [NUM_CHANNELS-1:0][ADDR_BITS-1:0]     addresses,
    input logic [NUM_CONSUMERS-1:0]                   reads,
    input logic [NUM_CONSUMERS-1:0][ADDR_BITS-1:0]    read_addresses
  );
    logic [NUM_CONSUMERS-1:0] held, joining, duplicate;
    held      = '0;
    joining   = '0;
    duplicate = '0;
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      if (busy[c]) held = held | owners[c];
    end
    if (MERGE_READS) begin
      for (int i = 0; i < NUM_CONSUMERS; i++) begin
        for (int c = 0; c < NUM_CHANNELS; c++) begin
          if (busy[c] && !writing[c] && reads[i] && !held[i] && addresses[c] == read_addresses[i])
            joining[i] = 1'b1;
        end
        for (int j = 0; j < i; j++) begin
          if (reads[i] && reads[j] && read_addresses[j] == read_addresses[i]) duplicate[i] = 1'b1;
        end
      end
    end
    return {held, joining, duplicate};
  endfunction

  logic [NUM_CONSUMERS-1:0] held, joining, duplicate, grantable;
  assign {held, joining, duplicate} = classify(busy_q, write_q, owners_q, address_q,
                                               consumer_read_valid, consumer_read_address);
  assign grantable = wants_any & ~held & ~joining & ~duplicate;

  // ------------------------------------------------------------ arbitration
  // Round-robin from `next_q`: the free channels, in order 0, 1, ..., take the grantable
  // requesters in the order next_q, next_q + 1, ... (wrapping). Computed in parallel, so
  // the logic is a few levels deep rather than one search per channel in a row:
  // requester i is the k-th in line, k = the number of grantable requesters before it in
  // round-robin order; the free channel whose rank among free channels is k takes it.
  // (A function keeps the scratch state local: an always_comb that reads what it writes
  // can re-trigger itself forever in Icarus 11.)
  // Result: channel c's {granted, requester index} at [c*GRANT_BITS +: GRANT_BITS].
  localparam int GRANT_BITS = IDX_BITS + 1;
  // Places in line are 0..NUM_CONSUMERS-1 and free channels at most NUM_CONSUMERS:
  // modulo 2**RANK_BITS the sums below are exact for every requester that counts.
  localparam int RANK_BITS  = $clog2(NUM_CONSUMERS + 1);

  function automatic logic [NUM_CHANNELS*GRANT_BITS-1:0] arbitrate(
    input logic [NUM_CHANNELS-1:0]   free,
    input logic [NUM_CONSUMERS-1:0]  candidates,
    input logic [IDX_BITS-1:0]       first
  );
    logic [NUM_CONSUMERS:0][RANK_BITS-1:0]    candidates_below;  // candidates below index i
    logic [RANK_BITS-1:0]                     skipped;    // candidates below `first`
    logic [NUM_CONSUMERS-1:0][RANK_BITS-1:0]  place;      // requester i's place in line
    logic [RANK_BITS-1:0]                     free_rank;  // free channels below channel c
    logic [NUM_CHANNELS*GRANT_BITS-1:0]       grants;
    grants = '0;
    // candidates_below[i] = candidates[0] + ... + candidates[i-1], as a parallel prefix
    // sum (log2(NUM_CONSUMERS) rounds of adds, each entry adding the one `span` below
    // it) rather than a chain of NUM_CONSUMERS adds: this is the data memory controller's
    // critical path, 16 requesters deep in the default configuration.
    candidates_below[0] = '0;
    for (int i = 0; i < NUM_CONSUMERS; i++) candidates_below[i+1] = RANK_BITS'(candidates[i]);
    for (int span = 1; span <= NUM_CONSUMERS; span = span * 2) begin
      for (int i = NUM_CONSUMERS; i >= 1; i--) begin  // downwards: reads the round before
        if (i > span) candidates_below[i] = candidates_below[i] + candidates_below[i-span];
      end
    end
    // `first` is 0..NUM_CONSUMERS (after the last requester it is NUM_CONSUMERS when that
    // is not a power of two): NUM_CONSUMERS then counts like 0, every requester wraps.
    skipped = '0;
    for (int i = 0; i <= NUM_CONSUMERS; i++) begin
      if (int'(first) == i) skipped = candidates_below[i];
    end
    for (int i = 0; i < NUM_CONSUMERS; i++) begin
      // From `first` up to i, or (i below `first`: wrapped) from `first` to the end and
      // then from 0 to i.
      place[i] = (i >= int'(first)) ? candidates_below[i] - skipped
                                    : candidates_below[NUM_CONSUMERS] - skipped + candidates_below[i];
    end
    free_rank = '0;
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      if (free[c]) begin
        for (int i = 0; i < NUM_CONSUMERS; i++) begin
          if (candidates[i] && place[i] == free_rank) begin
            grants[c*GRANT_BITS +: GRANT_BITS] = {1'b1, IDX_BITS'(i)};
          end
        end
        free_rank = free_rank + 1'b1;
      end
    end
    return grants;
  endfunction

  logic [NUM_CHANNELS*GRANT_BITS-1:0]     grants;
  logic [NUM_CHANNELS-1:0]                grant;
  logic [NUM_CHANNELS-1:0][IDX_BITS-1:0]  grant_idx;

  assign grants = arbitrate(~busy_q, grantable, next_q);
  always_comb begin
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      {grant[c], grant_idx[c]} = grants[c*GRANT_BITS +: GRANT_BITS];
    end
  end

  // ------------------------------------------------------------ this cycle's requests
  // What each channel carries now: the request it holds, or the one it was granted this
  // cycle (which goes out on the memory port in the same cycle).
  logic [NUM_CHANNELS-1:0]                     active, reading;
  logic [NUM_CHANNELS-1:0][NUM_CONSUMERS-1:0]  owners;
  logic [NUM_CHANNELS-1:0][ADDR_BITS-1:0]      address;
  logic [NUM_CHANNELS-1:0][DATA_BITS-1:0]      write_data;

  // The requesters channel c serves this cycle: those it holds, or the one granted now;
  // and with merged reads every requester reading the same address that no channel
  // serves yet (joining a busy channel, or sharing this grant).
  function automatic logic [NUM_CONSUMERS-1:0] channel_owners(
    input logic                                    is_busy,
    input logic [NUM_CONSUMERS-1:0]                held_owners,
    input logic                                    is_granted,
    input logic [IDX_BITS-1:0]                     granted,
    input logic                                    is_read,
    input logic [ADDR_BITS-1:0]                    channel_address,
    input logic [NUM_CONSUMERS-1:0]                unserved_reads,
    input logic [NUM_CONSUMERS-1:0][ADDR_BITS-1:0] read_addresses
  );
    logic [NUM_CONSUMERS-1:0] served;
    served = '0;
    if (is_busy)         served = held_owners;
    else if (is_granted) served[granted] = 1'b1;
    if (MERGE_READS && (is_busy || is_granted) && is_read) begin
      for (int i = 0; i < NUM_CONSUMERS; i++) begin
        if (unserved_reads[i] && read_addresses[i] == channel_address) served[i] = 1'b1;
      end
    end
    return served;
  endfunction

  always_comb begin
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      active[c]     = busy_q[c] || grant[c];
      reading[c]    = busy_q[c] ? !write_q[c] : consumer_read_valid[grant_idx[c]];
      address[c]    = busy_q[c] ? address_q[c]
                    : (consumer_read_valid[grant_idx[c]] ? consumer_read_address[grant_idx[c]]
                                                         : consumer_write_address[grant_idx[c]]);
      write_data[c] = busy_q[c] ? data_q[c] : consumer_write_data[grant_idx[c]];
    end
  end
  // A busy channel's requesters come from its flops alone (`busy_owners`: those it holds,
  // plus readers joining it), never through this cycle's grant: the answers below are
  // built from them, so no path from the arbitration reaches the answers. A free
  // channel serves whom it is granted now.
  logic [NUM_CHANNELS-1:0][NUM_CONSUMERS-1:0]  busy_owners;
  always_comb begin
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      busy_owners[c] = channel_owners(1'b1, owners_q[c], 1'b0, '0, !write_q[c], address_q[c],
                                      consumer_read_valid & ~held, consumer_read_address);
      owners[c]      = busy_q[c] ? busy_owners[c]
                     : channel_owners(1'b0, '0, grant[c], grant_idx[c], reading[c], address[c],
                                      consumer_read_valid & ~held, consumer_read_address);
    end
  end

  // ------------------------------------------------------------ channel state
  // Memory answers the channel's request now: one it has held since an earlier cycle
  // (from the flops and memory's ready alone, like busy_owners).
  logic [NUM_CHANNELS-1:0] answered;
  assign answered = busy_q & ((~write_q & mem_read_ready) | (write_q & mem_write_ready));

  always_comb begin
    busy_d    = busy_q;
    write_d   = write_q;
    owners_d  = owners_q;
    address_d = address_q;
    data_d    = data_q;
    next_d    = next_q;
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      busy_d[c]    = active[c] && !answered[c];
      write_d[c]   = !reading[c];
      owners_d[c]  = owners[c];
      address_d[c] = address[c];
      data_d[c]    = write_data[c];
      // The next search starts after the requester granted last (the search itself
      // wraps a start of NUM_CONSUMERS around to 0; a power of two wraps by itself).
      if (grant[c]) next_d = grant_idx[c] + 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (reset) begin
      busy_q    <= '0;
      write_q   <= '0;
      owners_q  <= '0;
      address_q <= '0;
      data_q    <= '0;
      next_q    <= '0;
    end else begin
      busy_q    <= busy_d;
      write_q   <= write_d;
      owners_q  <= owners_d;
      address_q <= address_d;
      data_q    <= data_d;
      next_q    <= next_d;
    end
  end

  // ------------------------------------------------------------ outputs
  // Memory answers go straight back to every requester the channel serves: only a busy
  // channel answers (see the header).
  function automatic logic [2*NUM_CONSUMERS-1:0] answers(
    input logic [NUM_CHANNELS-1:0]                    ch_answered,
    input logic [NUM_CHANNELS-1:0]                    ch_writing,
    input logic [NUM_CHANNELS-1:0][NUM_CONSUMERS-1:0] ch_owners
  );
    logic [NUM_CONSUMERS-1:0] read_answers, write_answers;
    read_answers  = '0;
    write_answers = '0;
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      if (ch_answered[c] && !ch_writing[c]) read_answers  = read_answers | ch_owners[c];
      if (ch_answered[c] && ch_writing[c])  write_answers = write_answers | ch_owners[c];
    end
    return {read_answers, write_answers};
  endfunction

  function automatic logic [NUM_CONSUMERS*DATA_BITS-1:0] read_data_out(
    input logic [NUM_CHANNELS-1:0][NUM_CONSUMERS-1:0] ch_owners,
    input logic [NUM_CHANNELS-1:0]                    ch_answered,
    input logic [NUM_CHANNELS-1:0][DATA_BITS-1:0]     ch_data
  );
    logic [NUM_CONSUMERS*DATA_BITS-1:0] data;
    logic [NUM_CONSUMERS-1:0]           served;
    data = '0;
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      served = ch_answered[c] ? ch_owners[c] : '0;
      for (int i = 0; i < NUM_CONSUMERS; i++) begin
        if (served[i]) data[i*DATA_BITS +: DATA_BITS] = ch_data[c];
      end
    end
    return data;
  endfunction

  always_comb begin
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      mem_read_valid[c]    = active[c] && reading[c];
      mem_write_valid[c]   = WRITE_ENABLE && active[c] && !reading[c];
      mem_read_address[c]  = address[c];
      mem_write_address[c] = address[c];
      mem_write_data[c]    = write_data[c];
    end
  end
  assign {consumer_read_ready, consumer_write_ready} = answers(answered, write_q, busy_owners);
  assign consumer_read_data = read_data_out(busy_owners, answered & ~write_q, mem_read_data);

  // What each channel does, for waveforms (the harness shows it as text).
  typedef enum logic [1:0] {
    CH_IDLE,
    CH_READ,
    CH_WRITE
  } channel_state_e;
`ifdef GPU_TRACE
  // Icarus 11 has no packed arrays of enums: a plain 2-bit field per channel.
  for (genvar c = 0; c < NUM_CHANNELS; c++) begin : g_trace
    assign trace_channel_state[c*2 +: 2] = !active[c] ? CH_IDLE : (reading[c] ? CH_READ : CH_WRITE);
    assign trace_owners[c*NUM_CONSUMERS +: NUM_CONSUMERS] = owners[c];
  end
`endif

`ifndef SYNTHESIS
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  // ------------------------------------------------------------ assertions
  // (Icarus 11 evaluates $onehot of an element picked by a loop variable wrongly.)
  function automatic logic one_owner(input logic [NUM_CONSUMERS-1:0] served);
    return served != '0 && (served & (served - 1'b1)) == '0;
  endfunction

  // Checked in every simulation (Verilator --assert, Icarus) and by `make formal`;
  // synthesis never sees them. Each names the rule it checks. `last_*` hold what a
  // bus showed in the previous cycle; `checking_q`: out of reset for a cycle. (X checks
  // XOR the bits together: Icarus 11's $isunknown of a concatenation can report X where
  // there is none.)
  logic                                    checking_q;
  logic [NUM_CONSUMERS-1:0]                last_read_waiting_q, last_write_waiting_q;
  logic [NUM_CONSUMERS-1:0][ADDR_BITS-1:0] last_read_address_q, last_write_address_q;
  logic [NUM_CONSUMERS-1:0][DATA_BITS-1:0] last_write_data_q;
  logic [NUM_CHANNELS-1:0]                 last_mem_waiting_q;
  logic [NUM_CHANNELS-1:0]                 last_mem_read_q;
  logic [NUM_CHANNELS-1:0][ADDR_BITS-1:0]  last_mem_address_q;
  logic [NUM_CHANNELS-1:0][DATA_BITS-1:0]  last_mem_data_q;
  always_ff @(posedge clk) begin
    checking_q           <= !reset;
    last_read_waiting_q  <= consumer_read_valid & ~consumer_read_ready;
    last_write_waiting_q <= wants_write & ~consumer_write_ready;
    last_read_address_q  <= consumer_read_address;
    last_write_address_q <= consumer_write_address;
    last_write_data_q    <= consumer_write_data;
    last_mem_waiting_q   <= (mem_read_valid & ~mem_read_ready) | (mem_write_valid & ~mem_write_ready);
    last_mem_read_q      <= mem_read_valid;
    last_mem_address_q   <= mem_read_address;
    last_mem_data_q      <= mem_write_data;
  end

  always @(posedge clk) begin
    if (armed) begin
      // The arbitration decides every channel in every cycle: a grant bit that is X (a
      // channel the search forgot) would be read as "no grant" and hide the bug.
`ifndef FORMAL  // X and Z exist only in simulation
      assert ((^grants) !== 1'bx) else $error("mem_controller: a grant is X or Z");
`endif
      assert (int'(next_q) <= NUM_CONSUMERS) else $error("mem_controller: round-robin start %0d out of range", next_q);
      for (int c = 0; c < NUM_CHANNELS; c++) begin
        // A grant goes only to a free channel, and to a requester that asks and that no
        // channel holds.
        assert (!grant[c] || !busy_q[c]) else $error("mem_controller: busy channel %0d granted", c);
        assert (!grant[c] || wants_any[grant_idx[c]])
          else $error("mem_controller: channel %0d granted requester %0d, which is not asking", c, grant_idx[c]);
        assert (!grant[c] || !held[grant_idx[c]])
          else $error("mem_controller: channel %0d granted requester %0d, which a channel holds", c, grant_idx[c]);
        // A channel serves only requesters that ask, and at least one while active.
        assert ((owners[c] & ~wants_any) == '0)
          else $error("mem_controller: channel %0d serves %b, which are not all asking", c, owners[c]);
        assert (!active[c] || owners[c] != '0) else $error("mem_controller: channel %0d active for nobody", c);
        // A write serves exactly one requester.
        assert (!active[c] || reading[c] || one_owner(owners[c]))
          else $error("mem_controller: channel %0d writes for %b", c, owners[c]);
        for (int d = 0; d < NUM_CHANNELS; d++) begin
          // One channel per requester: no two channels serve the same one.
          assert (c == d || (owners[c] & owners[d]) == '0)
            else $error("mem_controller: channels %0d and %0d both serve %b", c, d, owners[c] & owners[d]);
        end
        // Memory answers only a request.
        assert (!mem_read_ready[c] || mem_read_valid[c]) else $error("mem_controller: read ready on idle channel %0d", c);
        assert (!mem_write_ready[c] || mem_write_valid[c]) else $error("mem_controller: write ready on idle channel %0d", c);
      end
      for (int i = 0; i < NUM_CONSUMERS; i++) begin
        // Ready only to a requester that asks; a requester asks one thing at a time.
        assert (!consumer_read_ready[i] || consumer_read_valid[i])
          else $error("mem_controller: read ready to requester %0d, which is not reading", i);
        assert (!consumer_write_ready[i] || wants_write[i])
          else $error("mem_controller: write ready to requester %0d, which is not writing", i);
        assert (!(consumer_read_valid[i] && wants_write[i]))
          else $error("mem_controller: requester %0d reads and writes at once", i);
      end
      if (checking_q) begin
        for (int i = 0; i < NUM_CONSUMERS; i++) begin
          // A requester holds its request, unchanged, until it is answered.
          assert (!last_read_waiting_q[i] || (consumer_read_valid[i] && consumer_read_address[i] == last_read_address_q[i]))
            else $error("mem_controller: requester %0d dropped or changed its read before ready", i);
          assert (!last_write_waiting_q[i] || (wants_write[i] && consumer_write_address[i] == last_write_address_q[i]
                                               && consumer_write_data[i] == last_write_data_q[i]))
            else $error("mem_controller: requester %0d dropped or changed its write before ready", i);
        end
        for (int c = 0; c < NUM_CHANNELS; c++) begin
          // The same on the memory side: the controller holds each channel's request.
          assert (!last_mem_waiting_q[c] || ((mem_read_valid[c] || mem_write_valid[c]) && mem_read_valid[c] == last_mem_read_q[c]
                                             && mem_read_address[c] == last_mem_address_q[c]
                                             && mem_write_data[c] == last_mem_data_q[c]))
            else $error("mem_controller: channel %0d dropped or changed its request before memory answered", c);
        end
        // No X on the outputs after reset.
`ifndef FORMAL  // X and Z exist only in simulation
        assert ((^{mem_read_valid, mem_read_address, mem_write_valid, mem_write_address, mem_write_data,
                   consumer_read_ready, consumer_write_ready, consumer_read_data}) !== 1'bx)
          else $error("mem_controller: an output is X or Z after reset");
`endif
      end
    end
  end
`endif
`ifdef FORMAL
  // Every kind of channel cycle is reachable (make formal shows a trace of each).
  always @(posedge clk) begin
    if (!reset) begin
      for (int c = 0; c < NUM_CHANNELS; c++) begin
        cover (!active[c]);
        cover (grant[c] && (mem_read_ready[c] || mem_write_ready[c]));  // a ready in the grant cycle (not taken)
        cover (busy_q[c] && answered[c]);                 // answered in the cycle after it went out
        cover (busy_q[c] && reading[c]);                 // a read held over from an earlier cycle
      end
    end
  end
  if (WRITE_ENABLE) begin : g_write_covers
    always @(posedge clk) begin
      if (!reset) cover (busy_q[0] && !reading[0]);  // a write held over from an earlier cycle
    end
  end
  if (MERGE_READS) begin : g_merge_covers
    always @(posedge clk) begin
      if (!reset) begin
        cover (answered[0] && !one_owner(owners[0]));               // one read served several
        cover (busy_q[0] && (owners[0] & ~owners_q[0]) != '0);   // a requester joined a read on its way
      end
    end
  end
`endif

endmodule
