// SPDX-License-Identifier: MIT
// elaboration_error: stops an illegal configuration with a message.
//
// Instantiate it inside a generate-if whose condition is the illegal case. Verilator
// stops at elaboration (lint and build fail); Icarus 11 has no elaboration-time
// $error, so there the simulation stops at time 0 with the same message.
`default_nettype none

module elaboration_error #(
  parameter MESSAGE = "illegal configuration"
) ();
`ifdef VERILATOR
  $error("%s", MESSAGE);
`else
  initial $fatal(1, "%s", MESSAGE);
`endif
endmodule
