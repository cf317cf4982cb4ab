// SPDX-License-Identifier: MIT
// gpu: the top level. One kernel at a time, tiny-gpu's interface.
//
//   host ──► gpu_cores.sv: device control register, dispatcher, cores
//   core fetchers ──► program memory controller ──► PROGRAM_MEM_NUM_CHANNELS channels
//   core LSUs     ──► data memory controller    ──► DATA_MEM_NUM_CHANNELS channels
//
// (gpu_axi.sv is the other top level: the same cores behind AXI4 masters.)
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

  localparam int NUM_LSUS = NUM_CORES * WARPS_PER_CORE * THREADS_PER_BLOCK;  // one per warp and thread

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
  if (DATA_MEM_NUM_CHANNELS < 1 || DATA_MEM_NUM_CHANNELS > NUM_LSUS) begin : g_bad_data_channels
    elaboration_error #(.MESSAGE("gpu: DATA_MEM_NUM_CHANNELS must be 1..NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK")) u_error ();
  end
  if (PROGRAM_MEM_NUM_CHANNELS < 1 || PROGRAM_MEM_NUM_CHANNELS > NUM_CORES) begin : g_bad_program_channels
    elaboration_error #(.MESSAGE("gpu: PROGRAM_MEM_NUM_CHANNELS must be 1..NUM_CORES")) u_error ();
  end

  // ------------------------------------------------------------ dispatcher and cores
  // (gpu_cores.sv: also the checks of the parameters both top levels share)
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
  /* verilator lint_off UNUSEDSIGNAL */  // tiny-gpu's memory keeps nothing across launches
  logic                                   launching;
  /* verilator lint_on UNUSEDSIGNAL */

  gpu_cores #(
    .NUM_CORES         (NUM_CORES),
    .THREADS_PER_BLOCK (THREADS_PER_BLOCK),
    .WARPS_PER_CORE    (WARPS_PER_CORE),
    .ICACHE_LINES      (ICACHE_LINES),
    .SHARED_MEM_BYTES  (SHARED_MEM_BYTES)
  ) u_cores (
    .clk                         (clk),
    .reset                       (reset),
    .start                       (start),
    .done                        (done),
    .launching                   (launching),
    .device_control_write_enable (device_control_write_enable),
    .device_control_data         (device_control_data),
    .fetch_read_valid            (fetch_read_valid),
    .fetch_read_address          (fetch_read_address),
    .fetch_read_ready            (fetch_read_ready),
    .fetch_read_data             (fetch_read_data),
    .lsu_read_valid              (lsu_read_valid),
    .lsu_read_address            (lsu_read_address),
    .lsu_read_ready              (lsu_read_ready),
    .lsu_read_data               (lsu_read_data),
    .lsu_write_valid             (lsu_write_valid),
    .lsu_write_address           (lsu_write_address),
    .lsu_write_data              (lsu_write_data),
    .lsu_write_ready             (lsu_write_ready)
`ifdef GPU_TRACE
    ,
    .trace_commit_valid          (trace_commit_valid),
    .trace_commit                (trace_commit),
    .trace_counters              (trace_counters),
    .trace_activity              (trace_activity),
    .trace_exec_warp             (trace_exec_warp),
    .trace_exec_pc               (trace_exec_pc),
    .trace_exec_instr            (trace_exec_instr),
    .trace_exec_active           (trace_exec_active),
    .trace_thread_pc             (trace_thread_pc),
    .trace_fetch_valid           (trace_fetch_valid),
    .trace_fetch_ready           (trace_fetch_ready),
    .trace_lsu_request           (trace_lsu_request)
`endif
  );

  // ------------------------------------------------------------ memory controllers
  // Requesters: fetcher of core c is program requester c; the LSU of thread t of warp w
  // in core c is data requester c*WARPS_PER_CORE*THREADS_PER_BLOCK + w*THREADS_PER_BLOCK + t (gpu_cores.sv).
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

endmodule
