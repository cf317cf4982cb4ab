// SPDX-License-Identifier: MIT
// core: runs up to WARPS_PER_CORE blocks at once, one instruction per cycle.
//
//   ISSUE    scheduler.sv picks a ready warp whose next instruction is in the
//            instruction cache and reads the word (instruction_supply.sv: icache.sv,
//            filled by fetcher.sv from program memory).
//   EXECUTE  here: the word is decoded, each lane (one per thread of a block) reads the
//            executing warp's registers, computes in its ALU, and writes back; branches
//            and CMP go through the lane's PC unit. LDR/STR start the warp's load/store
//            units instead, and the warp goes on with what does not need them (the
//            scoreboard in warp.sv; other warps issue too); when memory has answered
//            every thread, the loaded values are written back. LDS/STS read or
//            write the warp's shared memory in this stage, like an ALU operation
//            (a bank conflict holds the stage a cycle per extra access).
//
// Each warp has its own registers, NZP flags, load/store unit per thread and
// SHARED_MEM_BYTES of shared memory: a block's state lives in its warp slot from start
// to finish, so blocks never share anything. The lanes' ALUs are shared: one warp
// executes at a time.
//
// The parts, each in a module of its own: each thread's registers, PC unit and LSU
// (thread_context.sv), shared memory in banks, with its bank-conflict replays
// (shared_memory.sv), coalesced loads (load_coalescer.sv: one read per address), and
// the load or store each warp has out (memory_tracker.sv).
//
// Everything a simulation observes (commit records, performance counters, what the
// core does each cycle) is built outside this datapath, by commit_capture.sv and
// core_activity.sv, and leaves through the trace port, which exists only when GPU_TRACE
// is defined (gpu.sv): synthesis sees none of it.
//
// Vectors indexed by warp and thread use index w * THREADS_PER_BLOCK + t: the thread's
// "slot". (A slot holds one thread; a warp holds one block.)
`default_nettype none

module core
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 4,
  parameter int WARPS             = 2,
  parameter int ICACHE_LINES      = 32,
  parameter int SHARED_MEM_BYTES  = 64,   // per warp (block); a power of two, 1..256
  parameter int COUNT_BITS        = $clog2(THREADS_PER_BLOCK + 1),
  parameter int SLOTS             = WARPS * THREADS_PER_BLOCK,
  parameter int WARP_BITS         = (WARPS > 1) ? $clog2(WARPS) : 1
) (
  input  logic                          clk,
  input  logic                          reset,
  input  logic                          launch,              // a kernel starts
  // block handshake with the dispatcher, one per warp
  input  logic [WARPS-1:0]              block_start,
  input  logic [DATA_BITS-1:0]          block_idx_in,
  input  logic [COUNT_BITS-1:0]         block_thread_count,
  output logic [WARPS-1:0]              block_idle,
  output logic [WARPS-1:0]              block_done,
  // program memory: one requester, the fetcher
  output logic                          program_mem_read_valid,
  output logic [PC_BITS-1:0]            program_mem_read_address,
  input  logic                          program_mem_read_ready,
  input  logic [INSTR_BITS-1:0]         program_mem_read_data,
  // data memory: one requester per warp and thread (its load/store unit)
  output logic [SLOTS-1:0]                             data_mem_read_valid,
  output logic [SLOTS-1:0][DATA_BITS-1:0]              data_mem_read_address,
  input  logic [SLOTS-1:0]                             data_mem_read_ready,
  input  logic [SLOTS-1:0][DATA_BITS-1:0]              data_mem_read_data,
  output logic [SLOTS-1:0]                             data_mem_write_valid,
  output logic [SLOTS-1:0][DATA_BITS-1:0]              data_mem_write_address,
  output logic [SLOTS-1:0][DATA_BITS-1:0]              data_mem_write_data,
  input  logic [SLOTS-1:0]                             data_mem_write_ready
`ifdef GPU_TRACE
  ,
  // trace port: what the core did (commit_capture.sv, core_activity.sv)
  output logic [SLOTS-1:0]                             trace_commit_valid,
  output logic [SLOTS*COMMIT_BITS-1:0]                 trace_commit,      // slot s at [s*COMMIT_BITS +: COMMIT_BITS]
  output perf_t                                        trace_counters,
  output logic [2:0]                                   trace_activity,    // core_activity.activity_e
  output logic [WARP_BITS-1:0]                         trace_exec_warp,   // the instruction in EXECUTE:
  output logic [PC_BITS-1:0]                           trace_exec_pc,     //   its warp, PC, word
  output logic [INSTR_BITS-1:0]                        trace_exec_instr,  //   and active threads
  output logic [THREADS_PER_BLOCK-1:0]                 trace_exec_active,
  output logic [SLOTS*PC_BITS-1:0]                     trace_thread_pc    // each thread's PC
