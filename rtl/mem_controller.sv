// mem_controller: shares a few memory channels among many requesters.
//
// A GPU has far more threads asking for memory than the memory has ports. Every
// requester (an LSU, or a core's fetcher) holds a request (valid + address [+ data])
// until it is answered. Each channel serves one request at a time:
//
//   IDLE ---grant---> READ_WAIT / WRITE_WAIT ---memory ready---> RESPOND ---> IDLE
//
// A free channel (IDLE, or RESPOND in its last cycle) grants the next waiting
// requester in round-robin order, so no requester waits forever. The request goes out
// on the channel and stays up until memory answers with `ready` (after any number of
// cycles); the answer goes back to the requester as a one-cycle `ready` (with the
// read data), and the requester then drops its request.
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
  parameter bit WRITE_ENABLE  = 1'b1
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
);

  localparam int IDX_BITS = (NUM_CONSUMERS > 1) ? $clog2(NUM_CONSUMERS) : 1;

  typedef enum logic [2:0] {
    CH_IDLE,
    CH_READ_WAIT,
    CH_WRITE_WAIT,
    CH_RESPOND_READ,
    CH_RESPOND_WRITE
  } channel_state_e;

  // Icarus 11 has no packed arrays of enums: each channel's state is a plain 3-bit
  // vector holding a channel_state_e value.
  logic [NUM_CHANNELS-1:0][2:0]                     state_q,   state_d;
  logic [NUM_CHANNELS-1:0][IDX_BITS-1:0]            owner_q,   owner_d;    // requester served
  logic [NUM_CHANNELS-1:0][ADDR_BITS-1:0]           address_q, address_d;
  logic [NUM_CHANNELS-1:0][DATA_BITS-1:0]           data_q,    data_d;     // write or read data
  logic [IDX_BITS-1:0]                              next_q,    next_d;     // round-robin start

  // Requests that exist. A read-only controller ignores its write inputs.
  logic [NUM_CONSUMERS-1:0] wants_write;
  logic [NUM_CONSUMERS-1:0] wants_any;
  assign wants_write = WRITE_ENABLE ? consumer_write_valid : '0;
  assign wants_any   = consumer_read_valid | wants_write;

  // ------------------------------------------------------------ arbitration
  // Round-robin from `next_q`: the free channels, in order 0, 1, ..., take the waiting
  // requesters in the order next_q, next_q + 1, ... (wrapping), skipping any requester a
  // channel already holds. Channel c is free when it is IDLE or RESPONDing (its last
  // cycle). This is what a channel-by-channel search would give, computed in parallel
  // so the logic is a few levels deep, not one search per channel in a row (which was
  // the GPU's critical path): requester i, if it may be granted, is the k-th in line,
  // k = the number of grantable requesters before it in round-robin order; the free
  // channel whose rank among free channels is k takes it.
  // (A function keeps the scratch state local: an always_comb that reads what it writes
  // can re-trigger itself forever in Icarus 11.)
  // Result: channel c's {granted, requester index} at [c*GRANT_BITS +: GRANT_BITS].
  localparam int GRANT_BITS = IDX_BITS + 1;
  // Places in line are 0..NUM_CONSUMERS-1 and free channels at most NUM_CONSUMERS:
  // modulo 2**RANK_BITS the sums below are exact for every requester that counts.
  localparam int RANK_BITS  = $clog2(NUM_CONSUMERS + 1);

  function automatic logic [NUM_CHANNELS*GRANT_BITS-1:0] arbitrate(
    input logic [NUM_CHANNELS-1:0][2:0]          states,
    input logic [NUM_CHANNELS-1:0][IDX_BITS-1:0] owners,
    input logic [NUM_CONSUMERS-1:0]              requests,
    input logic [IDX_BITS-1:0]                   first
  );
    logic [NUM_CONSUMERS-1:0]                 held;       // owned by a busy channel
    logic [NUM_CONSUMERS-1:0]                 grantable;
    logic [NUM_CONSUMERS:0][RANK_BITS-1:0]    grantable_below;  // grantable ones below index i
    logic [RANK_BITS-1:0]                     skipped;    // grantable below `first`
    logic [NUM_CONSUMERS-1:0][RANK_BITS-1:0]  place;      // requester i's place in line
    logic [RANK_BITS-1:0]                     free_rank;  // free channels below channel c
    logic [NUM_CHANNELS*GRANT_BITS-1:0]       grants;
    held   = '0;
    grants = '0;
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      if (states[c] != CH_IDLE) held[owners[c]] = 1'b1;
    end
    grantable = requests & ~held;
    grantable_below[0] = '0;
    for (int i = 0; i < NUM_CONSUMERS; i++) begin
      grantable_below[i+1] = grantable_below[i] + RANK_BITS'(grantable[i]);
    end
    // `first` is 0..NUM_CONSUMERS (after the last requester it is NUM_CONSUMERS when that
    // is not a power of two): NUM_CONSUMERS then counts like 0, every requester wraps.
    skipped = '0;
    for (int i = 0; i <= NUM_CONSUMERS; i++) begin
      if (int'(first) == i) skipped = grantable_below[i];
    end
    for (int i = 0; i < NUM_CONSUMERS; i++) begin
      // From `first` up to i, or (i below `first`: wrapped) from `first` to the end and
      // then from 0 to i.
      place[i] = (i >= int'(first)) ? grantable_below[i] - skipped
                                    : grantable_below[NUM_CONSUMERS] - skipped + grantable_below[i];
    end
    free_rank = '0;
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      if (states[c] == CH_IDLE || states[c] == CH_RESPOND_READ || states[c] == CH_RESPOND_WRITE) begin
        for (int i = 0; i < NUM_CONSUMERS; i++) begin
          if (grantable[i] && place[i] == free_rank) begin
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

  assign grants = arbitrate(state_q, owner_q, wants_any, next_q);
  always_comb begin
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      {grant[c], grant_idx[c]} = grants[c*GRANT_BITS +: GRANT_BITS];
    end
  end

  // ------------------------------------------------------------ channel state
  always_comb begin
    state_d   = state_q;
    owner_d   = owner_q;
    address_d = address_q;
    data_d    = data_q;
    next_d    = next_q;

    for (int c = 0; c < NUM_CHANNELS; c++) begin
      case (state_q[c])
        CH_READ_WAIT: begin
          if (mem_read_ready[c]) begin
            data_d[c]  = mem_read_data[c];
            state_d[c] = CH_RESPOND_READ;
          end
        end
        CH_WRITE_WAIT: begin
          if (mem_write_ready[c]) state_d[c] = CH_RESPOND_WRITE;
        end
        CH_RESPOND_READ, CH_RESPOND_WRITE: state_d[c] = CH_IDLE;
        default: ;
      endcase

      if (grant[c]) begin
        owner_d[c] = grant_idx[c];
        if (consumer_read_valid[grant_idx[c]]) begin
          state_d[c]   = CH_READ_WAIT;
          address_d[c] = consumer_read_address[grant_idx[c]];
        end else begin
          state_d[c]   = CH_WRITE_WAIT;
          address_d[c] = consumer_write_address[grant_idx[c]];
          data_d[c]    = consumer_write_data[grant_idx[c]];
        end
        // The next search starts after the requester granted last (the search itself
        // wraps a start of NUM_CONSUMERS around to 0; a power of two wraps by itself).
        next_d = grant_idx[c] + 1'b1;
      end
    end
  end

  always_ff @(posedge clk) begin
    if (reset) begin
      state_q   <= {NUM_CHANNELS{CH_IDLE}};
      owner_q   <= '0;
      address_q <= '0;
      data_q    <= '0;
      next_q    <= '0;
    end else begin
      state_q   <= state_d;
      owner_q   <= owner_d;
      address_q <= address_d;
      data_q    <= data_d;
      next_q    <= next_d;
    end
  end

  // ------------------------------------------------------------ outputs
  always_comb begin
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      mem_read_valid[c]    = (state_q[c] == CH_READ_WAIT);
      mem_write_valid[c]   = (state_q[c] == CH_WRITE_WAIT);
      mem_read_address[c]  = address_q[c];
      mem_write_address[c] = address_q[c];
      mem_write_data[c]    = data_q[c];
    end
    consumer_read_ready  = '0;
    consumer_write_ready = '0;
    consumer_read_data   = '0;
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      if (state_q[c] == CH_RESPOND_READ) begin
        consumer_read_ready[owner_q[c]] = 1'b1;
        consumer_read_data[owner_q[c]]  = data_q[c];
      end
      if (state_q[c] == CH_RESPOND_WRITE) consumer_write_ready[owner_q[c]] = 1'b1;
    end
  end

`ifndef SYNTHESIS
  // ------------------------------------------------------------ assertions
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
    if (!reset) begin
      // The arbitration decides every channel in every cycle: a grant bit that is X (a
      // channel the search forgot) would be read as "no grant" and hide the bug.
`ifndef FORMAL  // X and Z exist only in simulation
      assert ((^grants) !== 1'bx) else $error("mem_controller: a grant is X or Z");
`endif
      assert (int'(next_q) <= NUM_CONSUMERS) else $error("mem_controller: round-robin start %0d out of range", next_q);
      for (int c = 0; c < NUM_CHANNELS; c++) begin
        assert (state_q[c] <= CH_RESPOND_WRITE) else $error("mem_controller: channel %0d in no state (%0d)", c, state_q[c]);
        // A grant goes only to a requester that asks, and that no channel holds.
        assert (!grant[c] || wants_any[grant_idx[c]])
          else $error("mem_controller: channel %0d granted requester %0d, which is not asking", c, grant_idx[c]);
        for (int d = 0; d < NUM_CHANNELS; d++) begin
          assert (!grant[c] || state_q[d] == CH_IDLE || owner_q[d] != grant_idx[c])
            else $error("mem_controller: channel %0d granted requester %0d, which channel %0d holds", c, grant_idx[c], d);
          // One grant per requester: no two channels serve the same one.
          assert (c == d || !grant[c] || !grant[d] || grant_idx[c] != grant_idx[d])
            else $error("mem_controller: channels %0d and %0d both granted requester %0d", c, d, grant_idx[c]);
          assert (c == d || state_q[c] == CH_IDLE || state_q[d] == CH_IDLE || owner_q[c] != owner_q[d])
            else $error("mem_controller: channels %0d and %0d both serve requester %0d", c, d, owner_q[c]);
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
  // Every state of every channel is reachable (make formal shows a trace of each).
  always @(posedge clk) begin
    if (!reset) begin
      for (int c = 0; c < NUM_CHANNELS; c++) begin
        cover (state_q[c] == CH_IDLE);
        cover (state_q[c] == CH_READ_WAIT);
        cover (state_q[c] == CH_WRITE_WAIT && WRITE_ENABLE);
        cover (state_q[c] == CH_RESPOND_READ);
        cover (state_q[c] == CH_RESPOND_WRITE && WRITE_ENABLE);
      end
    end
  end
`endif

endmodule
