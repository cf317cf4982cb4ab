// SPDX-License-Identifier: MIT
// gpu_cores: what both top levels share: the device control register, the dispatcher
// and the cores, with the cores' memory requests left on flat buses for the top to serve.
//
//   host ──► device_control_register (thread count)
//        ──► dispatcher ──blocks──► core 0 .. core NUM_CORES-1 (WARPS_PER_CORE blocks each)
//   core c's fetcher         ──► fetch requester c            (one 16-bit word a request)
//   LSU of thread t, warp w,
//   core c                   ──► data requester c*WARPS_PER_CORE*THREADS_PER_BLOCK
//                                                + w*THREADS_PER_BLOCK + t   (one byte)
//
// gpu.sv serves the requests with tiny-gpu's memory controllers and channels; gpu_axi.sv
// with AXI4 masters that coalesce a warp's requests into whole lines. Every requester
// holds its request (valid, address, data) until it is answered with a one-cycle ready.
// Buses are flat (requester i at [i*W +: W]): Icarus 11 cannot take a part-select of the
// outer dimension of a 2-D packed array.
`default_nettype none

module gpu_cores
  import gpu_pkg::*;
#(
  parameter int NUM_CORES         = 2,
  parameter int THREADS_PER_BLOCK = 4,
  parameter int WARPS_PER_CORE    = 2,
  parameter int ICACHE_LINES      = 32,
  parameter int SHARED_MEM_BYTES  = 64,
  parameter int NUM_LSUS          = NUM_CORES * WARPS_PER_CORE * THREADS_PER_BLOCK
) (
  input  logic                          clk,
  input  logic                          reset,
  input  logic                          start,
  output logic                          done,
  output logic                          launching,    // a kernel starts (one cycle)
  input  logic                          device_control_write_enable,
  input  logic [7:0]                    device_control_data,
  // instruction fetches, one requester per core
  output logic [NUM_CORES-1:0]              fetch_read_valid,
  output logic [NUM_CORES*PC_BITS-1:0]      fetch_read_address,
  input  logic [NUM_CORES-1:0]              fetch_read_ready,
  input  logic [NUM_CORES*INSTR_BITS-1:0]   fetch_read_data,
  // loads and stores, one requester per warp and thread of each core
  output logic [NUM_LSUS-1:0]               lsu_read_valid,
  output logic [NUM_LSUS*DATA_BITS-1:0]     lsu_read_address,
  input  logic [NUM_LSUS-1:0]               lsu_read_ready,
  input  logic [NUM_LSUS*DATA_BITS-1:0]     lsu_read_data,
  output logic [NUM_LSUS-1:0]               lsu_write_valid,
  output logic [NUM_LSUS*DATA_BITS-1:0]     lsu_write_address,
  output logic [NUM_LSUS*DATA_BITS-1:0]     lsu_write_data,
  input  logic [NUM_LSUS-1:0]               lsu_write_ready
`ifdef GPU_TRACE
  ,
  // The cores' part of the trace port (gpu.sv describes it).
  output logic [NUM_LSUS-1:0]                                  trace_commit_valid,
  output logic [NUM_LSUS*COMMIT_BITS-1:0]                      trace_commit,
  output logic [NUM_CORES*PERF_BITS-1:0]                       trace_counters,
  output logic [NUM_CORES*3-1:0]                               trace_activity,
  output logic [NUM_CORES*8-1:0]                               trace_exec_warp,
  output logic [NUM_CORES*PC_BITS-1:0]                         trace_exec_pc,
  output logic [NUM_CORES*INSTR_BITS-1:0]                      trace_exec_instr,
  output logic [NUM_CORES*THREADS_PER_BLOCK-1:0]               trace_exec_active,
  output logic [NUM_LSUS*PC_BITS-1:0]                          trace_thread_pc,
  output logic [NUM_CORES-1:0]                                 trace_fetch_valid,
  output logic [NUM_CORES-1:0]                                 trace_fetch_ready,
  output logic [NUM_LSUS-1:0]                                  trace_lsu_request
