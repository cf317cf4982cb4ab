// SPDX-License-Identifier: MIT
// gpu_axi: the GPU with AXI4 memory ports, for an FPGA or SoC next to a DRAM controller.
//
//   host ──► gpu_cores.sv: device control register, dispatcher, cores (as in gpu.sv)
//   core fetchers ──► axi_program_master ──► AXI4 read master  (program_*: line bursts)
//   core LSUs     ──► axi_data_master    ──► AXI4 master       (data_*: one line a beat)
//
// tiny-gpu's port (gpu.sv) carries one byte per request and one request per channel at a
// time, so four bytes cross it every memory round trip whatever the cores do. Here a
// warp's loads or stores that fall in one DATA_LINE_BYTES line are one transaction, up
// to MAX_READS reads and MAX_WRITES writes are in flight at once, and an instruction
// line of PROGRAM_LINE_WORDS words comes in one burst: while one warp waits, the others
// run and send theirs (docs/architecture.md, "The AXI4 port"). Each core keeps the last
// DATA_CACHE_LINES data lines it read (axi_data_cache.sv), so a line read again does
// not cross the bus; the caches start empty at each launch and are not coherent with
// each other (docs/isa.md, "Memory ordering", says why that is correct).
//
// Both masters use ID 0 only (AXI4 then answers in order); the data master's bus is
// DATA_LINE_BYTES wide, the program master's 16 bits. The GPU's 256 data bytes sit at
// DATA_BASE and its 256 program words at PROGRAM_BASE of an AXI_ADDR_BITS address space,
// so the GPU can share a bus with other masters. A slave's error response (SLVERR,
// DECERR) is never used as data or as an instruction: it ends the launch (neither
// master starts a new transaction, and `done` rises once those in flight are answered)
// with `memory_error` set, naming the failed data line or program word and its side,
// until the next reset or launch.
`default_nettype none

module gpu_axi
  import gpu_pkg::*;
#(
  parameter int NUM_CORES          = 2,
  parameter int THREADS_PER_BLOCK  = 4,
  parameter int WARPS_PER_CORE     = 2,
  parameter int ICACHE_LINES       = 32,
  parameter int SHARED_MEM_BYTES   = 64,
  parameter int AXI_ADDR_BITS      = 32,
  parameter int DATA_LINE_BYTES    = 4,    // the data bus: 1, 2, 4, 8 or 16 bytes
  parameter int PROGRAM_LINE_WORDS = 8,    // words a program burst brings: 1..64, a power of two
  parameter int MAX_READS          = 4,    // data reads in flight, 1..16
  parameter int MAX_WRITES         = 4,    // data writes in flight, 1..16
  parameter int DATA_CACHE_LINES   = 8,    // each core's data read cache: 0 (none) or a power of two, 1..16
  parameter int DATA_BASE          = 0,    // a multiple of 256
  parameter int PROGRAM_BASE       = 0     // a multiple of 512
) (
  input  logic                          clk,
  input  logic                          reset,
  input  logic                          start,
  output logic                          done,
  input  logic                          device_control_write_enable,
  input  logic [7:0]                    device_control_data,
  // data: AXI4 master
  output logic                          data_arvalid,
  input  logic                          data_arready,
  output logic [AXI_ADDR_BITS-1:0]      data_araddr,
  // Constant by design (one beat), so they never toggle.
  /* verilator coverage_off */
  output logic [7:0]                    data_arlen,
  /* verilator coverage_on */
  output logic [2:0]                    data_arsize,
  output logic [1:0]                    data_arburst,
  input  logic                          data_rvalid,
  output logic                          data_rready,
  input  logic [DATA_LINE_BYTES*8-1:0]  data_rdata,
  input  logic [1:0]                    data_rresp,
  input  logic                          data_rlast,
  output logic                          data_awvalid,
  input  logic                          data_awready,
  output logic [AXI_ADDR_BITS-1:0]      data_awaddr,
  // Constant by design (one beat), so they never toggle.
  /* verilator coverage_off */
  output logic [7:0]                    data_awlen,
  /* verilator coverage_on */
  output logic [2:0]                    data_awsize,
  output logic [1:0]                    data_awburst,
  output logic                          data_wvalid,
  input  logic                          data_wready,
  output logic [DATA_LINE_BYTES*8-1:0]  data_wdata,
  output logic [DATA_LINE_BYTES-1:0]    data_wstrb,
  output logic                          data_wlast,
  input  logic                          data_bvalid,
  output logic                          data_bready,
  input  logic [1:0]                    data_bresp,
  // program: AXI4 read master
  output logic                          program_arvalid,
  input  logic                          program_arready,
  output logic [AXI_ADDR_BITS-1:0]      program_araddr,
  output logic [7:0]                    program_arlen,
  output logic [2:0]                    program_arsize,
  output logic [1:0]                    program_arburst,
  input  logic                          program_rvalid,
  output logic                          program_rready,
  input  logic [INSTR_BITS-1:0]         program_rdata,
  input  logic [1:0]                    program_rresp,
  input  logic                          program_rlast,
  // a slave answered with an error, which ended the launch: where, and which port
  output logic                          memory_error,
  output logic                          memory_error_program,  // else data
  output logic                          memory_error_write,    // data writes
  output logic [AXI_ADDR_BITS-1:0]      memory_error_address   // the failed data line, or program word
`ifdef GPU_TRACE
  ,
  // The cores' part of gpu.sv's trace port (the same signals, the same layout).
  output logic [NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK-1:0]             trace_commit_valid,
  output logic [NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK*COMMIT_BITS-1:0] trace_commit,
  output logic [NUM_CORES*PERF_BITS-1:0]                                    trace_counters,
  output logic [NUM_CORES*3-1:0]                                            trace_activity,
  output logic [NUM_CORES*8-1:0]                                            trace_exec_warp,
  output logic [NUM_CORES*PC_BITS-1:0]                                      trace_exec_pc,
  output logic [NUM_CORES*INSTR_BITS-1:0]                                   trace_exec_instr,
  output logic [NUM_CORES*THREADS_PER_BLOCK-1:0]                            trace_exec_active,
  output logic [NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK*PC_BITS-1:0]     trace_thread_pc,
  output logic [NUM_CORES-1:0]                                              trace_fetch_valid,
  output logic [NUM_CORES-1:0]                                              trace_fetch_ready,
  output logic [NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK-1:0]             trace_lsu_request
