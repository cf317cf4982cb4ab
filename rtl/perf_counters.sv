// SPDX-License-Identifier: MIT
// perf_counters: one core's performance counters (gpu_pkg::perf_t lists them).
//
// Each counter adds up one kind of event per cycle, from the launch of a kernel (which
// clears them) to its end, so a reader can see where a kernel's cycles went. The events
// come from core_activity.sv; what each counter means is written beside its field in
// gpu_pkg.sv. icache_hits counts the issues too: a warp issues only from the cache.
//
// Verification and teaching only: the GPU's top level has tiny-gpu's pins and no
// register bus to read counters through, so they sit behind GPU_TRACE with the commit
// records, and the harness prints them when a kernel ends (`make run`, `make bench`).
`default_nettype none

module perf_counters
  import gpu_pkg::*;
(
  input  logic       clk,
  input  logic       reset,
  input  logic       launch,
  input  logic       busy,
  input  logic       issued,
  input  logic [8:0] retired_threads,
  input  logic       icache_miss,
  input  logic       fetch_stall,
  input  logic       memory_stall,
  input  logic       divergent,
  input  logic [8:0] merged_loads,
  input  logic       warp_switch,
  input  logic       barrier_wait,
  input  logic [8:0] shared_loads,
  input  logic [8:0] shared_stores,
  output perf_t      counters
);

  always_ff @(posedge clk) begin
    if (reset || launch) begin
      counters <= '0;
    end else begin
      counters.busy_cycles         <= counters.busy_cycles + COUNTER_BITS'(busy);
      counters.issued              <= counters.issued + COUNTER_BITS'(issued);
      counters.thread_instructions <= counters.thread_instructions + COUNTER_BITS'(retired_threads);
      counters.icache_hits         <= counters.icache_hits + COUNTER_BITS'(issued);
      counters.icache_misses       <= counters.icache_misses + COUNTER_BITS'(icache_miss);
      counters.fetch_stall_cycles  <= counters.fetch_stall_cycles + COUNTER_BITS'(fetch_stall);
      counters.memory_stall_cycles <= counters.memory_stall_cycles + COUNTER_BITS'(memory_stall);
      counters.divergent_issues    <= counters.divergent_issues + COUNTER_BITS'(divergent);
      counters.merged_loads        <= counters.merged_loads + COUNTER_BITS'(merged_loads);
      counters.warp_switches       <= counters.warp_switches + COUNTER_BITS'(warp_switch);
      counters.barrier_wait_cycles <= counters.barrier_wait_cycles + COUNTER_BITS'(barrier_wait);
      counters.shared_loads        <= counters.shared_loads + COUNTER_BITS'(shared_loads);
      counters.shared_stores       <= counters.shared_stores + COUNTER_BITS'(shared_stores);
    end
  end

endmodule
