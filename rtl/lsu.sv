// SPDX-License-Identifier: MIT
// lsu: one thread's load/store unit.
//
// Issues the thread's LDR or STR to data memory through the memory controller and
// holds the request (valid, address, data) until the controller answers with ready.
// Memory can take any number of cycles: the warp goes on meanwhile with what does not
// need the access (its scoreboard, warp.sv), and the core retires the LDR/STR once every
// thread that sent a request has its answer (memory_tracker.sv). `load_data` keeps the
// loaded byte until the next load.
`default_nettype none

module lsu
  import gpu_pkg::*;
(
  input  logic                  clk,
  input  logic                  reset,
  // from EXECUTE: start this thread's access (one-cycle pulse, the cycle its LDR/STR executes)
  input  logic                  start_load,
  input  logic                  start_store,
  input  logic [DATA_BITS-1:0]  address,
  input  logic [DATA_BITS-1:0]  store_data,
  output logic                  busy,
  output logic [DATA_BITS-1:0]  load_data,
  // to the data memory controller
  output logic                  mem_read_valid,
  output logic [DATA_BITS-1:0]  mem_read_address,
  input  logic                  mem_read_ready,
  input  logic [DATA_BITS-1:0]  mem_read_data,
  output logic                  mem_write_valid,
  output logic [DATA_BITS-1:0]  mem_write_address,
  output logic [DATA_BITS-1:0]  mem_write_data,
  input  logic                  mem_write_ready
);

  logic                 read_valid_q,  read_valid_d;
  logic                 write_valid_q, write_valid_d;
  logic [DATA_BITS-1:0] address_q,     address_d;
  logic [DATA_BITS-1:0] store_data_q,  store_data_d;
  logic [DATA_BITS-1:0] load_data_q,   load_data_d;

  // The next state as continuous assignments, not a default-then-override always_comb:
  // shaped for Icarus's speed (it runs an always_comb, here one per warp and thread, as
  // a scheduled process re-run each time an input settles; an assign is evaluated in
  // place). A new request replaces everything; otherwise an answer ends the request (a
  // load keeps the byte memory returned).
  logic starting;
  assign starting      = start_load || start_store;
  assign read_valid_d  = starting ? start_load  : (read_valid_q && !mem_read_ready);
  assign write_valid_d = starting ? start_store : (write_valid_q && !mem_write_ready);
  assign address_d     = starting ? address    : address_q;
  assign store_data_d  = starting ? store_data : store_data_q;
  assign load_data_d   = (!starting && read_valid_q && mem_read_ready) ? mem_read_data : load_data_q;

  always_ff @(posedge clk) begin
    if (reset) begin
      read_valid_q  <= 1'b0;
      write_valid_q <= 1'b0;
      address_q     <= '0;
      store_data_q  <= '0;
      load_data_q   <= '0;
    end else begin
      read_valid_q  <= read_valid_d;
      write_valid_q <= write_valid_d;
      address_q     <= address_d;
      store_data_q  <= store_data_d;
      load_data_q   <= load_data_d;
    end
  end

  assign busy              = read_valid_q || write_valid_q;
  assign load_data         = load_data_q;
  assign mem_read_valid    = read_valid_q;
  assign mem_read_address  = address_q;
  assign mem_write_valid   = write_valid_q;
  assign mem_write_address = address_q;
  assign mem_write_data    = store_data_q;

`ifndef SYNTHESIS
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  // The request flags are never X after reset: an X valid would be read as "no request"
  // by some logic and as a request by other logic.
  always @(posedge clk) begin
    if (armed) assert (!$isunknown(read_valid_q) && !$isunknown(write_valid_q))
      else $error("lsu: valid is X or Z");
  end
`endif

endmodule
