// SPDX-License-Identifier: MIT
// gpu: the top level. One kernel at a time, tiny-gpu's interface.
//
//   host ──► device_control_register (thread count)
//        ──► dispatcher ──blocks──► core 0 .. core NUM_CORES-1 (WARPS_PER_CORE blocks each)
//   core fetchers ──► program memory controller ──► PROGRAM_MEM_NUM_CHANNELS channels
//   core LSUs     ──► data memory controller    ──► DATA_MEM_NUM_CHANNELS channels
//
// The host loads program and data memory, writes the thread count, raises `start` and
// waits for `done`. Memory sits outside: every channel is a valid/ready handshake that
// may take any number of cycles. Multi-channel ports are flat vectors, channel k at
// bits [k*W +: W].
//
// Parameters keep tiny-gpu's names and defaults; three are new: WARPS_PER_CORE, the
// blocks a core keeps resident at once (it switches between them to hide memory
// latency), ICACHE_LINES, the instructions each core's cache holds, and
// SHARED_MEM_BYTES, the shared memory of each block (LDS/STS). The ISA fixes 8-bit data and
// addresses and 16-bit instructions; other widths are rejected at elaboration.
`default_nettype none

module gpu
  import gpu_pkg::*;
#(
  parameter int DATA_MEM_ADDR_BITS       = 8,
  parameter int DATA_MEM_DATA_BITS       = 8,
  parameter int DATA_MEM_NUM_CHANNELS    = 4,
  parameter int PROGRAM_MEM_ADDR_BITS    = 8,
  parameter int PROGRAM_MEM_DATA_BITS    = 16,
  parameter int PROGRAM_MEM_NUM_CHANNELS = 1,
  parameter int NUM_CORES                = 2,
  parameter int THREADS_PER_BLOCK        = 4,
  parameter int WARPS_PER_CORE           = 2,
  parameter int ICACHE_LINES             = 32,
  parameter int SHARED_MEM_BYTES         = 64
) (
  input  logic                                                  clk,
  input  logic                                                  reset,
  // kernel execution
  input  logic                                                  start,
  output logic                                                  done,
  // device control register
  input  logic                                                  device_control_write_enable,
  input  logic [7:0]                                            device_control_data,
  // program memory
  output logic [PROGRAM_MEM_NUM_CHANNELS-1:0]                         program_mem_read_valid,
  output logic [PROGRAM_MEM_NUM_CHANNELS*PROGRAM_MEM_ADDR_BITS-1:0]   program_mem_read_address,
  input  logic [PROGRAM_MEM_NUM_CHANNELS-1:0]                         program_mem_read_ready,
  input  logic [PROGRAM_MEM_NUM_CHANNELS*PROGRAM_MEM_DATA_BITS-1:0]   program_mem_read_data,
  // data memory
  output logic [DATA_MEM_NUM_CHANNELS-1:0]                      data_mem_read_valid,
  output logic [DATA_MEM_NUM_CHANNELS*DATA_MEM_ADDR_BITS-1:0]   data_mem_read_address,
  input  logic [DATA_MEM_NUM_CHANNELS-1:0]                      data_mem_read_ready,
  input  logic [DATA_MEM_NUM_CHANNELS*DATA_MEM_DATA_BITS-1:0]   data_mem_read_data,
  output logic [DATA_MEM_NUM_CHANNELS-1:0]                      data_mem_write_valid,
  output logic [DATA_MEM_NUM_CHANNELS*DATA_MEM_ADDR_BITS-1:0]   data_mem_write_address,
  output logic [DATA_MEM_NUM_CHANNELS*DATA_MEM_DATA_BITS-1:0]   data_mem_write_data,
  input  logic [DATA_MEM_NUM_CHANNELS-1:0]                      data_mem_write_ready
`ifdef GPU_TRACE
  ,
  // Trace port: what the GPU did, for the simulation harness alone (the way RVFI sits
  // under RISCV_FORMAL in PicoRV32). Without GPU_TRACE (synthesis, `make synth`) the GPU
  // has tiny-gpu's pins and none of the logic behind these. Per core c at [c*W +: W]
  // (thread slot s of core c at [(c*SLOTS + s)*W +: W]; SLOTS = WARPS_PER_CORE *
  // THREADS_PER_BLOCK); records as gpu_pkg declares them.
  output logic [NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK-1:0]             trace_commit_valid,
  output logic [NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK*COMMIT_BITS-1:0] trace_commit,
  output logic [NUM_CORES*PERF_BITS-1:0]                                    trace_counters,
  output logic [NUM_CORES*3-1:0]                                            trace_activity,   // core_activity.activity_e
  output logic [NUM_CORES*8-1:0]                                            trace_exec_warp,  // in EXECUTE: warp,
  output logic [NUM_CORES*PC_BITS-1:0]                                      trace_exec_pc,    //   PC,
  output logic [NUM_CORES*INSTR_BITS-1:0]                                   trace_exec_instr, //   word
  output logic [NUM_CORES*THREADS_PER_BLOCK-1:0]                            trace_exec_active,//   and threads
  output logic [NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK*PC_BITS-1:0]     trace_thread_pc,
  output logic [NUM_CORES-1:0]                                              trace_fetch_valid, // each core's fetcher
  output logic [NUM_CORES-1:0]                                              trace_fetch_ready,
  output logic [NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK-1:0]             trace_lsu_request, // each LSU asks memory
  output logic [PROGRAM_MEM_NUM_CHANNELS*2-1:0]                             trace_program_channel_state,
  output logic [PROGRAM_MEM_NUM_CHANNELS*NUM_CORES-1:0]                     trace_program_owners,
  output logic [DATA_MEM_NUM_CHANNELS*2-1:0]                                trace_data_channel_state,
  output logic [DATA_MEM_NUM_CHANNELS*NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK-1:0] trace_data_owners
