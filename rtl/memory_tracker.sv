// SPDX-License-Identifier: MIT
// memory_tracker: the load or store each warp of a core has out, and when it completes.
//
// An LDR/STR starts its threads' load/store units in the cycle it executes; its warp
// then goes on with what does not need it (the scoreboard in warp.sv). This module keeps
// what the core needs of it until memory has answered: whether it loads and into which
// register, the threads that sent a request, and which lane serves each thread's load
// (coalescing). It completes (it retires, and a load writes back) when every thread
// that sent a request has its answer (this cycle at the latest), in a cycle when the
// warp executes nothing else: one write port per register file, one record per thread
// and cycle. (A warp that executes every cycle stops when it needs the load.)
`default_nettype none

module memory_tracker
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 4,
  parameter int WARPS             = 2,
  parameter int SLOTS             = WARPS * THREADS_PER_BLOCK,
  parameter int WARP_BITS         = (WARPS > 1) ? $clog2(WARPS) : 1,
  parameter int LANE_BITS         = (THREADS_PER_BLOCK > 1) ? $clog2(THREADS_PER_BLOCK) : 1
) (
  input  logic                                          clk,
  input  logic                                          reset,
  // the instruction in EXECUTE
  input  logic                                          exec_valid,
  input  logic [WARP_BITS-1:0]                          exec_warp,
  input  logic [PC_BITS-1:0]                            exec_pc,
  /* verilator lint_off UNUSEDSIGNAL */  // the whole decoded word: the fields needed here are read
  input  decoded_instr_t                                decoded,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [THREADS_PER_BLOCK-1:0]                  exec_active,
  input  logic [THREADS_PER_BLOCK-1:0]                  load_leader,   // lanes that send a read
  input  logic [THREADS_PER_BLOCK-1:0][LANE_BITS-1:0]   load_source,   // lane serving each load
  // the warps and their threads' load/store units
  input  logic [WARPS-1:0]                              mem_waiting,   // its LDR/STR is out
  input  logic [SLOTS-1:0]                              lsu_done,      // idle, or answered now
  input  logic [SLOTS-1:0]                              lsu_request,   // a request is on the bus (assertion)
  output logic [WARPS-1:0]                              mem_complete,  // it retires now
  output logic [WARPS-1:0]                              mem_is_load,
  output logic [WARPS-1:0][REG_ADDR_BITS-1:0]           mem_rd,        // the register a load writes
  output logic [WARPS-1:0][THREADS_PER_BLOCK*LANE_BITS-1:0] mem_source // lane serving thread t's load
);

  logic exec_is_memory;
  assign exec_is_memory = decoded.is_load || decoded.is_store;
`ifndef SYNTHESIS
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  // The registers the instruction in EXECUTE reads and writes, from the decoder's fields
  // and flags (assertions only; independent of the predecode the scoreboard uses).
  logic exec_reads_rs, exec_reads_rt, exec_writes_rd;
  assign exec_writes_rd = decoded.writes_rd;
  assign exec_reads_rs  = (decoded.writes_rd && decoded.rd_source == RD_FROM_ALU) || decoded.is_cmp
                          || exec_is_memory || decoded.is_shared_load || decoded.is_shared_store;
  assign exec_reads_rt  = (decoded.writes_rd && decoded.rd_source == RD_FROM_ALU) || decoded.is_cmp
                          || decoded.is_store || decoded.is_shared_store;
`endif

  for (genvar w = 0; w < WARPS; w++) begin : g_warps
    logic                         executing;  // this warp's instruction is in EXECUTE
    logic [THREADS_PER_BLOCK-1:0] started_q;  // threads that sent a request
    assign executing = exec_valid && (int'(exec_warp) == w);

    always_ff @(posedge clk) begin
      if (reset) begin
        mem_is_load[w] <= 1'b0;
        mem_rd[w]      <= '0;
        started_q      <= '0;
        mem_source[w]  <= '0;
      end else if (executing && exec_is_memory) begin
        mem_is_load[w] <= decoded.is_load;
        mem_rd[w]      <= decoded.rd;
        started_q      <= decoded.is_load ? (exec_active & load_leader) : exec_active;
        mem_source[w]  <= load_source;
      end
    end

    assign mem_complete[w] = mem_waiting[w] && !executing &&
        ((started_q & ~lsu_done[w*THREADS_PER_BLOCK +: THREADS_PER_BLOCK]) == '0);

`ifndef SYNTHESIS
    // The scoreboard: nothing executes that reads or writes the register a load of this
    // warp is still to write.
    always @(posedge clk) begin
      if (armed) assert (!(executing && mem_waiting[w] && mem_is_load[w] && int'(mem_rd[w]) < NUM_WRITABLE_REGS
                            && ((exec_reads_rs && decoded.rs == mem_rd[w]) || (exec_reads_rt && decoded.rt == mem_rd[w])
                                || (exec_writes_rd && decoded.rd == mem_rd[w]))))
        else $error("core: warp %0d executes pc %0d, which needs R%0d before its load wrote it",
                    w, exec_pc, mem_rd[w]);
      // A warp's load/store units work only while it waits on its memory instruction.
      if (armed) assert (mem_waiting[w] || lsu_request[w*THREADS_PER_BLOCK +: THREADS_PER_BLOCK] == '0)
        else $error("core: warp %0d has memory requests out while not waiting on memory", w);
    end
`endif
  end

endmodule
