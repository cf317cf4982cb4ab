// SPDX-License-Identifier: MIT
// assertion_arm: when a module's assertions start to hold: from the first reset on.
//
// A simulation starts with whatever state the simulator gives it: X in Icarus, random
// bits in a Verilator run that randomizes everything not reset (the random-init
// regression, tb/test_random_init.py). A check before the first reset would judge that
// state, not the design, so each module's assertions are qualified with `armed`, as
// Ibex's assertion macros are with their reset. Simulation and proofs only: modules
// instantiate it under `ifndef SYNTHESIS`. A proof starts in reset (its harness assumes
// it), so there `armed` is just "not in reset".
`default_nettype none

module assertion_arm (
  input  logic clk,
  input  logic reset,
  output logic armed
);

`ifdef FORMAL
  assign armed = !reset;
  logic unused_clk;
  assign unused_clk = clk;
`else
  // A start value and a clocked write on purpose: this flop must read 0 before the first
  // reset even in a run that randomizes every other one (not synthesized).
  /* verilator lint_off PROCASSINIT */
  logic reset_seen_q = 1'b0;
  always_ff @(posedge clk) begin
    if (reset) reset_seen_q <= 1'b1;
  end
  /* verilator lint_on PROCASSINIT */
  assign armed = reset_seen_q && !reset;
`endif

endmodule