`endif
);

  localparam int CORE_LSUS  = WARPS_PER_CORE * THREADS_PER_BLOCK;  // one per warp and thread
  localparam int NUM_LSUS   = NUM_CORES * CORE_LSUS;
  localparam int NUM_WARPS  = NUM_CORES * WARPS_PER_CORE;            // blocks resident at once
  localparam int COUNT_BITS = $clog2(THREADS_PER_BLOCK + 1);

  // ------------------------------------------------------------ legal configurations
  if (DATA_MEM_ADDR_BITS != 8) begin : g_bad_data_addr_bits
    elaboration_error #(.MESSAGE("gpu: DATA_MEM_ADDR_BITS must be 8 (registers and addresses are 8 bits)")) u_error ();
  end
  if (DATA_MEM_DATA_BITS != 8) begin : g_bad_data_bits
    elaboration_error #(.MESSAGE("gpu: DATA_MEM_DATA_BITS must be 8 (the ISA's data width)")) u_error ();
  end
  if (PROGRAM_MEM_ADDR_BITS != 8) begin : g_bad_program_addr_bits
    elaboration_error #(.MESSAGE("gpu: PROGRAM_MEM_ADDR_BITS must be 8 (the PC and branch targets are 8 bits)")) u_error ();
  end
  if (PROGRAM_MEM_DATA_BITS != 16) begin : g_bad_program_data_bits
    elaboration_error #(.MESSAGE("gpu: PROGRAM_MEM_DATA_BITS must be 16 (the instruction width)")) u_error ();
  end
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
  if (DATA_MEM_NUM_CHANNELS < 1 || DATA_MEM_NUM_CHANNELS > NUM_LSUS) begin : g_bad_data_channels
    elaboration_error #(.MESSAGE("gpu: DATA_MEM_NUM_CHANNELS must be 1..NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK")) u_error ();
  end
  if (PROGRAM_MEM_NUM_CHANNELS < 1 || PROGRAM_MEM_NUM_CHANNELS > NUM_CORES) begin : g_bad_program_channels
    elaboration_error #(.MESSAGE("gpu: PROGRAM_MEM_NUM_CHANNELS must be 1..NUM_CORES")) u_error ();
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
  logic                                  launching;
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

  // ------------------------------------------------------------ memory controllers
  // Requesters: fetcher of core c is program requester c; the LSU of thread t of warp w
  // in core c is data requester c*CORE_LSUS + w*THREADS_PER_BLOCK + t.
  // Buses are flat here (requester i at [i*W +: W]): Icarus 11 cannot take a
  // part-select of the outer dimension of a 2-D packed array.
  logic [NUM_CORES-1:0]                   fetch_read_valid;
  logic [NUM_CORES*PC_BITS-1:0]           fetch_read_address;
  logic [NUM_CORES-1:0]                   fetch_read_ready;
  logic [NUM_CORES*INSTR_BITS-1:0]        fetch_read_data;

  logic [NUM_LSUS-1:0]                    lsu_read_valid;
  logic [NUM_LSUS*DATA_BITS-1:0]          lsu_read_address;
  logic [NUM_LSUS-1:0]                    lsu_read_ready;
  logic [NUM_LSUS*DATA_BITS-1:0]          lsu_read_data;
  logic [NUM_LSUS-1:0]                    lsu_write_valid;
  logic [NUM_LSUS*DATA_BITS-1:0]          lsu_write_address;
  logic [NUM_LSUS*DATA_BITS-1:0]          lsu_write_data;
  logic [NUM_LSUS-1:0]                    lsu_write_ready;

  mem_controller #(
    .ADDR_BITS     (DATA_MEM_ADDR_BITS),
    .DATA_BITS     (DATA_MEM_DATA_BITS),
    .NUM_CONSUMERS (NUM_LSUS),
    .NUM_CHANNELS  (DATA_MEM_NUM_CHANNELS),
    .WRITE_ENABLE  (1'b1),
    .MERGE_READS   (1'b0)   // loads are coalesced in the cores
  ) u_data_mem_controller (
    .clk                    (clk),
    .reset                  (reset),
    .consumer_read_valid    (lsu_read_valid),
    .consumer_read_address  (lsu_read_address),
    .consumer_read_ready    (lsu_read_ready),
    .consumer_read_data     (lsu_read_data),
    .consumer_write_valid   (lsu_write_valid),
    .consumer_write_address (lsu_write_address),
    .consumer_write_data    (lsu_write_data),
    .consumer_write_ready   (lsu_write_ready),
    .mem_read_valid         (data_mem_read_valid),
    .mem_read_address       (data_mem_read_address),
    .mem_read_ready         (data_mem_read_ready),
    .mem_read_data          (data_mem_read_data),
    .mem_write_valid        (data_mem_write_valid),
    .mem_write_address      (data_mem_write_address),
    .mem_write_data         (data_mem_write_data),
    .mem_write_ready        (data_mem_write_ready)
`ifdef GPU_TRACE
    ,
    .trace_channel_state    (trace_data_channel_state),
    .trace_owners           (trace_data_owners)