`endif
);

  localparam int NUM_LSUS = NUM_CORES * WARPS_PER_CORE * THREADS_PER_BLOCK;

  // ------------------------------------------------------------ legal configurations
  if (AXI_ADDR_BITS < 12 || AXI_ADDR_BITS > 64) begin : g_bad_addr_bits
    elaboration_error #(.MESSAGE("gpu_axi: AXI_ADDR_BITS must be 12..64")) u_error ();
  end
  if (DATA_LINE_BYTES != 1 && DATA_LINE_BYTES != 2 && DATA_LINE_BYTES != 4 && DATA_LINE_BYTES != 8
      && DATA_LINE_BYTES != 16) begin : g_bad_line_bytes
    elaboration_error #(.MESSAGE("gpu_axi: DATA_LINE_BYTES must be 1, 2, 4, 8 or 16 (a line holds whole data bytes, an AXI bus is 8..128 bits here)")) u_error ();
  end
  if (PROGRAM_LINE_WORDS < 1 || PROGRAM_LINE_WORDS > 64 || (PROGRAM_LINE_WORDS & (PROGRAM_LINE_WORDS - 1)) != 0) begin : g_bad_program_line
    elaboration_error #(.MESSAGE("gpu_axi: PROGRAM_LINE_WORDS must be a power of two, 1..64")) u_error ();
  end
  if (MAX_READS < 1 || MAX_READS > 16) begin : g_bad_max_reads
    elaboration_error #(.MESSAGE("gpu_axi: MAX_READS (data reads in flight) must be 1..16")) u_error ();
  end
  if (MAX_WRITES < 1 || MAX_WRITES > 16) begin : g_bad_max_writes
    elaboration_error #(.MESSAGE("gpu_axi: MAX_WRITES (data writes in flight) must be 1..16")) u_error ();
  end
  if (DATA_CACHE_LINES < 0 || DATA_CACHE_LINES > 16 || (DATA_CACHE_LINES & (DATA_CACHE_LINES - 1)) != 0) begin : g_bad_cache_lines
    elaboration_error #(.MESSAGE("gpu_axi: DATA_CACHE_LINES (each core's data read cache) must be 0 (none) or a power of two, 1..16")) u_error ();
  end
  if (DATA_BASE < 0 || DATA_BASE % 256 != 0 || (AXI_ADDR_BITS < 32 && DATA_BASE >= (1 << AXI_ADDR_BITS))) begin : g_bad_data_base
    elaboration_error #(.MESSAGE("gpu_axi: DATA_BASE must be a multiple of 256 inside the AXI address space")) u_error ();
  end
  if (PROGRAM_BASE < 0 || PROGRAM_BASE % 512 != 0 || (AXI_ADDR_BITS < 32 && PROGRAM_BASE >= (1 << AXI_ADDR_BITS))) begin : g_bad_program_base
    elaboration_error #(.MESSAGE("gpu_axi: PROGRAM_BASE must be a multiple of 512 inside the AXI address space")) u_error ();
  end

  // ------------------------------------------------------------ dispatcher and cores
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
  logic                                   launching;
  logic                                   cores_done;     // every block has finished
  logic                                   data_writes_idle;
  logic                                   data_idle, program_idle;   // nothing in flight

  // Writes are posted (axi_data_master.sv): the kernel is done when its last write has
  // its response too, so the host reads memory the kernel has finished writing. An error
  // response ends the launch early: no new transaction goes out after it, and `done`
  // rises once those in flight are answered, with `memory_error` set. The cores are then
  // stopped mid-kernel (a warp waits for the answer that never came), so the host resets
  // the GPU before the next launch.
  assign done = data_writes_idle && (cores_done || (memory_error && data_idle && program_idle));

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
    .done                        (cores_done),
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

  // ------------------------------------------------------------ memory ports
  logic                     data_error, data_error_write, program_error;
  logic [AXI_ADDR_BITS-1:0] data_error_address, program_error_address;

  axi_data_master #(
    .GROUPS          (NUM_CORES * WARPS_PER_CORE),
    .LANES           (THREADS_PER_BLOCK),
    .LINE_BYTES      (DATA_LINE_BYTES),
    .MAX_READS       (MAX_READS),
    .MAX_WRITES      (MAX_WRITES),
    .GROUPS_PER_CORE (WARPS_PER_CORE),
    .CACHE_LINES     (DATA_CACHE_LINES),
    .ADDR_BITS       (AXI_ADDR_BITS),
    .BASE            (AXI_ADDR_BITS'(DATA_BASE))
  ) u_data_master (
    .clk           (clk),
    .reset         (reset),
    .read_valid    (lsu_read_valid),
    .read_address  (lsu_read_address),
    .read_ready    (lsu_read_ready),
    .read_data     (lsu_read_data),
    .write_valid   (lsu_write_valid),
    .write_address (lsu_write_address),
    .write_data    (lsu_write_data),
    .write_ready   (lsu_write_ready),
    .arvalid       (data_arvalid),
    .arready       (data_arready),
    .araddr        (data_araddr),
    .arlen         (data_arlen),
    .arsize        (data_arsize),
    .arburst       (data_arburst),
    .rvalid        (data_rvalid),
    .rready        (data_rready),
    .rdata         (data_rdata),
    .rresp         (data_rresp),
    .rlast         (data_rlast),
    .awvalid       (data_awvalid),
    .awready       (data_awready),
    .awaddr        (data_awaddr),
    .awlen         (data_awlen),
    .awsize        (data_awsize),
    .awburst       (data_awburst),
    .wvalid        (data_wvalid),
    .wready        (data_wready),
    .wdata         (data_wdata),
    .wstrb         (data_wstrb),
    .wlast         (data_wlast),
    .bvalid        (data_bvalid),
    .bready        (data_bready),
    .bresp         (data_bresp),
    .writes_idle   (data_writes_idle),
    .idle          (data_idle),
    .launch        (launching),
    .stop          (memory_error),
    .error         (data_error),
    .error_write   (data_error_write),
    .error_address (data_error_address)
  );

  axi_program_master #(
    .NUM_CORES  (NUM_CORES),
    .LINE_WORDS (PROGRAM_LINE_WORDS),
    .ADDR_BITS  (AXI_ADDR_BITS),
    .BASE       (AXI_ADDR_BITS'(PROGRAM_BASE))
  ) u_program_master (
    .clk           (clk),
    .reset         (reset),
    .launch        (launching),
    .stop          (memory_error),
    .read_valid    (fetch_read_valid),
    .read_address  (fetch_read_address),
    .read_ready    (fetch_read_ready),
    .read_data     (fetch_read_data),
    .arvalid       (program_arvalid),
    .arready       (program_arready),
    .araddr        (program_araddr),
    .arlen         (program_arlen),
    .arsize        (program_arsize),
    .arburst       (program_arburst),
    .rvalid        (program_rvalid),
    .rready        (program_rready),
    .rdata         (program_rdata),
    .rresp         (program_rresp),
    .rlast         (program_rlast),
    .idle          (program_idle),
    .error         (program_error),
    .error_address (program_error_address)
  );

  // The first error of the launch, program side first when both come at once.
  assign memory_error         = data_error || program_error;
  assign memory_error_program = program_error;
  assign memory_error_write   = !program_error && data_error_write;
  assign memory_error_address = program_error ? program_error_address : data_error_address;

endmodule