`endif
);

  localparam int CORE_LSUS  = WARPS_PER_CORE * THREADS_PER_BLOCK;  // one per warp and thread
  localparam int NUM_WARPS  = NUM_CORES * WARPS_PER_CORE;            // blocks resident at once
  localparam int COUNT_BITS = $clog2(THREADS_PER_BLOCK + 1);

  // ------------------------------------------------------------ legal configurations
  if (NUM_CORES < 1 || NUM_CORES > 16) begin : g_bad_num_cores
    elaboration_error #(.MESSAGE("gpu: NUM_CORES must be 1..16")) u_error ();
  end
  if (THREADS_PER_BLOCK < 1 || THREADS_PER_BLOCK > 32) begin : g_bad_threads_per_block
    elaboration_error #(.MESSAGE("gpu: THREADS_PER_BLOCK must be 1..32")) u_error ();
  end
  if (WARPS_PER_CORE < 1 || WARPS_PER_CORE > 8) begin : g_bad_warps_per_core
    elaboration_error #(.MESSAGE("gpu: WARPS_PER_CORE must be 1..8")) u_error ();
  end
  if (ICACHE_LINES < 1 || ICACHE_LINES > 256 || (ICACHE_LINES & (ICACHE_LINES - 1)) != 0) begin : g_bad_icache_lines
    elaboration_error #(.MESSAGE("gpu: ICACHE_LINES must be a power of two, 1..256")) u_error ();
  end
  if (SHARED_MEM_BYTES < 1 || SHARED_MEM_BYTES > 256 || (SHARED_MEM_BYTES & (SHARED_MEM_BYTES - 1)) != 0) begin : g_bad_shared_mem_bytes
    elaboration_error #(.MESSAGE("gpu: SHARED_MEM_BYTES must be a power of two, 1..256")) u_error ();
  end

  // ------------------------------------------------------------ control
  logic [DATA_BITS-1:0] thread_count;

  device_control_register u_dcr (
    .clk          (clk),
    .reset        (reset),
    .write_enable (device_control_write_enable),
    .write_data   (device_control_data),
    .thread_count (thread_count)
  );

  // The dispatcher sees the GPU's NUM_WARPS warps as one list: entry i is warp
  // i / NUM_CORES of core i % NUM_CORES, so the dispatcher (lowest idle warp first) fills
  // warp 0 of every core before any core's warp 1.
  logic [NUM_WARPS-1:0]                  warp_idle;
  logic [NUM_WARPS-1:0]                  warp_block_done;
  logic [NUM_WARPS-1:0]                  warp_block_start;
  // Every warp is offered the same block (the next one) and its thread count; core c
  // reads them at its warp 0, entry c, so the other entries' copies go unread.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [NUM_WARPS-1:0][DATA_BITS-1:0]   warp_block_idx;
  logic [NUM_WARPS-1:0][COUNT_BITS-1:0]  warp_block_thread_count;
  /* verilator lint_on UNUSEDSIGNAL */

  dispatcher #(
    .NUM_WARPS         (NUM_WARPS),
    .THREADS_PER_BLOCK (THREADS_PER_BLOCK)
  ) u_dispatcher (
    .clk                     (clk),
    .reset                   (reset),
    .start                   (start),
    .thread_count            (thread_count),
    .done                    (done),
    .launching               (launching),
    .warp_idle               (warp_idle),
    .warp_block_done         (warp_block_done),
    .warp_block_start        (warp_block_start),
    .warp_block_idx          (warp_block_idx),
    .warp_block_thread_count (warp_block_thread_count)
  );

  // ------------------------------------------------------------ cores
`ifdef GPU_TRACE
  assign trace_fetch_valid = fetch_read_valid;
  assign trace_fetch_ready = fetch_read_ready;
  assign trace_lsu_request = lsu_read_valid | lsu_write_valid;
`endif
  for (genvar c = 0; c < NUM_CORES; c++) begin : g_cores
    localparam int FIRST = c * CORE_LSUS;
    logic [WARPS_PER_CORE-1:0] block_start, block_idle, block_done;
    for (genvar w = 0; w < WARPS_PER_CORE; w++) begin : g_warps
      assign block_start[w]                    = warp_block_start[w*NUM_CORES + c];
      assign warp_idle[w*NUM_CORES + c]        = block_idle[w];
      assign warp_block_done[w*NUM_CORES + c]  = block_done[w];
    end

`ifdef GPU_TRACE
    localparam int WARP_BITS = (WARPS_PER_CORE > 1) ? $clog2(WARPS_PER_CORE) : 1;
    logic [WARP_BITS-1:0] exec_warp;
    assign trace_exec_warp[c*8 +: 8] = 8'(exec_warp);
`endif
    core #(
      .THREADS_PER_BLOCK (THREADS_PER_BLOCK),
      .WARPS             (WARPS_PER_CORE),
      .ICACHE_LINES      (ICACHE_LINES),
      .SHARED_MEM_BYTES  (SHARED_MEM_BYTES)
    ) u_core (
      .clk                      (clk),
      .reset                    (reset),
      .launch                   (launching),
      .block_start              (block_start),
      .block_idx_in             (warp_block_idx[c]),
      .block_thread_count       (warp_block_thread_count[c]),
      .block_idle               (block_idle),
      .block_done               (block_done),
      .program_mem_read_valid   (fetch_read_valid[c]),
      .program_mem_read_address (fetch_read_address[c*PC_BITS +: PC_BITS]),
      .program_mem_read_ready   (fetch_read_ready[c]),
      .program_mem_read_data    (fetch_read_data[c*INSTR_BITS +: INSTR_BITS]),
      .data_mem_read_valid      (lsu_read_valid[FIRST +: CORE_LSUS]),
      .data_mem_read_address    (lsu_read_address[FIRST*DATA_BITS +: CORE_LSUS*DATA_BITS]),
      .data_mem_read_ready      (lsu_read_ready[FIRST +: CORE_LSUS]),
      .data_mem_read_data       (lsu_read_data[FIRST*DATA_BITS +: CORE_LSUS*DATA_BITS]),
      .data_mem_write_valid     (lsu_write_valid[FIRST +: CORE_LSUS]),
      .data_mem_write_address   (lsu_write_address[FIRST*DATA_BITS +: CORE_LSUS*DATA_BITS]),
      .data_mem_write_data      (lsu_write_data[FIRST*DATA_BITS +: CORE_LSUS*DATA_BITS]),
      .data_mem_write_ready     (lsu_write_ready[FIRST +: CORE_LSUS])
`ifdef GPU_TRACE
      ,
      .trace_commit_valid (trace_commit_valid[FIRST +: CORE_LSUS]),
      .trace_commit       (trace_commit[FIRST*COMMIT_BITS +: CORE_LSUS*COMMIT_BITS]),
      .trace_counters     (trace_counters[c*PERF_BITS +: PERF_BITS]),
      .trace_activity     (trace_activity[c*3 +: 3]),
      .trace_exec_warp    (exec_warp),
      .trace_exec_pc      (trace_exec_pc[c*PC_BITS +: PC_BITS]),
      .trace_exec_instr   (trace_exec_instr[c*INSTR_BITS +: INSTR_BITS]),
      .trace_exec_active  (trace_exec_active[c*THREADS_PER_BLOCK +: THREADS_PER_BLOCK]),
      .trace_thread_pc    (trace_thread_pc[FIRST*PC_BITS +: CORE_LSUS*PC_BITS])
`endif
    );
  end

endmodule