`endif
  );

  // Program memory is read-only: the controller's write side is tied off. These
  // constants never toggle, so toggle coverage leaves them out.
  /* verilator coverage_off */
  logic [NUM_CORES-1:0]                                             no_fetch_write_valid;
  logic [NUM_CORES*PROGRAM_MEM_ADDR_BITS-1:0]                       no_fetch_write_address;
  logic [NUM_CORES*PROGRAM_MEM_DATA_BITS-1:0]                       no_fetch_write_data;
  logic [PROGRAM_MEM_NUM_CHANNELS-1:0]                              no_program_write_ready;
  logic [PROGRAM_MEM_NUM_CHANNELS-1:0]                              unused_program_write_valid;
  logic [PROGRAM_MEM_NUM_CHANNELS*PROGRAM_MEM_ADDR_BITS-1:0]        unused_program_write_address;
  logic [PROGRAM_MEM_NUM_CHANNELS*PROGRAM_MEM_DATA_BITS-1:0]        unused_program_write_data;
  logic [NUM_CORES-1:0]                                             unused_fetch_write_ready;
  /* verilator coverage_on */

  mem_controller #(
    .ADDR_BITS     (PROGRAM_MEM_ADDR_BITS),
    .DATA_BITS     (PROGRAM_MEM_DATA_BITS),
    .NUM_CONSUMERS (NUM_CORES),
    .NUM_CHANNELS  (PROGRAM_MEM_NUM_CHANNELS),
    .WRITE_ENABLE  (1'b0),
    .MERGE_READS   (1'b1)   // cores fetching the same word share one read
  ) u_program_mem_controller (
    .clk                    (clk),
    .reset                  (reset),
    .consumer_read_valid    (fetch_read_valid),
    .consumer_read_address  (fetch_read_address),
    .consumer_read_ready    (fetch_read_ready),
    .consumer_read_data     (fetch_read_data),
    .consumer_write_valid   (no_fetch_write_valid),
    .consumer_write_address (no_fetch_write_address),
    .consumer_write_data    (no_fetch_write_data),
    .consumer_write_ready   (unused_fetch_write_ready),
    .mem_read_valid         (program_mem_read_valid),
    .mem_read_address       (program_mem_read_address),
    .mem_read_ready         (program_mem_read_ready),
    .mem_read_data          (program_mem_read_data),
    .mem_write_valid        (unused_program_write_valid),
    .mem_write_address      (unused_program_write_address),
    .mem_write_data         (unused_program_write_data),
    .mem_write_ready        (no_program_write_ready)
`ifdef GPU_TRACE
    ,
    .trace_channel_state    (trace_program_channel_state),
    .trace_owners           (trace_program_owners)
`endif
  );

  assign no_fetch_write_valid   = '0;
  assign no_fetch_write_address = '0;
  assign no_fetch_write_data    = '0;
  assign no_program_write_ready = '0;

  logic unused_program_write;
  assign unused_program_write = ^{unused_program_write_valid, unused_program_write_address,
                                  unused_program_write_data, unused_fetch_write_ready};

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
