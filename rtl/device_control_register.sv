// SPDX-License-Identifier: MIT
// device_control_register: the host-visible register that holds the kernel's thread count.
//
// The host writes the number of threads to run (8 bits) before it raises `start`; the
// dispatcher reads it at launch. Later launches may rewrite it.
`default_nettype none

module device_control_register
  import gpu_pkg::*;
(
  input  logic                  clk,
  input  logic                  reset,
  input  logic                  write_enable,
  input  logic [DATA_BITS-1:0]  write_data,
  output logic [DATA_BITS-1:0]  thread_count
);

  logic [DATA_BITS-1:0] thread_count_q;

  always_ff @(posedge clk) begin
    if (reset) begin
      thread_count_q <= '0;
    end else if (write_enable) begin
      thread_count_q <= write_data;
    end
  end

  assign thread_count = thread_count_q;

endmodule
