// SPDX-License-Identifier: MIT
// harness_main_icarus: gpu_harness driven by SystemVerilog alone, for a pure Icarus run.
//
// What harness_main.cpp is for Verilator, this module is for Icarus: the top level of a
// stand-alone simulation (iverilog ... -s harness_main_icarus; vvp sim.vvp +plusargs),
// without cocotb and without VPI, so that `make bench` can time Icarus itself and not
// the Python that drives it. It runs the same jobs (the same program/data hex files and
// harness plusargs) through the same port writes per job as harness_main.cpp and
// tinygpu/cocotb_gpu.py (reset, load_memories, thread count, start until done,
// dump_memory), so it counts the same cycles and writes the same commit log
// (tb/test_pure_build.py checks both).
//
// Plusargs, besides the harness's own (+memory_dir=, +commit_file=, ...):
//   +jobs=N                        run jobs 0..N-1 (files jobI_program.hex, jobI_data.hex)
//   +threads= +latency= +stall_max= +seed= +max_cycles=   the settings of every job
// Prints one line per job: "job I cycles C timed_out T done D" (decimal).
// A missing plusarg is reported with $fatal (the runner sees the error line).
//
// The parameters are gpu_harness's, passed down: Icarus sets parameters (-P) of a root
// module only. Inputs change half a period away from the rising edge (right after the
// falling one), so no write races the edge that samples it.
`default_nettype none

module harness_main_icarus #(
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
);

  localparam int HALF_PERIOD_NS = 5;  // cocotb_gpu.py's clock: 10 ns

  logic        clk = 1'b0;
  logic        reset = 1'b1;
  logic        start = 1'b0;
  logic        device_control_write_enable = 1'b0;
  logic [7:0]  device_control_data = '0;
  logic        done;
  logic [7:0]  cfg_latency, cfg_stall_max;
  logic [31:0] cfg_seed, cfg_max_cycles;
  logic [15:0] cfg_job = '0;
  logic        load_memories = 1'b0, dump_memory = 1'b0;
  logic [31:0] cycles, stall_cycles;
  logic        timed_out;
  logic [7:0]  max_waiting;

  gpu_harness #(
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
  ) u_harness (
    .clk                         (clk),
    .reset                       (reset),
    .start                       (start),
    .device_control_write_enable (device_control_write_enable),
    .device_control_data         (device_control_data),
    .done                        (done),
    .cfg_latency                 (cfg_latency),
    .cfg_stall_max               (cfg_stall_max),
    .cfg_seed                    (cfg_seed),
    .cfg_max_cycles              (cfg_max_cycles),
    .cfg_job                     (cfg_job),
    .cfg_fault_side              (2'd0),   // no error injected
    .cfg_fault_response          (2'd0),
    .cfg_fault_address           (8'd0),
    .load_memories               (load_memories),
    .dump_memory                 (dump_memory),
    .cycles                      (cycles),
    .timed_out                   (timed_out),
    .stall_cycles                (stall_cycles),
    .max_waiting                 (max_waiting)
  );

  // The number of a required +name=value plusarg (`format` is "name=%d").
  function automatic longint unsigned plusarg(input string format);
    longint unsigned value;
    if (!$value$plusargs(format, value)) $fatal(1, "harness_main_icarus: missing plusarg +%s", format);
    return value;
  endfunction

  // One clock period: the rising edge, then the falling edge. Inputs written between two
  // calls are sampled at the next rising edge, as cocotb's writes are.
  task automatic cycle;
    #HALF_PERIOD_NS clk = 1'b1;
    #HALF_PERIOD_NS clk = 1'b0;
  endtask

  task automatic reset_gpu;  // cocotb_gpu.reset_gpu
    reset = 1'b1;
    start = 1'b0;
    device_control_write_enable = 1'b0;
    cycle();
    cycle();
    reset = 1'b0;
  endtask

  // cocotb_gpu.run_job for a job with the default flags (reset first, thread count
  // written, no abort); prints the job's line. (The pulses of load_memories and
  // dump_memory are cocotb_gpu.pulse written out: a task cannot take a variable by ref
  // in Icarus 11.)
  task automatic run_job(input int unsigned job, input logic [7:0] threads, input longint unsigned max_cycles);
    cfg_job = job[15:0];
    reset_gpu();
    load_memories = 1'b1;
    cycle();
    load_memories = 1'b0;
    cycle();
    device_control_write_enable = 1'b1;
    device_control_data = threads;
    cycle();
    device_control_write_enable = 1'b0;
    start = 1'b1;
    cycle();  // the launch edge
    // The harness raises timed_out after max_cycles; the guard only stops a harness that
    // stops counting (cocotb_gpu.py's Timer).
    for (longint unsigned guard = 0; !done && !timed_out && guard < max_cycles + 1000; guard++) begin
      cycle();
    end
    start = 1'b0;
    $display("job %0d cycles %0d timed_out %0d done %0d", job, cycles, timed_out, done);
    dump_memory = 1'b1;
    cycle();
    dump_memory = 1'b0;
  endtask

  initial begin
    longint unsigned jobs, threads, max_cycles;
    jobs       = plusarg("jobs=%d");
    threads    = plusarg("threads=%d");
    max_cycles = plusarg("max_cycles=%d");
    cfg_latency    = 8'(plusarg("latency=%d"));
    cfg_stall_max  = 8'(plusarg("stall_max=%d"));
    cfg_seed       = 32'(plusarg("seed=%d"));
    cfg_max_cycles = 32'(max_cycles);
    for (longint unsigned job = 0; job < jobs; job++) begin
      run_job(32'(job), 8'(threads), max_cycles);
    end
    $finish;
  end

endmodule
