// SPDX-License-Identifier: MIT
// load_coalescer: which lane's memory read serves each lane's load.
//
// Threads of one LDR that read the same address need one memory read between them: the
// first such lane (lowest index among the active ones) sends it, and every lane with that
// address takes the byte it returns. `leader[t]` says lane t sends its own read; `source[t]`
// is the lane whose read serves lane t (itself when it leads). Combinational: the core
// starts the leaders' load/store units in the cycle the LDR executes.
`default_nettype none

module load_coalescer
  import gpu_pkg::*;
#(
  parameter int LANES     = 4,
  parameter int LANE_BITS = (LANES > 1) ? $clog2(LANES) : 1
) (
  input  logic [LANES-1:0]                active,
  input  logic [LANES-1:0][DATA_BITS-1:0] address,
  output logic [LANES-1:0][LANE_BITS-1:0] source,
  output logic [LANES-1:0]                leader
);

  // The first active lane whose address equals each lane's (the lane itself if none).
  function automatic logic [LANES*LANE_BITS-1:0] first_same_address(
    input logic [LANES-1:0]                lanes_active,
    input logic [LANES-1:0][DATA_BITS-1:0] addresses
  );
    logic [LANES*LANE_BITS-1:0] sources;
    for (int t = 0; t < LANES; t++) begin
      sources[t*LANE_BITS +: LANE_BITS] = LANE_BITS'(t);
      for (int u = LANES - 1; u >= 0; u--) begin
        if (u < t && lanes_active[u] && addresses[u] == addresses[t]) sources[t*LANE_BITS +: LANE_BITS] = LANE_BITS'(u);
      end
    end
    return sources;
  endfunction

  assign source = first_same_address(active, address);
  // One assign per lane, not a loop in an always_comb: shaped for Icarus's speed (see
  // warp.sv's `active`).
  for (genvar t = 0; t < LANES; t++) begin : g_leaders
    assign leader[t] = (int'(source[t]) == t);
  end

endmodule
