// SPDX-License-Identifier: MIT
// axi_response_fifo: what each transaction in flight is for, oldest first.
//
// An AXI4 slave answers the transactions of one ID in the order it took them, so a FIFO
// is all a master needs to match an answer with its request: push when a transaction is
// formed, read the head when its answer arrives, pop then. DEPTH bounds the transactions
// in flight; the master never pushes into a full FIFO unless it pops in the same cycle
// (assertions below).
`default_nettype none

module axi_response_fifo #(
  parameter int DEPTH = 4,
  parameter int WIDTH = 8
) (
  input  logic             clk,
  input  logic             reset,
  input  logic             push,
  input  logic [WIDTH-1:0] entry,
  input  logic             pop,
  output logic [WIDTH-1:0] head,
  output logic [$clog2(DEPTH + 1)-1:0] count   // transactions in flight
);
  localparam int INDEX_BITS = (DEPTH > 1) ? $clog2(DEPTH) : 1;
  localparam int COUNT_BITS = $clog2(DEPTH + 1);

  logic [WIDTH-1:0]      entries_q [DEPTH];
  logic [INDEX_BITS-1:0] read_index_q, write_index_q;
  logic [COUNT_BITS-1:0] count_q;

  function automatic logic [INDEX_BITS-1:0] after(input logic [INDEX_BITS-1:0] index);
    return (int'(index) == DEPTH - 1) ? '0 : index + 1'b1;
  endfunction

  always_ff @(posedge clk) begin
    if (reset) begin
      read_index_q  <= '0;
      write_index_q <= '0;
      count_q       <= '0;
    end else begin
      if (push) write_index_q <= after(write_index_q);
      if (pop)  read_index_q  <= after(read_index_q);
      count_q <= count_q + COUNT_BITS'(push) - COUNT_BITS'(pop);
    end
  end
  always_ff @(posedge clk) begin
    if (push) entries_q[write_index_q] <= entry;
  end
  assign head  = entries_q[read_index_q];
  assign count = count_q;

`ifndef SYNTHESIS
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  always @(posedge clk) begin
    if (armed) begin
      assert (!(pop && count_q == '0))
        else $error("axi_response_fifo: an answer arrived with no transaction in flight");
      assert (!(push && !pop && int'(count_q) == DEPTH))
        else $error("axi_response_fifo: more than %0d transactions in flight", DEPTH);
    end
  end
`endif
endmodule
