// SPDX-License-Identifier: MIT
// gpu_harness: the simulation top level around `gpu`.
//
// Test-bench only. It holds program and data memory (loaded from and dumped to hex
// files that the Python test writes and reads: far faster than reaching every word
// through VPI), answers every memory channel with a
// configurable latency and seeded random stalls, counts cycles from launch to done,
// raises `timed_out` when a kernel runs too long, and, when asked by plusargs, writes
// logs so that Python never has to act on every clock edge:
//
//   +commit_file=PATH  one line per retired instruction per thread (lock-step check)
//   +trace_file=PATH   one line per core per cycle while a kernel runs (trace view)
//   +wave_file=PATH    waveform ($dumpfile; FST needs the simulator's FST option)
//   +memory_dir=PATH   where job files live: on `load_memories` the harness reads
//                      jobN_program.hex and jobN_data.hex (N = cfg_job), on
//                      `dump_memory` it writes jobN_final.hex (the data memory)
//
// What the GPU did comes out of its trace port (gpu.sv, GPU_TRACE): the harness reaches
// into the GPU through no hierarchical reference. Lines (numbers in hex, records in binary,
// first field first, as gpu_pkg.sv declares commit_t and perf_t; tinygpu/records.py names
// the bits from that declaration):
//   F commit_bits perf_bits            once, at the start: the records' widths
//   C job cycle core warp thread COMMIT  a thread retired an instruction (commit_t)
//   P job core COUNTERS                  a core's counters when a kernel ends (perf_t)
//   M job EVENTS...                      when a kernel ends: the memory events, in the
//     order of tinygpu/harness.py's MEMORY_EVENT_NAMES (program reads answered for more
//     than one core at once; fetches presented in the cycle right after the core's
//     previous one was answered: streaming; then the AXI port's transactions, handshakes
//     and holds, below: 0 on tiny-gpu's port)
//   E job side axi_address              when a kernel ends on an AXI error response (gpu_axi's
//     memory_error: side 1 a data read, 2 a data write, 3 a program read; the AXI
//     address of the failed data line or program word)
//   T job cycle core activity warp pc instr active_mask   per core per cycle (trace file)
//     (activity: core_activity.activity_e; warp, pc, instr and active_mask: the
//     instruction in EXECUTE, when there is one)
//   A job cycle reads writes bursts      per cycle (trace file, AXI port only): the data
//     reads, data writes and program bursts in flight (tinygpu/trace_view.py, AxiLine)
// All lines of a cycle are written at its rising edge, in core order, by one block: no
// end of simulation can cut a cycle's lines, and every flow writes the same log.
`default_nettype none

module gpu_harness
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
  parameter int SHARED_MEM_BYTES         = 64,
  // gpu_axi.sv's (built with GPU_AXI defined: the AXI4 top level and its memory model)
  parameter int AXI_ADDR_BITS            = 32,
  parameter int DATA_LINE_BYTES          = 4,
  parameter int PROGRAM_LINE_WORDS       = 8,
  parameter int MAX_READS                = 4,
  parameter int MAX_WRITES               = 4,
  parameter int DATA_CACHE_LINES         = 8,
  parameter int DATA_BASE                = 0,
  parameter int PROGRAM_BASE             = 0
) (
  input  logic        clk,
  input  logic        reset,
  input  logic        start,
  input  logic        device_control_write_enable,
  input  logic [7:0]  device_control_data,
  output logic        done,
  // run settings, written by the test before the launch
  input  logic [7:0]  cfg_latency,
  input  logic [7:0]  cfg_stall_max,
  input  logic [31:0] cfg_seed,
  input  logic [31:0] cfg_max_cycles,
  input  logic [15:0] cfg_job,
  // an AXI error response to inject (gpu_axi only; tb/test_axi_errors.py): the beats that
  // carry cfg_fault_address (a data byte's line, or one program word) on the side
  // cfg_fault_side (0: none; else FAULT_*, below) are answered cfg_fault_response
  input  logic [1:0]  cfg_fault_side,
  input  logic [1:0]  cfg_fault_response,
  input  logic [7:0]  cfg_fault_address,
  input  logic        load_memories,    // read this job's memory files at the next edge
  input  logic        dump_memory,      // write the data memory at the next edge
  // results
  output logic [31:0] cycles,           // from the launch edge to done
  output logic        timed_out,        // cycles reached cfg_max_cycles before done
  output logic [31:0] stall_cycles,     // data-channel cycles spent in random stalls
  output logic [7:0]  max_waiting       // most LSU requests pending while one was stalled
);

  localparam int DW = DATA_MEM_DATA_BITS;
  localparam int DA = DATA_MEM_ADDR_BITS;
  localparam int PW = PROGRAM_MEM_DATA_BITS;
  localparam int PA = PROGRAM_MEM_ADDR_BITS;
  localparam int CORE_LSUS = WARPS_PER_CORE * THREADS_PER_BLOCK;
  localparam int NUM_LSUS  = NUM_CORES * CORE_LSUS;

  // The GPU's trace port.
  logic [NUM_LSUS-1:0]                        trace_commit_valid;
  logic [NUM_LSUS*COMMIT_BITS-1:0]            trace_commit;
  logic [NUM_CORES*PERF_BITS-1:0]             trace_counters;
  logic [NUM_CORES*3-1:0]                     trace_activity;
  logic [NUM_CORES*8-1:0]                     trace_exec_warp;
  logic [NUM_CORES*PA-1:0]                    trace_exec_pc;
  logic [NUM_CORES*PW-1:0]                    trace_exec_instr;
  logic [NUM_CORES*THREADS_PER_BLOCK-1:0]     trace_exec_active;
  logic [NUM_LSUS*PA-1:0]                     trace_thread_pc;
  logic [NUM_CORES-1:0]                       trace_fetch_valid, trace_fetch_ready;
  logic [NUM_LSUS-1:0]                        trace_lsu_request;

  // Memories, filled from and dumped to the job's hex files.
  logic [PW-1:0] program_mem [2**PA];
  logic [DW-1:0] data_mem    [2**DA];
  string         memory_dir;

  always @(posedge clk) begin
    if (load_memories) begin
      $readmemh($sformatf("%s/job%0d_program.hex", memory_dir, cfg_job), program_mem, 0, 2**PA - 1);
      $readmemh($sformatf("%s/job%0d_data.hex", memory_dir, cfg_job), data_mem, 0, 2**DA - 1);
    end
    if (dump_memory) begin
      $writememh($sformatf("%s/job%0d_final.hex", memory_dir, cfg_job), data_mem, 0, 2**DA - 1);
    end
  end

  logic data_stalled;   // a data channel is held back by a random stall

`ifndef GPU_AXI
  logic [PROGRAM_MEM_NUM_CHANNELS-1:0]      program_mem_read_valid;
  logic [PROGRAM_MEM_NUM_CHANNELS*PA-1:0]   program_mem_read_address;
  logic [PROGRAM_MEM_NUM_CHANNELS-1:0]      program_mem_read_ready;
  logic [PROGRAM_MEM_NUM_CHANNELS*PW-1:0]   program_mem_read_data;
  logic [DATA_MEM_NUM_CHANNELS-1:0]         data_mem_read_valid;
  logic [DATA_MEM_NUM_CHANNELS*DA-1:0]      data_mem_read_address;
  logic [DATA_MEM_NUM_CHANNELS-1:0]         data_mem_read_ready;
  logic [DATA_MEM_NUM_CHANNELS*DW-1:0]      data_mem_read_data;
  logic [DATA_MEM_NUM_CHANNELS-1:0]         data_mem_write_valid;
  logic [DATA_MEM_NUM_CHANNELS*DA-1:0]      data_mem_write_address;
  logic [DATA_MEM_NUM_CHANNELS*DW-1:0]      data_mem_write_data;
  logic [DATA_MEM_NUM_CHANNELS-1:0]         data_mem_write_ready;
  logic [PROGRAM_MEM_NUM_CHANNELS*2-1:0]      trace_program_channel_state;
  logic [PROGRAM_MEM_NUM_CHANNELS*NUM_CORES-1:0] trace_program_owners;
  logic [DATA_MEM_NUM_CHANNELS*2-1:0]         trace_data_channel_state;
  logic [DATA_MEM_NUM_CHANNELS*NUM_LSUS-1:0]  trace_data_owners;

  gpu #(
    .DATA_MEM_ADDR_BITS       (DATA_MEM_ADDR_BITS),
    .DATA_MEM_DATA_BITS       (DATA_MEM_DATA_BITS),
    .DATA_MEM_NUM_CHANNELS    (DATA_MEM_NUM_CHANNELS),
    .PROGRAM_MEM_ADDR_BITS    (PROGRAM_MEM_ADDR_BITS),
    .PROGRAM_MEM_DATA_BITS    (PROGRAM_MEM_DATA_BITS),
    .PROGRAM_MEM_NUM_CHANNELS (PROGRAM_MEM_NUM_CHANNELS),
    .NUM_CORES                (NUM_CORES),
    .THREADS_PER_BLOCK        (THREADS_PER_BLOCK),
    .WARPS_PER_CORE           (WARPS_PER_CORE),
    .ICACHE_LINES             (ICACHE_LINES),
    .SHARED_MEM_BYTES         (SHARED_MEM_BYTES)
  ) u_gpu (
    .clk                         (clk),
    .reset                       (reset),
    .start                       (start),
    .done                        (done),
    .device_control_write_enable (device_control_write_enable),
    .device_control_data         (device_control_data),
    .program_mem_read_valid      (program_mem_read_valid),
    .program_mem_read_address    (program_mem_read_address),
    .program_mem_read_ready      (program_mem_read_ready),
    .program_mem_read_data       (program_mem_read_data),
    .data_mem_read_valid         (data_mem_read_valid),
    .data_mem_read_address       (data_mem_read_address),
    .data_mem_read_ready         (data_mem_read_ready),
    .data_mem_read_data          (data_mem_read_data),
    .data_mem_write_valid        (data_mem_write_valid),
    .data_mem_write_address      (data_mem_write_address),
    .data_mem_write_data         (data_mem_write_data),
    .data_mem_write_ready        (data_mem_write_ready),
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
    .trace_lsu_request           (trace_lsu_request),
    .trace_program_channel_state (trace_program_channel_state),
    .trace_program_owners        (trace_program_owners),
    .trace_data_channel_state    (trace_data_channel_state),
    .trace_data_owners           (trace_data_owners)
  );

  // ------------------------------------------------------------ memory channels
  logic [DATA_MEM_NUM_CHANNELS-1:0] data_read_stalled;
  logic [DATA_MEM_NUM_CHANNELS-1:0] data_write_stalled;
  assign data_stalled = (data_read_stalled | data_write_stalled) != '0;

  // Program memory reads its word when it takes the request and answers with it later
  // (as a memory with a read pipeline does): a read still on its way when the host
  // loads another program returns the old word.
  for (genvar k = 0; k < PROGRAM_MEM_NUM_CHANNELS; k++) begin : g_program_channels
    logic          respond, accept;
    logic          unused_stalled;
    logic [PW-1:0] word_q;
    memory_latency_model #(.SALT(32'h1000_0000 + k)) u_latency (
      .clk (clk), .reset (reset), .valid (program_mem_read_valid[k]),
      .latency (cfg_latency), .stall_max (cfg_stall_max), .seed (cfg_seed),
      .respond (respond), .accept (accept), .stalled (unused_stalled)
    );
    always_ff @(posedge clk) begin
      program_mem_read_ready[k] <= !reset && respond;
      if (accept) word_q <= program_mem[program_mem_read_address[k*PA +: PA]];
      if (respond) begin
        program_mem_read_data[k*PW +: PW] <= accept ? program_mem[program_mem_read_address[k*PA +: PA]] : word_q;
      end
    end
  end

  logic unused_fault;   // error injection needs the AXI port
  assign unused_fault = ^{cfg_fault_side, cfg_fault_response, cfg_fault_address};

  for (genvar k = 0; k < DATA_MEM_NUM_CHANNELS; k++) begin : g_data_channels
    logic read_respond;
    logic write_respond;
    memory_latency_model #(.SALT(32'h2000_0000 + k)) u_read_latency (
      .clk (clk), .reset (reset), .valid (data_mem_read_valid[k]),
      .latency (cfg_latency), .stall_max (cfg_stall_max), .seed (cfg_seed),
      .respond (read_respond), .accept (), .stalled (data_read_stalled[k])
    );
    memory_latency_model #(.SALT(32'h3000_0000 + k)) u_write_latency (
      .clk (clk), .reset (reset), .valid (data_mem_write_valid[k]),
      .latency (cfg_latency), .stall_max (cfg_stall_max), .seed (cfg_seed),
      .respond (write_respond), .accept (), .stalled (data_write_stalled[k])
    );
    // A plain always: several channels (and the loader) write data_mem.
    always @(posedge clk) begin
      data_mem_read_ready[k]  <= !reset && read_respond;
      data_mem_write_ready[k] <= !reset && write_respond;
      if (read_respond) begin
        data_mem_read_data[k*DW +: DW] <= data_mem[data_mem_read_address[k*DA +: DA]];
      end
      if (write_respond && !reset) begin
        data_mem[data_mem_write_address[k*DA +: DA]] <= data_mem_write_data[k*DW +: DW];
      end
    end
  end

