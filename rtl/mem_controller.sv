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
  // Channels grant in order 0, 1, ...; a requester already held by a channel, or granted
  // by a lower channel this cycle, is skipped. Each channel searches from `next_q`.
  // The search runs in a function so its scratch state is local: an always_comb that
  // reads what it writes can re-trigger itself forever in Icarus 11.
  // Result: channel c's {granted, requester index} at [c*GRANT_BITS +: GRANT_BITS].
  localparam int GRANT_BITS = IDX_BITS + 1;

  function automatic logic [NUM_CHANNELS*GRANT_BITS-1:0] arbitrate(
    input logic [NUM_CHANNELS-1:0][2:0]          states,
    input logic [NUM_CHANNELS-1:0][IDX_BITS-1:0] owners,
    input logic [NUM_CONSUMERS-1:0]              requests,
    input logic [IDX_BITS-1:0]                   first
  );
    logic [NUM_CONSUMERS-1:0]              taken;
    logic [NUM_CHANNELS*GRANT_BITS-1:0]    grants;
    logic                                  granted;
    int unsigned                           candidate;
    taken  = '0;
    grants = '0;
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      if (states[c] != CH_IDLE) taken[owners[c]] = 1'b1;
    end
    for (int c = 0; c < NUM_CHANNELS; c++) begin
      granted = 1'b0;
      if (states[c] == CH_IDLE || states[c] == CH_RESPOND_READ || states[c] == CH_RESPOND_WRITE) begin
        for (int k = 0; k < NUM_CONSUMERS; k++) begin
          candidate = int'(first) + k;
          if (candidate >= NUM_CONSUMERS) candidate = candidate - NUM_CONSUMERS;
          if (!granted && requests[candidate] && !taken[candidate]) begin
            granted                         = 1'b1;
            taken[candidate]                = 1'b1;
            grants[c*GRANT_BITS +: GRANT_BITS] = {1'b1, IDX_BITS'(candidate)};
          end
        end
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
  // The arbitration decides every channel in every cycle: a grant bit that is X (a
  // channel the search forgot) would be read as "no grant" and hide the bug.
  always @(posedge clk) begin
    if (!reset) assert (!$isunknown(grants)) else $error("mem_controller: a grant is X or Z");
  end
`endif

endmodule