`endif
);

  localparam int LANE_BITS = (THREADS_PER_BLOCK > 1) ? $clog2(THREADS_PER_BLOCK) : 1;

  // ------------------------------------------------------------ issue
  logic [WARPS-1:0]                   clear_warp;
  logic [WARPS-1:0][DATA_BITS-1:0]    block_idx;
  logic [WARPS-1:0][PC_BITS-1:0]      warp_pc;
  logic [WARPS-1:0]                   warp_pc_cached;
  logic [WARPS-1:0]                   warp_pc_blocks;
  logic [WARPS-1:0]                   warp_pc_jumps;
  logic [PC_BITS-1:0]                 scoreboard_pc;
  logic                               scoreboard_waits_memory;
  logic [NUM_WRITABLE_REGS-1:0]       scoreboard_registers;
  logic                               demand_valid;
  logic [PC_BITS-1:0]                 demand_pc;
  logic [PC_BITS-1:0]                 last_issue_pc;
  logic [PC_BITS-1:0]                 issue_pc;
  logic                               exec_valid;
  logic [WARP_BITS-1:0]               exec_warp;
  logic [PC_BITS-1:0]                 exec_pc;
  logic [INSTR_BITS-1:0]              instruction;
  decoded_instr_t                     decoded;
  logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] next_pc;
  logic [THREADS_PER_BLOCK-1:0]       exec_active;
  logic [WARPS-1:0]                   mem_complete;
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] mem_active;
  logic [WARPS-1:0]                   mem_waiting;
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] exec_commit;
  logic                               exec_is_memory;
  logic                               exec_hold;    // EXECUTE replays its LDS/STS next cycle
  logic [THREADS_PER_BLOCK-1:0]       exec_retire;  // of its active threads, those retiring now
  // What the trace logic observes (GPU_TRACE); without it nothing reads these and
  // synthesis removes them.
  /* verilator lint_off UNUSEDSIGNAL */
  logic                               issue_valid;
  logic [WARP_BITS-1:0]               issue_warp;
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] commit_mask;
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] released;
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] barrier_waiting;
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] live_mask;
  logic [WARPS-1:0][THREADS_PER_BLOCK*PC_BITS-1:0] pc_written;
  logic [WARPS-1:0][THREADS_PER_BLOCK*PC_BITS-1:0] thread_pc;
  logic                               demand_fill;
  logic [SLOTS-1:0][NZP_BITS-1:0]      slot_nzp_stored;
  logic [SLOTS-1:0]                   slot_rd_written;
  logic [SLOTS-1:0][REG_ADDR_BITS-1:0] slot_rd_index;
  logic [SLOTS-1:0][DATA_BITS-1:0]    slot_rd_value;
  /* verilator lint_on UNUSEDSIGNAL */

  assign exec_is_memory = decoded.is_load || decoded.is_store;

  scheduler #(
    .THREADS_PER_BLOCK (THREADS_PER_BLOCK),
    .WARPS             (WARPS)
  ) u_scheduler (
    .clk                (clk),
    .reset              (reset),
    .block_start        (block_start),
    .block_idx_in       (block_idx_in),
    .block_thread_count (block_thread_count),
    .block_idle         (block_idle),
    .block_done         (block_done),
    .block_idx          (block_idx),
    .clear_warp         (clear_warp),
    .warp_pc            (warp_pc),
    .warp_pc_cached     (warp_pc_cached),
    .warp_pc_blocks     (warp_pc_blocks),
    .warp_pc_jumps      (warp_pc_jumps),
    .scoreboard_pc           (scoreboard_pc),
    .scoreboard_waits_memory (scoreboard_waits_memory),
    .scoreboard_registers    (scoreboard_registers),
    .demand_valid       (demand_valid),
    .demand_pc          (demand_pc),
    .last_issue_pc      (last_issue_pc),
    .issue_valid        (issue_valid),
    .issue_warp         (issue_warp),
    .issue_pc           (issue_pc),
    .exec_valid         (exec_valid),
    .exec_warp          (exec_warp),
    .exec_pc            (exec_pc),
    .exec_is_memory     (exec_is_memory),
    .exec_is_load       (decoded.is_load),
    .exec_rd            (decoded.rd),
    .exec_is_ret        (decoded.is_ret),
    .exec_is_barrier    (decoded.is_barrier),
    .exec_hold          (exec_hold),
    .exec_retire        (exec_retire),
    .next_pc            (next_pc),
    .exec_active        (exec_active),
    .mem_complete       (mem_complete),
    .mem_active         (mem_active),
    .mem_waiting        (mem_waiting),
    .exec_commit        (exec_commit),
    .commit_mask        (commit_mask),
    .released           (released),
    .barrier_waiting    (barrier_waiting),
    .live_mask          (live_mask),
    .pc_written         (pc_written),
    .thread_pc          (thread_pc)
  );

  // ------------------------------------------------------------ instruction supply
  instruction_supply #(
    .LINES (ICACHE_LINES),
    .WARPS (WARPS)
  ) u_supply (
    .clk                     (clk),
    .reset                   (reset),
    .launch                  (launch),
    .warp_pc                 (warp_pc),
    .warp_pc_cached          (warp_pc_cached),
    .warp_pc_blocks          (warp_pc_blocks),
    .warp_pc_jumps           (warp_pc_jumps),
    .scoreboard_pc           (scoreboard_pc),
    .scoreboard_waits_memory (scoreboard_waits_memory),
    .scoreboard_registers    (scoreboard_registers),
    .issue_pc                (issue_pc),
    .hold                    (exec_hold),
    .instruction             (instruction),
    .demand_valid            (demand_valid),
    .demand_pc               (demand_pc),
    .last_issue_pc           (last_issue_pc),
    .demand_fill             (demand_fill),
    .mem_read_valid          (program_mem_read_valid),
    .mem_read_address        (program_mem_read_address),
    .mem_read_ready          (program_mem_read_ready),
    .mem_read_data           (program_mem_read_data)
  );

  decoder u_decoder (
    .instruction (instruction),
    .decoded     (decoded)
  );

  // ------------------------------------------------------------ per warp and thread state
  // Each thread's registers, NZP flags and load/store unit (thread_context.sv); the
  // executing warp's are selected for the lanes below.
  logic [SLOTS-1:0][DATA_BITS-1:0]  slot_rs_value, slot_rt_value;
  logic [SLOTS-1:0][PC_BITS-1:0]    slot_next_pc;
  logic [SLOTS-1:0]                 slot_lsu_done;      // idle, or answered now
  logic [SLOTS-1:0][DATA_BITS-1:0]  slot_load_result;   // the byte its last load returned
  // Lane values of the executing warp.
  logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0] rs_value, rt_value, alu_result, lane_value;
  logic [THREADS_PER_BLOCK-1:0][NZP_BITS-1:0]  compare_nzp;
  // Coalescing: the lane whose read serves each lane's load (itself if it leads).
  logic [THREADS_PER_BLOCK-1:0][LANE_BITS-1:0] load_source;
  logic [THREADS_PER_BLOCK-1:0]                load_leader;

  load_coalescer #(
    .LANES (THREADS_PER_BLOCK)
  ) u_coalescer (
    .active  (exec_active),
    .address (rs_value),
    .source  (load_source),
    .leader  (load_leader)
  );

  // ------------------------------------------------------------ shared memory
  // A bank conflict holds EXECUTE (`exec_hold`: nothing issues, the word stays) and
  // replays the LDS/STS for the lanes left over; the lanes served retire now.
  logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0] shared_read_data;
  /* verilator lint_off UNUSEDSIGNAL */  // read by the trace logic (GPU_TRACE) alone
  logic [THREADS_PER_BLOCK-1:0]                shared_read, shared_write;  // lanes served now
  logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0] shared_address;
  /* verilator lint_on UNUSEDSIGNAL */

  shared_memory #(
    .LANES (THREADS_PER_BLOCK),
    .WARPS (WARPS),
    .BYTES (SHARED_MEM_BYTES)
  ) u_shared_memory (
    .clk          (clk),
    .reset        (reset),
    .warp         (exec_warp),
    .load         (exec_valid && decoded.is_shared_load),
    .store        (exec_valid && decoded.is_shared_store),
    .active       (exec_active),
    .rs_value     (rs_value),
    .rt_value     (rt_value),
    .read         (shared_read),
    .write        (shared_write),
    .lane_address (shared_address),
    .read_data    (shared_read_data),
    .hold         (exec_hold),
    .retire       (exec_retire)
  );

  // The memory instruction each warp has out (memory_tracker.sv).
  logic [WARPS-1:0]                                   mem_is_load_q;
  logic [WARPS-1:0][REG_ADDR_BITS-1:0]                mem_rd_q;
  logic [WARPS-1:0][THREADS_PER_BLOCK*LANE_BITS-1:0]  mem_source_q;

  memory_tracker #(
    .THREADS_PER_BLOCK (THREADS_PER_BLOCK),
    .WARPS             (WARPS)
  ) u_memory_tracker (
    .clk          (clk),
    .reset        (reset),
    .exec_valid   (exec_valid),
    .exec_warp    (exec_warp),
    .exec_pc      (exec_pc),
    .decoded      (decoded),
    .exec_active  (exec_active),
    .load_leader  (load_leader),
    .load_source  (load_source),
    .mem_waiting  (mem_waiting),
    .lsu_done     (slot_lsu_done),
    .lsu_request  (data_mem_read_valid | data_mem_write_valid),
    .mem_complete (mem_complete),
    .mem_is_load  (mem_is_load_q),
    .mem_rd       (mem_rd_q),
    .mem_source   (mem_source_q)
  );

  for (genvar w = 0; w < WARPS; w++) begin : g_warps
    logic executing;  // this warp's instruction is in EXECUTE
    assign executing = exec_valid && (int'(exec_warp) == w);

    for (genvar t = 0; t < THREADS_PER_BLOCK; t++) begin : g_threads
      localparam int SLOT = w * THREADS_PER_BLOCK + t;
      logic [LANE_BITS-1:0] source;   // the lane whose read serves this thread's load
      assign source = mem_source_q[w][t*LANE_BITS +: LANE_BITS];

      thread_context #(
        .THREAD_IDX (t),
        .BLOCK_DIM  (THREADS_PER_BLOCK)
      ) u_thread (
        .clk               (clk),
        .reset             (reset),
        .clear             (clear_warp[w]),
        .block_idx         (block_idx[w]),
        .decoded           (decoded),
        .exec_pc           (exec_pc),
        .exec_commit       (exec_commit[w][t]),
        .lane_value        (lane_value[t]),
        .compare_nzp       (compare_nzp[t]),
        .rs_value          (slot_rs_value[SLOT]),
        .rt_value          (slot_rt_value[SLOT]),
        .next_pc           (slot_next_pc[SLOT]),
        .start_load        (executing && exec_active[t] && decoded.is_load && load_leader[t]),
        .start_store       (executing && exec_active[t] && decoded.is_store),
        .address           (rs_value[t]),
        .store_data        (rt_value[t]),
        .load_complete     (mem_complete[w] && mem_active[w][t] && mem_is_load_q[w]),
        .load_rd           (mem_rd_q[w]),
        .load_value        (slot_load_result[w*THREADS_PER_BLOCK + int'(source)]),
        .lsu_done          (slot_lsu_done[SLOT]),
        .load_result       (slot_load_result[SLOT]),
        .mem_read_valid    (data_mem_read_valid[SLOT]),
        .mem_read_address  (data_mem_read_address[SLOT]),
        .mem_read_ready    (data_mem_read_ready[SLOT]),
        .mem_read_data     (data_mem_read_data[SLOT]),
        .mem_write_valid   (data_mem_write_valid[SLOT]),
        .mem_write_address (data_mem_write_address[SLOT]),
        .mem_write_data    (data_mem_write_data[SLOT]),
        .mem_write_ready   (data_mem_write_ready[SLOT]),
        .rd_written        (slot_rd_written[SLOT]),
        .rd_index          (slot_rd_index[SLOT]),
        .rd_value          (slot_rd_value[SLOT]),
        .nzp_stored        (slot_nzp_stored[SLOT])
      );
    end
  end

  // ------------------------------------------------------------ lanes (EXECUTE)
  // Each lane reads the executing warp's thread t and computes its result: the ALU's,
  // the CONST's immediate, or the byte its LDS read.
  for (genvar t = 0; t < THREADS_PER_BLOCK; t++) begin : g_lanes
    assign rs_value[t]   = slot_rs_value[int'(exec_warp) * THREADS_PER_BLOCK + t];
    assign rt_value[t]   = slot_rt_value[int'(exec_warp) * THREADS_PER_BLOCK + t];
    assign next_pc[t]    = slot_next_pc[int'(exec_warp) * THREADS_PER_BLOCK + t];
    assign lane_value[t] = (decoded.rd_source == RD_FROM_IMM)    ? decoded.imm8
                         : (decoded.rd_source == RD_FROM_SHARED) ? shared_read_data[t]
                         : alu_result[t];

    alu u_alu (
      .op          (decoded.alu_op),
      .rs_value    (rs_value[t]),
      .rt_value    (rt_value[t]),
      .result      (alu_result[t]),
      .compare_nzp (compare_nzp[t])
    );
  end

`ifdef GPU_TRACE
  // ------------------------------------------------------------ trace port

  commit_capture #(
    .THREADS_PER_BLOCK (THREADS_PER_BLOCK),
    .WARPS             (WARPS)
  ) u_commit_capture (
    .clk               (clk),
    .reset             (reset),
    .clear_warp        (clear_warp),
    .block_idx         (block_idx),
    .exec_valid        (exec_valid),
    .exec_warp         (exec_warp),
    .exec_pc           (exec_pc),
    .instruction       (instruction),
    .exec_is_memory    (exec_is_memory),
    .exec_is_barrier   (decoded.is_barrier),
    .exec_hold         (exec_hold),
    .exec_active       (exec_active),
    .exec_commit       (exec_commit),
    .commit_mask       (commit_mask),
    .released          (released),
    .mem_complete      (mem_complete),
    .mem_active        (mem_active),
    .mem_is_load       (mem_is_load_q),
    .mem_source        (mem_source_q),
    .pc_written        (pc_written),
    .nzp_stored        (slot_nzp_stored),
    .rd_written        (slot_rd_written),
    .rd_index          (slot_rd_index),
    .rd_value          (slot_rd_value),
    .mem_read_valid    (data_mem_read_valid),
    .mem_read_address  (data_mem_read_address),
    .mem_read_ready    (data_mem_read_ready),
    .mem_read_data     (data_mem_read_data),
    .mem_write_valid   (data_mem_write_valid),
    .mem_write_address (data_mem_write_address),
    .mem_write_data    (data_mem_write_data),
    .mem_write_ready   (data_mem_write_ready),
    .shared_read       (shared_read),
    .shared_write      (shared_write),
    .shared_address    (shared_address),
    .shared_read_data  (shared_read_data),
    .shared_write_data (rt_value),
    .commit_valid      (trace_commit_valid),
    .commit_records    (trace_commit)
  );

  core_activity #(
    .THREADS_PER_BLOCK (THREADS_PER_BLOCK),
    .WARPS             (WARPS)
  ) u_activity (
    .clk             (clk),
    .reset           (reset),
    .launch          (launch),
    .block_idle      (block_idle),
    .demand_valid    (demand_valid),
    .demand_fill     (demand_fill),
    .mem_waiting     (mem_waiting),
    .exec_valid      (exec_valid),
    .exec_warp       (exec_warp),
    .exec_is_load    (decoded.is_load),
    .exec_is_memory  (exec_is_memory),
    .exec_hold       (exec_hold),
    .exec_active     (exec_active),
    .load_leader     (load_leader),
    .live_mask       (live_mask),
    .commit_mask     (commit_mask),
    .barrier_waiting (barrier_waiting),
    .shared_read     (shared_read),
    .shared_write    (shared_write),
    .activity        (trace_activity),
    .counters        (trace_counters)
  );

  assign trace_exec_warp   = exec_warp;
  assign trace_exec_pc     = exec_pc;
  assign trace_exec_instr  = instruction;
  assign trace_exec_active = exec_active;
  assign trace_thread_pc   = thread_pc;
`endif

endmodule
