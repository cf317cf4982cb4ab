// perf_counters: one core's performance counters.
//
// Each counter adds up one kind of event per cycle, from the launch of a kernel (which
// clears them) to its end, so a reader can see where a kernel's cycles went:
//
//   busy_cycles           a block is on the core
//   issued                instructions executed (one per warp instruction)
//   thread_instructions   instructions retired, counted per thread
//   icache_hits           instructions read from the instruction cache: every issue (a
//                         warp issues only from the cache), so the same count as issued
//   icache_misses         words the fetcher read because a warp waited for them
//   fetch_stall_cycles    nothing executes: a warp waits for its instruction
//   memory_stall_cycles   nothing executes: every running warp waits on memory
//   divergent_issues      executed with fewer threads than the warp has live
//   merged_loads          thread loads served by another thread's read (coalesced)
//   warp_switches         executed a different warp than in the cycle before
//   barrier_wait_cycles   some thread waits at a barrier (its warp runs the others up to
//                         it: a block is one warp, so a barrier never stalls a whole warp)
//   shared_loads          LDS thread accesses (bytes read from shared memory)
//   shared_stores         STS thread accesses (bytes written to shared memory)
//
// The GPU's top level has tiny-gpu's pins and no register bus to read them through, so
// in hardware nothing reads these and synthesis removes them; the simulation harness
// reads them by hierarchical reference and `make run` / `make bench` print them.
`default_nettype none

module perf_counters #(
  parameter int BITS = 32
) (
  input  logic            clk,
  input  logic            reset,
  input  logic            launch,
  input  logic            busy,
  input  logic            issued,
  input  logic [8:0]      retired_threads,
  input  logic            icache_miss,
  input  logic            fetch_stall,
  input  logic            memory_stall,
  input  logic            divergent,
  input  logic [8:0]      merged_loads,
  input  logic            warp_switch,
  input  logic            barrier_wait,
  input  logic [8:0]      shared_loads,
  input  logic [8:0]      shared_stores,
  output logic [BITS-1:0] busy_cycles,
  output logic [BITS-1:0] issued_count,
  output logic [BITS-1:0] thread_instructions,
  output logic [BITS-1:0] icache_hits,
  output logic [BITS-1:0] icache_misses,
  output logic [BITS-1:0] fetch_stall_cycles,
  output logic [BITS-1:0] memory_stall_cycles,
  output logic [BITS-1:0] divergent_issues,
  output logic [BITS-1:0] merged_load_count,
  output logic [BITS-1:0] warp_switches,
  output logic [BITS-1:0] barrier_wait_cycles,
  output logic [BITS-1:0] shared_load_count,
  output logic [BITS-1:0] shared_store_count
);

  assign icache_hits = issued_count;

  always_ff @(posedge clk) begin
    if (reset || launch) begin
      busy_cycles         <= '0;
      issued_count        <= '0;
      thread_instructions <= '0;
      icache_misses       <= '0;
      fetch_stall_cycles  <= '0;
      memory_stall_cycles <= '0;
      divergent_issues    <= '0;
      merged_load_count   <= '0;
      warp_switches       <= '0;
      barrier_wait_cycles <= '0;
      shared_load_count   <= '0;
      shared_store_count  <= '0;
    end else begin
      busy_cycles         <= busy_cycles + BITS'(busy);
      issued_count        <= issued_count + BITS'(issued);
      thread_instructions <= thread_instructions + BITS'(retired_threads);
      icache_misses       <= icache_misses + BITS'(icache_miss);
      fetch_stall_cycles  <= fetch_stall_cycles + BITS'(fetch_stall);
      memory_stall_cycles <= memory_stall_cycles + BITS'(memory_stall);
      divergent_issues    <= divergent_issues + BITS'(divergent);
      merged_load_count   <= merged_load_count + BITS'(merged_loads);
      warp_switches       <= warp_switches + BITS'(warp_switch);
      barrier_wait_cycles <= barrier_wait_cycles + BITS'(barrier_wait);
      shared_load_count   <= shared_load_count + BITS'(shared_loads);
      shared_store_count  <= shared_store_count + BITS'(shared_stores);
    end
  end

endmodule
