// SPDX-License-Identifier: MIT
// shared_memory: a core's shared memory, in banks, as a GPU builds it.
//
// Each resident warp (block) owns BYTES bytes. The bytes are spread over BANKS banks,
// byte address a in bank a % BANKS (consecutive bytes in consecutive banks), and each
// bank does one access per cycle: a read or a write of one byte. An LDS or STS asks one
// access per active lane; in a cycle each bank serves the lowest lane that asks it, and
// an LDS lane that reads the very byte that bank reads now is served by the same read
// (a broadcast). Lanes left over are a bank conflict: the core replays the instruction
// for them in the next cycle (`hold`: core.sv holds EXECUTE), so an LDS/STS takes one cycle per
// access its busiest bank must make:
//
//   thread t reads byte t        (stride 1)   4 banks, 1 cycle
//   every thread reads byte 0    (broadcast)  1 bank,  1 cycle
//   thread t reads byte 4t       (stride 4)   1 bank,  4 cycles (4 lanes)
//
// Why banks: one read and one write port per lane on every byte (the simple design)
// made shared memory more than half of the GPU's logic; a bank has a single port, so it
// is a small RAM (LUT RAM on an ECP5) behind a lane-to-bank crossbar. Two STS lanes that
// write the same byte are served in lane order, so the highest lane's byte stays (the
// ISA leaves it undefined; the model reports the race).
//
// Reads are combinational (the data is in the EXECUTE cycle, like an ALU result); writes
// take effect at the clock edge. The contents are not reset: a block's shared memory
// starts undefined (docs/isa.md).
`default_nettype none

module shared_memory
  import gpu_pkg::*;
#(
  parameter int LANES      = 4,
  parameter int WARPS      = 2,
  parameter int BYTES      = 64,    // per warp; a power of two, 1..256
  parameter int WARP_BITS  = (WARPS > 1) ? $clog2(WARPS) : 1,
  parameter int ADDR_BITS  = (BYTES > 1) ? $clog2(BYTES) : 1
) (
  input  logic                                clk,
  input  logic                                reset,         // for its assertions only
  input  logic [WARP_BITS-1:0]                warp,          // the executing warp: whose bytes
  input  logic                                load,          // an LDS executes
  input  logic                                store,         // an STS executes
  input  logic [LANES-1:0]                    active,        // its lanes (still to serve, on a replay)
  input  logic [LANES-1:0][DATA_BITS-1:0]     rs_value,      // each lane's address (wrapped to BYTES here)
  input  logic [LANES-1:0][DATA_BITS-1:0]     rt_value,      // each lane's byte to store
  output logic [LANES-1:0]                    read,          // lanes whose read happens now
  output logic [LANES-1:0]                    write,         // lanes whose write happens now
  output logic [LANES-1:0][DATA_BITS-1:0]     lane_address,  // each lane's byte address, wrapped
  output logic [LANES-1:0][DATA_BITS-1:0]     read_data,     // for the lanes read now
  output logic                                hold,          // lanes left over: replay next cycle
  output logic [LANES-1:0]                    retire         // of the active lanes, those retiring now
);

  // As many banks as lanes (a power of two), but never more than there are bytes.
  localparam int LANE_BANKS = (LANES > 1) ? (1 << $clog2(LANES)) : 1;
  localparam int BANKS      = (LANE_BANKS < BYTES) ? LANE_BANKS : BYTES;
  localparam int BANK_BITS  = (BANKS > 1) ? $clog2(BANKS) : 1;
  localparam int ROWS       = BYTES / BANKS;                 // per warp, in each bank
  localparam int LANE_BITS  = (LANES > 1) ? $clog2(LANES) : 1;

  // Each lane's request (an active lane of an LDS or STS) and its address: Rs wrapped to
  // the size (the low bits).
  logic [LANES-1:0]                 read_request, write_request, requesting, served;
  logic [LANES-1:0][ADDR_BITS-1:0]  address;
  logic [LANES-1:0][DATA_BITS-1:0]  write_data;
  for (genvar t = 0; t < LANES; t++) begin : g_requests
    assign read_request[t]  = load && active[t];
    assign write_request[t] = store && active[t];
    assign address[t]       = ADDR_BITS'(rs_value[t] % BYTES);  // the low bits
    assign lane_address[t]  = DATA_BITS'(address[t]);
    assign write_data[t]    = rt_value[t];
  end
  assign requesting = read_request | write_request;

  // Each lane's bank, and the bank's row for this warp's byte.
  function automatic logic [BANK_BITS-1:0] bank_of(input logic [ADDR_BITS-1:0] a);
    return (BANKS > 1) ? BANK_BITS'(int'(a) % BANKS) : '0;
  endfunction
  function automatic int row_of(input logic [WARP_BITS-1:0] w, input logic [ADDR_BITS-1:0] a);
    return int'(w) * ROWS + int'(a) / BANKS;
  endfunction

  // Each bank's lane this cycle: the lowest requesting lane whose byte lies in it.
  // Result: bank b's {chosen, lane} at [b*(LANE_BITS+1) +: LANE_BITS+1].
  function automatic logic [BANKS*(LANE_BITS+1)-1:0] choose_lanes(
    input logic [LANES-1:0]                requests,
    input logic [LANES-1:0][ADDR_BITS-1:0] addresses
  );
    logic [BANKS*(LANE_BITS+1)-1:0] chosen;
    chosen = '0;
    for (int b = 0; b < BANKS; b++) begin
      for (int t = LANES - 1; t >= 0; t--) begin
        if (requests[t] && int'(bank_of(addresses[t])) == b)
          chosen[b*(LANE_BITS+1) +: LANE_BITS+1] = {1'b1, LANE_BITS'(t)};
      end
    end
    return chosen;
  endfunction

  logic [BANKS*(LANE_BITS+1)-1:0]    bank_choice;
  logic [BANKS-1:0]                  bank_busy;     // the bank makes an access now
  logic [BANKS-1:0][LANE_BITS-1:0]   bank_lane;     // for this lane
  logic [BANKS-1:0][ADDR_BITS-1:0]   bank_address;  // this byte
  logic [BANKS-1:0][DATA_BITS-1:0]   bank_read_data;
  assign bank_choice = choose_lanes(requesting, address);

  for (genvar b = 0; b < BANKS; b++) begin : g_banks
    logic [DATA_BITS-1:0] bytes_q [WARPS * ROWS];   // one port: a small RAM in synthesis
    logic                 writing;
    assign {bank_busy[b], bank_lane[b]} = bank_choice[b*(LANE_BITS+1) +: LANE_BITS+1];
    assign bank_address[b]   = address[bank_lane[b]];
    assign writing           = bank_busy[b] && write_request[bank_lane[b]];
    assign bank_read_data[b] = bytes_q[row_of(warp, bank_address[b])];
    always_ff @(posedge clk) begin
      if (writing) bytes_q[row_of(warp, bank_address[b])] <= write_data[bank_lane[b]];
    end
  end

  // A lane is served by its bank's access: it is the chosen lane, or (LDS) it reads the
  // byte the bank reads now.
  for (genvar t = 0; t < LANES; t++) begin : g_lanes
    logic [BANK_BITS-1:0] bank;
    assign bank         = bank_of(address[t]);
    assign served[t]    = requesting[t] && bank_busy[bank]
                          && (int'(bank_lane[bank]) == t
                              || (read_request[t] && read_request[bank_lane[bank]]
                                  && bank_address[bank] == address[t]));
    assign read_data[t] = bank_read_data[bank];
  end

  assign read   = read_request & served;
  assign write  = write_request & served;
  assign hold   = (requesting & ~served) != '0;
  assign retire = (load || store) ? served : '1;

`ifndef SYNTHESIS
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  always @(posedge clk) begin
    if (armed) begin
      // LDS and STS never share a cycle; a request is always served in part (no stall).
      assert ((read_request & write_request) == '0 && (read_request == '0 || write_request == '0))
        else $error("shared_memory: reads %b and writes %b at once", read_request, write_request);
      assert (requesting == '0 || served != '0) else $error("shared_memory: lanes %b ask, none served", requesting);
    end
  end
`endif

endmodule
