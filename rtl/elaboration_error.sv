// SPDX-License-Identifier: MIT
// elaboration_error: stops an illegal configuration with a message.
//
// Instantiate it inside a generate-if whose condition is the illegal case. Verilator,
// slang (make lint) and Yosys' slang front end (make synth) stop at elaboration with an
// elaboration-time $error; Icarus 11 has none, so there the simulation stops at time 0
// with the same message.
`default_nettype none

module elaboration_error #(
  parameter MESSAGE = "illegal configuration"
) ();
`ifdef __ICARUS__
  initial $fatal(1, "%s", MESSAGE);
`else
  $error("%s", MESSAGE);
`endif
endmodule