`else
  // The AXI4 top level (gpu_axi.sv) and an AXI4 memory model on each of its masters.
  localparam int LB = DATA_LINE_BYTES;
  localparam int AB = AXI_ADDR_BITS;
  logic          data_r_held, data_b_held, program_r_held;   // the slaves' holds (see AXI transactions)
  logic          data_arvalid, data_arready, data_rvalid, data_rready, data_rlast;
  logic [AB-1:0] data_araddr;
  logic [7:0]    data_arlen;
  logic [2:0]    data_arsize;
  logic [1:0]    data_arburst, data_rresp;
  logic [LB*8-1:0] data_rdata;
  logic          data_awvalid, data_awready, data_wvalid, data_wready, data_wlast;
  logic          data_bvalid, data_bready;
  logic [AB-1:0] data_awaddr;
  logic [7:0]    data_awlen;
  logic [2:0]    data_awsize;
  logic [1:0]    data_awburst, data_bresp;
  logic [LB*8-1:0] data_wdata;
  logic [LB-1:0] data_wstrb;
  logic          program_arvalid, program_arready, program_rvalid, program_rready, program_rlast;
  logic [AB-1:0] program_araddr;
  logic [7:0]    program_arlen;
  logic [2:0]    program_arsize;
  logic [1:0]    program_arburst, program_rresp;
  logic [PW-1:0] program_rdata;
  logic          memory_error, memory_error_program, memory_error_write;
  logic [AB-1:0] memory_error_address;

  gpu_axi #(
    .NUM_CORES          (NUM_CORES),
    .THREADS_PER_BLOCK  (THREADS_PER_BLOCK),
    .WARPS_PER_CORE     (WARPS_PER_CORE),
    .ICACHE_LINES       (ICACHE_LINES),
    .SHARED_MEM_BYTES   (SHARED_MEM_BYTES),
    .AXI_ADDR_BITS      (AXI_ADDR_BITS),
    .DATA_LINE_BYTES    (DATA_LINE_BYTES),
    .PROGRAM_LINE_WORDS (PROGRAM_LINE_WORDS),
    .MAX_READS          (MAX_READS),
    .MAX_WRITES         (MAX_WRITES),
    .DATA_CACHE_LINES   (DATA_CACHE_LINES),
    .DATA_BASE          (DATA_BASE),
    .PROGRAM_BASE       (PROGRAM_BASE)
  ) u_gpu (
    .clk                         (clk),
    .reset                       (reset),
    .start                       (start),
    .done                        (done),
    .device_control_write_enable (device_control_write_enable),
    .device_control_data         (device_control_data),
    .data_arvalid (data_arvalid), .data_arready (data_arready), .data_araddr (data_araddr),
    .data_arlen (data_arlen), .data_arsize (data_arsize), .data_arburst (data_arburst),
    .data_rvalid (data_rvalid), .data_rready (data_rready), .data_rdata (data_rdata),
    .data_rresp (data_rresp), .data_rlast (data_rlast),
    .data_awvalid (data_awvalid), .data_awready (data_awready), .data_awaddr (data_awaddr),
    .data_awlen (data_awlen), .data_awsize (data_awsize), .data_awburst (data_awburst),
    .data_wvalid (data_wvalid), .data_wready (data_wready), .data_wdata (data_wdata),
    .data_wstrb (data_wstrb), .data_wlast (data_wlast),
    .data_bvalid (data_bvalid), .data_bready (data_bready), .data_bresp (data_bresp),
    .program_arvalid (program_arvalid), .program_arready (program_arready),
    .program_araddr (program_araddr), .program_arlen (program_arlen),
    .program_arsize (program_arsize), .program_arburst (program_arburst),
    .program_rvalid (program_rvalid), .program_rready (program_rready),
    .program_rdata (program_rdata), .program_rresp (program_rresp), .program_rlast (program_rlast),
    .memory_error         (memory_error),
    .memory_error_program (memory_error_program),
    .memory_error_write   (memory_error_write),
    .memory_error_address (memory_error_address),
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
  );

  localparam logic [1:0] OKAY = 2'b00, DECERR = 2'b11;
  // cfg_fault_side's values, also the sides the E log line names
  localparam logic [1:0] FAULT_DATA_READ = 2'd1, FAULT_DATA_WRITE = 2'd2, FAULT_PROGRAM_READ = 2'd3;

  // The response a memory of `size` bytes gives for the beat at `offset` from its base:
  // DECERR outside it (an address below the base wraps to a large offset: one comparison
  // covers both ends), `fault_response` when the beat holds byte `fault_offset` and the
  // fault is on this side, else OKAY. (Every input an argument: Icarus re-evaluates an
  // assign on its arguments only.)
  function automatic logic [1:0] beat_response(
    input logic [AB-1:0] offset, input int size, input int beat_bytes,
    input logic faulty, input logic [AB-1:0] fault_offset, input logic [1:0] fault_response
  );
    if (offset >= AB'(size)) return DECERR;
    if (faulty && offset / AB'(beat_bytes) == fault_offset / AB'(beat_bytes)) return fault_response;
    return OKAY;
  endfunction

  // Data memory: the 256 bytes at DATA_BASE, one line a beat.
  logic [AB-1:0]   data_read_at, data_write_at;
  logic [LB*8-1:0] data_line, data_write_line;
  logic [LB-1:0]   data_write_strobe;
  logic            data_write_enable;
  logic [1:0]      data_read_response, data_write_response;
  logic            data_port_stalled, program_port_stalled;
  assign data_read_response  = beat_response(data_read_at - AB'(DATA_BASE), 2**DA, LB,
                                             cfg_fault_side == FAULT_DATA_READ, AB'(cfg_fault_address),
                                             cfg_fault_response);
  assign data_write_response = beat_response(data_write_at - AB'(DATA_BASE), 2**DA, LB,
                                             cfg_fault_side == FAULT_DATA_WRITE, AB'(cfg_fault_address),
                                             cfg_fault_response);
  for (genvar b = 0; b < LB; b++) begin : g_data_line
    assign data_line[b*8 +: 8] = data_mem[DA'(data_read_at - AB'(DATA_BASE) + AB'(b))];
  end
  axi_memory_model #(.BUS_BYTES (LB), .ADDR_BITS (AB), .SALT (32'h2000_0000)) u_data_memory (
    .clk (clk), .reset (reset), .latency (cfg_latency), .stall_max (cfg_stall_max), .seed (cfg_seed),
    .arvalid (data_arvalid), .arready (data_arready), .araddr (data_araddr), .arlen (data_arlen),
    .rvalid (data_rvalid), .rready (data_rready), .rdata (data_rdata), .rresp (data_rresp), .rlast (data_rlast),
    .r_held (data_r_held), .b_held (data_b_held),
    .awvalid (data_awvalid), .awready (data_awready), .awaddr (data_awaddr),
    .wvalid (data_wvalid), .wready (data_wready), .wdata (data_wdata), .wstrb (data_wstrb),
    .bvalid (data_bvalid), .bready (data_bready), .bresp (data_bresp),
    .read_address (data_read_at), .read_data (data_line), .read_response (data_read_response),
    .write_enable (data_write_enable), .write_address (data_write_at), .write_data (data_write_line),
    .write_strobe (data_write_strobe), .write_response (data_write_response), .stalled (data_port_stalled)
  );
  always @(posedge clk) begin
    if (data_write_enable && !reset) begin
      for (int b = 0; b < LB; b++) begin
        if (data_write_strobe[b]) data_mem[DA'(data_write_at - AB'(DATA_BASE) + AB'(b))] <= data_write_line[b*8 +: 8];
      end
    end
  end
  assign data_stalled = data_port_stalled;

  // Program memory: the 256 words at PROGRAM_BASE, one word a beat (read only).
  logic [AB-1:0] program_read_at;
  logic [PW-1:0] program_word;
  logic [1:0]    program_read_response;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [AB-1:0] unused_program_write_at;
  logic [PW-1:0] unused_program_write_data;
  logic [1:0]    unused_program_write_strobe, unused_program_bresp;
  logic          unused_program_write_enable, unused_program_awready, unused_program_wready, unused_program_bvalid;
  /* verilator lint_on UNUSEDSIGNAL */
  assign program_read_response = beat_response(program_read_at - AB'(PROGRAM_BASE), 2 * 2**PA, 2,
                                               cfg_fault_side == FAULT_PROGRAM_READ,
                                               AB'(cfg_fault_address) << 1, cfg_fault_response);
  assign program_word    = program_mem[PA'((program_read_at - AB'(PROGRAM_BASE)) >> 1)];
  axi_memory_model #(.BUS_BYTES (2), .ADDR_BITS (AB), .SALT (32'h1000_0000)) u_program_memory (
    .clk (clk), .reset (reset), .latency (cfg_latency), .stall_max (cfg_stall_max), .seed (cfg_seed),
    .arvalid (program_arvalid), .arready (program_arready), .araddr (program_araddr), .arlen (program_arlen),
    .rvalid (program_rvalid), .rready (program_rready), .rdata (program_rdata), .rresp (program_rresp),
    .rlast (program_rlast),
    .r_held (program_r_held), .b_held (),
    .awvalid (1'b0), .awready (unused_program_awready), .awaddr ('0),
    .wvalid (1'b0), .wready (unused_program_wready), .wdata ('0), .wstrb ('0),
    .bvalid (unused_program_bvalid), .bready (1'b1), .bresp (unused_program_bresp),
    .read_address (program_read_at), .read_data (program_word), .read_response (program_read_response),
    .write_enable (unused_program_write_enable), .write_address (unused_program_write_at),
    .write_data (unused_program_write_data), .write_strobe (unused_program_write_strobe),
    .write_response (DECERR), .stalled (program_port_stalled)
  );

  // Sizes that only the AXI masters' protocol checks read.
  logic unused_axi;
  assign unused_axi = ^{data_arsize, data_arburst, data_awlen, data_awsize, data_awburst, data_wlast,
                        program_arsize, program_arburst, program_port_stalled};
`endif

  // ------------------------------------------------------------ run bookkeeping
  logic start_q;
  logic running_q;
  // LSU requests pending right now (counted in a function: see rtl/scheduler.sv on
  // why an always_comb must not read what it writes). Counted at the clock edge, in a
  // stalled cycle, not by an assign: Icarus re-ran the count on every change of any
  // LSU's request, for a number only a stalled cycle's edge reads.
  function automatic logic [7:0] count_set(input logic [NUM_LSUS-1:0] bits);
    logic [7:0] count;
    count = '0;
    for (int i = 0; i < NUM_LSUS; i++) count = count + 8'(bits[i]);
    return count;
  endfunction

  // Requests pending at the LSUs (the trace port's trace_lsu_request).
  logic [NUM_LSUS-1:0] lsu_request;
  assign lsu_request = trace_lsu_request;

  always_ff @(posedge clk) begin
    if (reset) begin
      start_q      <= 1'b0;
      running_q    <= 1'b0;
      cycles       <= '0;
      timed_out    <= 1'b0;
      stall_cycles <= '0;
      max_waiting  <= '0;
    end else begin
      start_q <= start;
      if (start && !start_q && !running_q) begin
        running_q    <= 1'b1;
        cycles       <= '0;
        timed_out    <= 1'b0;
        stall_cycles <= '0;
        max_waiting  <= '0;
      end else if (running_q) begin
        if (done) begin
          running_q <= 1'b0;
        end else begin
          cycles <= cycles + 32'd1;
          if (cycles + 32'd1 >= cfg_max_cycles) timed_out <= 1'b1;
          if (data_stalled) begin
            stall_cycles <= stall_cycles + 32'd1;
            if (count_set(lsu_request) > max_waiting) max_waiting <= count_set(lsu_request);
          end
        end
      end
    end
  end

  // ------------------------------------------------------------ memory events
  // Counted for the functional coverage: merged program reads and streamed fetches.
  logic [31:0] merged_program_reads, back_to_back_fetches;
  logic [PROGRAM_MEM_NUM_CHANNELS-1:0] merged_now;
  logic [NUM_CORES-1:0] fetch_answered_q, fetch_streamed_now;
`ifndef GPU_AXI
  for (genvar k = 0; k < PROGRAM_MEM_NUM_CHANNELS; k++) begin : g_merge_events
    logic [NUM_CORES-1:0] served;
    assign served        = trace_program_owners[k*NUM_CORES +: NUM_CORES];
    assign merged_now[k] = program_mem_read_valid[k] && program_mem_read_ready[k] && (served & (served - 1'b1)) != '0;
  end
`else
  assign merged_now = '0;   // the AXI program port reads a line per core, never merged
`endif
  for (genvar c = 0; c < NUM_CORES; c++) begin : g_fetch_events
    logic valid, ready;
    assign valid = trace_fetch_valid[c];
    assign ready = trace_fetch_ready[c];
    assign fetch_streamed_now[c] = fetch_answered_q[c] && valid;
    always_ff @(posedge clk) fetch_answered_q[c] <= !reset && valid && ready;
  end
  always_ff @(posedge clk) begin
    if (reset || (start && !start_q && !running_q)) begin
      merged_program_reads <= '0;
      back_to_back_fetches <= '0;
    end else if (running_q) begin
      merged_program_reads <= merged_program_reads + 32'(merged_now != '0);
      back_to_back_fetches <= back_to_back_fetches + 32'(fetch_streamed_now != '0);
    end
  end

  // ------------------------------------------------------------ AXI transactions
  // Counted from the AXI signals at the top, as a bus monitor would (the masters are not
  // looked into), for the functional coverage (the M line; tinygpu/func_coverage.py's
  // `axi` group) and the timeline (the A line). Per launch: transactions (address
  // handshakes), writes with some byte strobe low, the most transactions in flight (from
  // the address handshake to the last beat of the answer), cycles a valid waited for its
  // ready (AR, AW, W, program AR) and cycles the slave held back a response that was due
  // (R, B, program R: the masters never drop RREADY or BREADY). tiny-gpu's port has no
  // AXI bus: there they stay 0.
  // (One packed vector, in the M line's order, named by field: zeroed in one statement.)
  typedef struct packed {
    logic [31:0] data_reads, data_writes, partial_strobe_writes;
    logic [31:0] most_data_reads_in_flight, most_data_writes_in_flight;
    logic [31:0] data_ar_waits, data_aw_waits, data_w_waits, program_ar_waits;
    logic [31:0] data_r_holds, data_b_holds, program_r_holds;
  } axi_events_t;
  axi_events_t axi_events;
`ifdef GPU_AXI
  logic [7:0] data_reads_in_flight, data_writes_in_flight, program_bursts_in_flight;
  logic       data_read_sent, data_read_answered, data_write_sent, data_write_answered;
  logic       program_burst_sent, program_burst_answered;
  assign data_read_sent         = data_arvalid && data_arready;
  assign data_read_answered     = data_rvalid && data_rready && data_rlast;
  assign data_write_sent        = data_awvalid && data_awready;
  assign data_write_answered    = data_bvalid && data_bready;
  assign program_burst_sent     = program_arvalid && program_arready;
  assign program_burst_answered = program_rvalid && program_rready && program_rlast;
  // In flight is the bus's state, kept across launches (a burst may outlive one).
  always_ff @(posedge clk) begin
    if (reset) begin
      data_reads_in_flight     <= '0;
      data_writes_in_flight    <= '0;
      program_bursts_in_flight <= '0;
    end else begin
      data_reads_in_flight     <= data_reads_in_flight + 8'(data_read_sent) - 8'(data_read_answered);
      data_writes_in_flight    <= data_writes_in_flight + 8'(data_write_sent) - 8'(data_write_answered);
      program_bursts_in_flight <= program_bursts_in_flight + 8'(program_burst_sent) - 8'(program_burst_answered);
    end
  end
  always_ff @(posedge clk) begin
    if (reset || (start && !start_q && !running_q)) begin
      axi_events <= '0;
    end else if (running_q) begin
      axi_events.data_reads            <= axi_events.data_reads + 32'(data_read_sent);
      axi_events.data_writes           <= axi_events.data_writes + 32'(data_write_sent);
      axi_events.partial_strobe_writes <= axi_events.partial_strobe_writes
                                          + 32'(data_wvalid && data_wready && data_wstrb != '1);
      if (32'(data_reads_in_flight) > axi_events.most_data_reads_in_flight) begin
        axi_events.most_data_reads_in_flight <= 32'(data_reads_in_flight);
      end
      if (32'(data_writes_in_flight) > axi_events.most_data_writes_in_flight) begin
        axi_events.most_data_writes_in_flight <= 32'(data_writes_in_flight);
      end
      axi_events.data_ar_waits    <= axi_events.data_ar_waits + 32'(data_arvalid && !data_arready);
      axi_events.data_aw_waits    <= axi_events.data_aw_waits + 32'(data_awvalid && !data_awready);
      axi_events.data_w_waits     <= axi_events.data_w_waits + 32'(data_wvalid && !data_wready);
      axi_events.program_ar_waits <= axi_events.program_ar_waits + 32'(program_arvalid && !program_arready);
      axi_events.data_r_holds     <= axi_events.data_r_holds + 32'(data_r_held);
      axi_events.data_b_holds     <= axi_events.data_b_holds + 32'(data_b_held);
      axi_events.program_r_holds  <= axi_events.program_r_holds + 32'(program_r_held);
    end
  end
`else
  assign axi_events = '0;
`endif

`ifndef GPU_AXI
  // ------------------------------------------------------------ known outputs
  // After reset every output of the GPU is 0 or 1, in every cycle: an X or Z there (an
  // unreset flop, an undriven net) is a bug even while nothing samples it. Both
  // simulators report $error; the run then fails.
  // (Icarus 11's $isunknown of a concatenation is always true: check a named vector.)
  logic reset_q;
  logic [1 + PROGRAM_MEM_NUM_CHANNELS * (1 + PA) + DATA_MEM_NUM_CHANNELS * (2 + 2 * DA + DW) - 1:0] gpu_outputs;
  assign gpu_outputs = {done, program_mem_read_valid, program_mem_read_address, data_mem_read_valid,
                        data_mem_read_address, data_mem_write_valid, data_mem_write_address,
                        data_mem_write_data};
  always_ff @(posedge clk) reset_q <= reset;
  always @(posedge clk) begin
    if (!reset && !reset_q && $isunknown(gpu_outputs)) begin
      $error("a gpu output is X or Z after reset (cycle %0d): program %b/%h data %b/%h %b/%h/%h",
             cycles, program_mem_read_valid, program_mem_read_address, data_mem_read_valid,
             data_mem_read_address, data_mem_write_valid, data_mem_write_address,
             data_mem_write_data);
    end
  end

  // ------------------------------------------------------------ waveform view
  // One signal per channel and per thread, for the GTKWave save file (make waves):
  // Icarus dumps a packed 2-D array as one wide vector and Verilator as an array of
  // elements, and the channel ports are flat vectors; these copies give both
  // simulators the same name for each element. Nothing reads them.
  for (genvar k = 0; k < PROGRAM_MEM_NUM_CHANNELS; k++) begin : g_view_program
    logic          read_valid, read_ready;
    logic [PA-1:0] read_address;
    logic [PW-1:0] read_data;
    logic [1:0]    state;
    logic [NUM_CORES-1:0] serving;
    assign read_valid   = program_mem_read_valid[k];
    assign read_ready   = program_mem_read_ready[k];
    assign read_address = program_mem_read_address[k*PA +: PA];
    assign read_data    = program_mem_read_data[k*PW +: PW];
    assign state        = trace_program_channel_state[k*2 +: 2];
    assign serving      = trace_program_owners[k*NUM_CORES +: NUM_CORES];
  end
  for (genvar k = 0; k < DATA_MEM_NUM_CHANNELS; k++) begin : g_view_data
    logic          read_valid, read_ready, write_valid, write_ready;
    logic [DA-1:0] read_address, write_address;
    logic [DW-1:0] read_data, write_data;
    logic [1:0]    state;
    logic [NUM_LSUS-1:0] serving;
    assign read_valid    = data_mem_read_valid[k];
    assign read_ready    = data_mem_read_ready[k];
    assign read_address  = data_mem_read_address[k*DA +: DA];
    assign read_data     = data_mem_read_data[k*DW +: DW];
    assign write_valid   = data_mem_write_valid[k];
    assign write_ready   = data_mem_write_ready[k];
    assign write_address = data_mem_write_address[k*DA +: DA];
    assign write_data    = data_mem_write_data[k*DW +: DW];
    assign state         = trace_data_channel_state[k*2 +: 2];
    assign serving       = trace_data_owners[k*NUM_LSUS +: NUM_LSUS];
  end
`else
  // ------------------------------------------------------------ known outputs
  // After reset every output of the GPU is 0 or 1, in every cycle (as above, for gpu_axi).
  logic reset_q;
  logic [11 + 4 * AB + LB * 8 + LB - 1:0] gpu_outputs;
  assign gpu_outputs = {done, data_arvalid, data_araddr, data_rready, data_awvalid, data_awaddr,
                        data_wvalid, data_wdata, data_wstrb, data_bready, program_arvalid,
                        program_araddr, program_rready, memory_error, memory_error_program,
                        memory_error_write, memory_error_address};
  always_ff @(posedge clk) reset_q <= reset;
  always @(posedge clk) begin
    if (!reset && !reset_q && $isunknown(gpu_outputs)) begin
      $error("a gpu output is X or Z after reset (cycle %0d): %b", cycles, gpu_outputs);
    end
  end

`endif
  for (genvar c = 0; c < NUM_CORES; c++) begin : g_view_core
    logic [2:0] activity;  // a plain vector: GTKWave's filter names it (Verilator dumps enums typed)
    assign activity = trace_activity[c*3 +: 3];
    for (genvar w = 0; w < WARPS_PER_CORE; w++) begin : g_warp
      for (genvar t = 0; t < THREADS_PER_BLOCK; t++) begin : g_thread
        logic [PA-1:0] pc;
        assign pc = trace_thread_pc[((c * WARPS_PER_CORE + w) * THREADS_PER_BLOCK + t) * PA +: PA];
      end
    end
  end

  // ------------------------------------------------------------ logs and waves
  integer commit_fd = 0;
  integer trace_fd  = 0;
  string  path;

  initial begin
    if (!$value$plusargs("memory_dir=%s", memory_dir)) memory_dir = ".";
    if ($value$plusargs("commit_file=%s", path)) begin
      commit_fd = $fopen(path, "w");
      $fwrite(commit_fd, "F %0h %0h\n", COMMIT_BITS, PERF_BITS);
    end
    if ($value$plusargs("trace_file=%s", path))  trace_fd  = $fopen(path, "w");
    if ($value$plusargs("wave_file=%s", path)) begin
      $dumpfile(path);
      $dumpvars(0, gpu_harness);
    end
  end

  always @(posedge clk) begin
    if (!reset && running_q && commit_fd != 0) begin
      for (int c = 0; c < NUM_CORES; c++) begin
        for (int s = 0; s < CORE_LSUS; s++) begin
          if (trace_commit_valid[c*CORE_LSUS + s]) begin
            $fwrite(commit_fd, "C %0h %0h %0h %0h %0h %b\n", cfg_job, cycles, c, s / THREADS_PER_BLOCK,
                    s % THREADS_PER_BLOCK, trace_commit[(c*CORE_LSUS + s)*COMMIT_BITS +: COMMIT_BITS]);
          end
        end
      end
      if (done) begin
        $fwrite(commit_fd, "M %0h %0h %0h %0h %0h %0h %0h %0h %0h %0h %0h %0h %0h %0h %0h\n", cfg_job,
                merged_program_reads, back_to_back_fetches, axi_events.data_reads, axi_events.data_writes,
                axi_events.partial_strobe_writes, axi_events.most_data_reads_in_flight,
                axi_events.most_data_writes_in_flight, axi_events.data_ar_waits, axi_events.data_aw_waits,
                axi_events.data_w_waits, axi_events.program_ar_waits, axi_events.data_r_holds,
                axi_events.data_b_holds, axi_events.program_r_holds);
        for (int c = 0; c < NUM_CORES; c++) begin
          $fwrite(commit_fd, "P %0h %0h %b\n", cfg_job, c, trace_counters[c*PERF_BITS +: PERF_BITS]);
        end
`ifdef GPU_AXI
        if (memory_error) begin
          $fwrite(commit_fd, "E %0h %0h %0h\n", cfg_job,
                  memory_error_program ? FAULT_PROGRAM_READ : memory_error_write ? FAULT_DATA_WRITE : FAULT_DATA_READ,
                  memory_error_address);
        end
`endif
      end
    end
    if (!reset && running_q && trace_fd != 0) begin
      for (int c = 0; c < NUM_CORES; c++) begin
        $fwrite(trace_fd, "T %0h %0h %0h %0h %0h %0h %0h %0h\n", cfg_job, cycles, c,
                trace_activity[c*3 +: 3], trace_exec_warp[c*8 +: 8], trace_exec_pc[c*PA +: PA],
                trace_exec_instr[c*PW +: PW], trace_exec_active[c*THREADS_PER_BLOCK +: THREADS_PER_BLOCK]);
      end
`ifdef GPU_AXI
      $fwrite(trace_fd, "A %0h %0h %0h %0h %0h\n", cfg_job, cycles, data_reads_in_flight, data_writes_in_flight,
              program_bursts_in_flight);
`endif
    end
  end

  final begin
    if (commit_fd != 0) $fclose(commit_fd);
    if (trace_fd != 0)  $fclose(trace_fd);
  end

endmodule
