// core: runs up to WARPS_PER_CORE blocks at once, one instruction per cycle.
//
//   ISSUE    scheduler.sv picks a ready warp whose next instruction is in the
//            instruction cache (icache.sv) and reads the word; fetcher.sv fills the cache
//            from program memory (demand misses first, then read-ahead).
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
// Shared memory is in banks (shared_memory.sv), one byte per bank per cycle: an LDS or
// STS takes one cycle when its lanes pick different banks (or, for LDS, the same byte),
// and EXECUTE replays it for the lanes left over when two pick different bytes of one
// bank (a bank conflict). Threads of one STS that write the same byte: the highest
// lane's byte is stored (a race the model reports; the result is undefined in the ISA).
//
// Loads are coalesced: threads of one LDR that read the same address are served by one
// memory read (the first such thread's), and every one of them gets the byte.
//
// The commit_* outputs describe what retires in each cycle, per warp, as effects (the
// way RVFI does for RISC-V cores): which threads retire, the instruction, and per thread
// what the hardware actually did: the register file's write (enable, index, value, taken
// at its write port), the NZP the PC unit's flops take, the PC the warp's flops take,
// the data-memory request its load/store unit put on the core's port (captured at
// the valid/ready handshake: direction, address, data written or returned), the access
// its lane made at the shared memory's port, and whether it left a barrier. A thread
// retires at most one instruction per cycle. Not always in program order: a load or
// store retires when memory has answered, after the independent instructions its warp
// went on with; so each record carries its instruction's order number in the warp's
// stream (`commit_order`, as RVFI's rvfi_order), by which the checker puts each
// thread's records back in program order. Nothing in the GPU uses
// these outputs: the simulation harness logs them and the golden model is compared with
// every field. In synthesis they drive nothing and vanish.
//
// Vectors indexed by warp and thread use index w * THREADS_PER_BLOCK + t ("slot").
`default_nettype none

module core
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 4,
  parameter int WARPS             = 2,
  parameter int ICACHE_LINES      = 32,
  parameter int SHARED_MEM_BYTES  = 64,   // per warp (block); a power of two, 1..256
  parameter int COUNT_BITS        = $clog2(THREADS_PER_BLOCK + 1),
  parameter int SLOTS             = WARPS * THREADS_PER_BLOCK
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
  input  logic [SLOTS-1:0]                             data_mem_write_ready,
  // commit port (simulation only; see the header)
  output logic [SLOTS-1:0]                             commit_valid,
  output logic [SLOTS-1:0][PC_BITS-1:0]                commit_pc,
  output logic [SLOTS-1:0][INSTR_BITS-1:0]             commit_instr,
  output logic [WARPS-1:0][DATA_BITS-1:0]              commit_block_idx,
  output logic [SLOTS-1:0][PC_BITS-1:0]                commit_next_pc,
  output logic [SLOTS-1:0][NZP_BITS-1:0]               commit_nzp,
  output logic [SLOTS-1:0]                             commit_rd_written,
  output logic [SLOTS-1:0][REG_ADDR_BITS-1:0]          commit_rd,
  output logic [SLOTS-1:0][DATA_BITS-1:0]              commit_rd_value,
  output logic [SLOTS-1:0]                             commit_mem_read,   // a read was answered
  output logic [SLOTS-1:0]                             commit_mem_write,  // a write was answered
  output logic [SLOTS-1:0][DATA_BITS-1:0]              commit_mem_address,
  output logic [SLOTS-1:0][DATA_BITS-1:0]              commit_mem_data,   // read: returned; write: sent
  output logic [SLOTS-1:0]                             commit_shared_read,
  output logic [SLOTS-1:0]                             commit_shared_write,
  output logic [SLOTS-1:0][DATA_BITS-1:0]              commit_shared_address,
  output logic [SLOTS-1:0][DATA_BITS-1:0]              commit_shared_data, // read: returned; write: stored
  output logic [SLOTS-1:0]                             commit_barrier,     // left a BAR (released)
  output logic [SLOTS-1:0][ORDER_BITS-1:0]             commit_order        // the instruction's number in its warp
);

  localparam int WARP_BITS = (WARPS > 1) ? $clog2(WARPS) : 1;
  localparam int LANE_BITS = (THREADS_PER_BLOCK > 1) ? $clog2(THREADS_PER_BLOCK) : 1;
  // Read-ahead needs room: with a tiny cache it would evict the words about to run.
  localparam int PREFETCH_DEPTH = (ICACHE_LINES >= 8) ? 4 : ICACHE_LINES / 2;

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
  // Which warp issues this cycle: shown in waveforms.
  /* verilator lint_off UNUSEDSIGNAL */
  logic                               issue_valid;
  logic [WARP_BITS-1:0]               issue_warp;
  /* verilator lint_on UNUSEDSIGNAL */
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
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] commit_mask;
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] released;
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] barrier_waiting;
  // Live threads of each warp: shown in waveforms and traces.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0] live_mask;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [WARPS-1:0][THREADS_PER_BLOCK*PC_BITS-1:0] pc_written;
  logic                               exec_is_memory;
  logic                               exec_hold;    // EXECUTE replays its LDS/STS next cycle
  logic [THREADS_PER_BLOCK-1:0]       exec_retire;  // of its active threads, those retiring now

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
    .pc_written         (pc_written)
  );

  // ------------------------------------------------------------ instruction supply
  logic [PC_BITS-1:0]    probe_pc;
  logic                  probe_hit;
  logic                  fill;
  logic [PC_BITS-1:0]    fill_pc;
  logic [INSTR_BITS-1:0] fill_data;
  logic                  demand_fill;

  icache #(
    .LINES       (ICACHE_LINES),
    .NUM_LOOKUPS (WARPS)
  ) u_icache (
    .clk           (clk),
    .reset         (reset),
    .invalidate    (launch),
    .lookup_pc     (warp_pc),
    .lookup_hit    (warp_pc_cached),
    .lookup_blocks (warp_pc_blocks),
    .lookup_jumps  (warp_pc_jumps),
    .scoreboard_pc           (scoreboard_pc),
    .scoreboard_waits_memory (scoreboard_waits_memory),
    .scoreboard_registers    (scoreboard_registers),
    .probe_pc      (probe_pc),
    .probe_hit     (probe_hit),
    .read_pc       (issue_pc),
    .read_hold     (exec_hold),
    .read_data     (instruction),
    .fill          (fill),
    .fill_pc       (fill_pc),
    .fill_data     (fill_data)
  );

  fetcher #(
    .PREFETCH_DEPTH (PREFETCH_DEPTH)
  ) u_fetcher (
    .clk              (clk),
    .reset            (reset),
    .launch           (launch),
    .demand_valid     (demand_valid),
    .demand_pc        (demand_pc),
    .last_issue_pc    (last_issue_pc),
    .probe_pc         (probe_pc),
    .probe_hit        (probe_hit),
    .fill             (fill),
    .fill_pc          (fill_pc),
    .fill_data        (fill_data),
    .demand_fill      (demand_fill),
    .mem_read_valid   (program_mem_read_valid),
    .mem_read_address (program_mem_read_address),
    .mem_read_ready   (program_mem_read_ready),
    .mem_read_data    (program_mem_read_data)
  );

  decoder u_decoder (
    .instruction (instruction),
    .decoded     (decoded)
  );
`ifndef SYNTHESIS
  // The registers the instruction in EXECUTE reads and writes, from the decoder's fields
  // and flags (assertions only; independent of the predecode the scoreboard uses).
  logic exec_reads_rs, exec_reads_rt, exec_writes_rd;
  assign exec_writes_rd = decoded.writes_rd;
  assign exec_reads_rs  = (decoded.writes_rd && decoded.rd_source == RD_FROM_ALU) || decoded.is_cmp
                          || exec_is_memory || decoded.is_shared_load || decoded.is_shared_store;
  assign exec_reads_rt  = (decoded.writes_rd && decoded.rd_source == RD_FROM_ALU) || decoded.is_cmp
                          || decoded.is_store || decoded.is_shared_store;
`endif

  // ------------------------------------------------------------ per warp and thread state
  // Register files, NZP flags and load/store units; the executing warp's are selected
  // for the lanes below.
  logic [SLOTS-1:0][DATA_BITS-1:0]  slot_rs_value, slot_rt_value;
  logic [SLOTS-1:0][PC_BITS-1:0]    slot_next_pc;
  logic [SLOTS-1:0]                 slot_lsu_done;      // idle, or answered now
  logic [SLOTS-1:0][DATA_BITS-1:0]  slot_load_result;   // the byte its last load returned
  logic [SLOTS-1:0]                 slot_bus_read, slot_bus_write;
  logic [SLOTS-1:0][DATA_BITS-1:0]  slot_bus_address, slot_bus_data;
  // Lane values of the executing warp.
  logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0] rs_value, rt_value, alu_result;
  logic [THREADS_PER_BLOCK-1:0][NZP_BITS-1:0]  compare_nzp;
  // Coalescing: the lane whose read serves each lane's load (itself if it leads).
  logic [THREADS_PER_BLOCK-1:0][LANE_BITS-1:0] load_source;
  logic [THREADS_PER_BLOCK-1:0]                load_leader;

  // Memory instruction each warp has out: its word, PC, threads that started a
  // request, and which lane serves each thread's load.
  logic [WARPS-1:0][INSTR_BITS-1:0]                   mem_instr_q;
  logic [WARPS-1:0][PC_BITS-1:0]                      mem_pc_q;
  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0]            mem_started_q;
  logic [WARPS-1:0][THREADS_PER_BLOCK*LANE_BITS-1:0]  mem_source_q;

  // The first lane (lowest index) among active ones whose address equals lane t's.
  function automatic logic [THREADS_PER_BLOCK*LANE_BITS-1:0] coalesce(
    input logic [THREADS_PER_BLOCK-1:0]                active,
    input logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0] addresses
  );
    logic [THREADS_PER_BLOCK*LANE_BITS-1:0] sources;
    for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
      sources[t*LANE_BITS +: LANE_BITS] = LANE_BITS'(t);
      for (int u = THREADS_PER_BLOCK - 1; u >= 0; u--) begin
        if (u < t && active[u] && addresses[u] == addresses[t]) sources[t*LANE_BITS +: LANE_BITS] = LANE_BITS'(u);
      end
    end
    return sources;
  endfunction

  // ------------------------------------------------------------ shared memory
  // In banks (shared_memory.sv): each bank serves one byte per cycle, so an LDS/STS whose
  // lanes pick bytes in one bank is a bank conflict. EXECUTE then holds the instruction
  // (`exec_hold`: nothing issues, the word stays) and replays it for the lanes left
  // over; the lanes served retire in the cycle of their access. Not reset: a block's
  // shared memory starts undefined (docs/isa.md).
  localparam int SHARED_ADDR_BITS = (SHARED_MEM_BYTES > 1) ? $clog2(SHARED_MEM_BYTES) : 1;
  // Each lane's request (active lanes of an LDS/STS not yet served), address (Rs
  // wrapped to the size) and data; which requests are served now; the served accesses.
  logic [THREADS_PER_BLOCK-1:0]                        shared_load_request, shared_store_request;
  logic [THREADS_PER_BLOCK-1:0][SHARED_ADDR_BITS-1:0]  shared_address;
  logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0]         shared_read_data, shared_write_data;
  logic [THREADS_PER_BLOCK-1:0]                        shared_served;
  logic [THREADS_PER_BLOCK-1:0]                        shared_read, shared_write;

  for (genvar t = 0; t < THREADS_PER_BLOCK; t++) begin : g_shared_ports
    assign shared_load_request[t]  = exec_valid && decoded.is_shared_load && exec_active[t];
    assign shared_store_request[t] = exec_valid && decoded.is_shared_store && exec_active[t];
    assign shared_address[t]       = SHARED_ADDR_BITS'(rs_value[t] % SHARED_MEM_BYTES);  // the low bits
    assign shared_write_data[t]    = rt_value[t];
  end

  shared_memory #(
    .LANES (THREADS_PER_BLOCK),
    .WARPS (WARPS),
    .BYTES (SHARED_MEM_BYTES)
  ) u_shared_memory (
    .clk           (clk),
    .warp          (exec_warp),
    .read_request  (shared_load_request),
    .write_request (shared_store_request),
    .address       (shared_address),
    .write_data    (shared_write_data),
    .served        (shared_served),
    .read_data     (shared_read_data)
  );

  assign shared_read  = shared_load_request & shared_served;
  assign shared_write = shared_store_request & shared_served;
  assign exec_hold    = ((shared_load_request | shared_store_request) & ~shared_served) != '0;
  assign exec_retire  = (decoded.is_shared_load || decoded.is_shared_store) ? shared_served : '1;

  assign load_source = coalesce(exec_active, rs_value);
  // One assign per lane, not a loop in an always_comb: shaped for Icarus's speed (see
  // warp.sv's `active`).
  for (genvar t = 0; t < THREADS_PER_BLOCK; t++) begin : g_load_leaders
    assign load_leader[t] = (int'(load_source[t]) == t);
  end

  for (genvar w = 0; w < WARPS; w++) begin : g_warps
    logic executing;  // this warp's instruction is in EXECUTE
    logic mem_is_load;
    // The instruction its threads retire now (commit port), but for a barrier release.
    logic [PC_BITS-1:0]    warp_commit_pc;
    logic [INSTR_BITS-1:0] warp_commit_instr;
    logic [REG_ADDR_BITS-1:0] mem_rd;
    assign executing   = exec_valid && (int'(exec_warp) == w);
    assign mem_is_load = (mem_instr_q[w][15:12] == OP_LDR);
    assign mem_rd      = mem_instr_q[w][11:8];

    // Complete (it retires, and a load writes back) when every thread that sent a
    // request has its answer (this cycle at the latest), in a cycle when the warp
    // executes nothing else: one write port per register file, one record per thread
    // and cycle. (A warp that executes every cycle stops when it needs the load.)
    assign mem_complete[w] = mem_waiting[w] && !executing &&
        ((mem_started_q[w] & ~slot_lsu_done[w*THREADS_PER_BLOCK +: THREADS_PER_BLOCK]) == '0);
`ifndef SYNTHESIS
    // The scoreboard: nothing executes that reads or writes the register a load of this
    // warp is still to write.
    always @(posedge clk) begin
      if (!reset) assert (!(executing && mem_waiting[w] && mem_is_load && int'(mem_rd) < NUM_WRITABLE_REGS
                            && ((exec_reads_rs && decoded.rs == mem_rd) || (exec_reads_rt && decoded.rt == mem_rd)
                                || (exec_writes_rd && decoded.rd == mem_rd))))
        else $error("core: warp %0d executes pc %0d, which needs R%0d before its load wrote it",
                    w, exec_pc, mem_rd);
    end
`endif

    // Order numbers (commit port only): the number of the instruction in EXECUTE in its
    // warp's stream (a bank-conflict replay keeps it), and of the memory instruction out.
    logic [ORDER_BITS-1:0] order_q, mem_order_q;
    always_ff @(posedge clk) begin
      if (reset || clear_warp[w])      order_q <= '0;
      else if (executing && !exec_hold) order_q <= order_q + 1'b1;
    end
    always_ff @(posedge clk) begin
      if (reset)                           mem_order_q <= '0;
      else if (executing && exec_is_memory) mem_order_q <= order_q;
    end

    always_ff @(posedge clk) begin
      if (reset) begin
        mem_instr_q[w]   <= '0;
        mem_pc_q[w]      <= '0;
        mem_started_q[w] <= '0;
        mem_source_q[w]  <= '0;
      end else if (executing && exec_is_memory) begin
        mem_instr_q[w]   <= instruction;
        mem_pc_q[w]      <= exec_pc;
        mem_started_q[w] <= decoded.is_load ? (exec_active & load_leader) : exec_active;
        mem_source_q[w]  <= load_source;
      end
    end

    for (genvar t = 0; t < THREADS_PER_BLOCK; t++) begin : g_threads
      localparam int SLOT = w * THREADS_PER_BLOCK + t;
      logic [LANE_BITS-1:0] source;   // the lane whose read serves this thread's load
      logic                 load_writes;
      logic                 exec_writes;
      logic [NZP_BITS-1:0]  nzp_stored;
      logic [DATA_BITS-1:0] lane_rd_value;
      // The register file's write port, named so the commit port reports exactly it.
      logic                     rf_write_enable;
      logic [REG_ADDR_BITS-1:0] rf_write_index;
      logic [DATA_BITS-1:0]     rf_write_value;
      logic                     rd_written;

      assign source        = mem_source_q[w][t*LANE_BITS +: LANE_BITS];
      assign exec_writes   = exec_commit[w][t] && decoded.writes_rd;
      assign load_writes   = mem_complete[w] && mem_active[w][t] && mem_is_load;
      // Continuous assignments here and for bus_*_d below, not always_comb blocks: shaped
      // for Icarus's speed (each always_comb of each warp and thread was a process re-run
      // whenever any lane's ALU result or shared byte changed).
      assign lane_rd_value = (decoded.rd_source == RD_FROM_IMM)    ? decoded.imm8
                           : (decoded.rd_source == RD_FROM_SHARED) ? shared_read_data[t]
                           : alu_result[t];
      assign rf_write_enable = exec_writes || load_writes;
      assign rf_write_index  = load_writes ? mem_rd : decoded.rd;
      assign rf_write_value  = load_writes ? slot_load_result[w*THREADS_PER_BLOCK + int'(source)] : lane_rd_value;

      register_file u_registers (
        .clk            (clk),
        .reset          (reset),
        .clear          (clear_warp[w]),
        .block_idx      (block_idx[w]),
        .block_dim      (DATA_BITS'(THREADS_PER_BLOCK)),
        .thread_idx     (DATA_BITS'(t)),
        .rs_addr        (decoded.rs),
        .rt_addr        (decoded.rt),
        .rs_value       (slot_rs_value[SLOT]),
        .rt_value       (slot_rt_value[SLOT]),
        .write_enable   (rf_write_enable),
        .rd_addr        (rf_write_index),
        .rd_value       (rf_write_value),
        .write_accepted (rd_written)
      );

      pc_unit u_pc (
        .clk           (clk),
        .reset         (reset),
        .clear         (clear_warp[w]),
        .commit        (exec_commit[w][t]),
        .is_cmp        (decoded.is_cmp),
        .is_branch     (decoded.is_branch),
        .is_ret        (decoded.is_ret),
        .branch_nzp    (decoded.branch_nzp),
        .branch_target (decoded.imm8),
        .pc            (exec_pc),
        .compare_nzp   (compare_nzp[t]),
        .next_pc       (slot_next_pc[SLOT]),
        .nzp_stored    (nzp_stored)
      );

      logic                 lsu_busy;
      logic [DATA_BITS-1:0] load_data;
      lsu u_lsu (
        .clk               (clk),
        .reset             (reset),
        .start_load        (executing && exec_active[t] && decoded.is_load && load_leader[t]),
        .start_store       (executing && exec_active[t] && decoded.is_store),
        .address           (rs_value[t]),
        .store_data        (rt_value[t]),
        .busy              (lsu_busy),
        .load_data         (load_data),
        .mem_read_valid    (data_mem_read_valid[SLOT]),
        .mem_read_address  (data_mem_read_address[SLOT]),
        .mem_read_ready    (data_mem_read_ready[SLOT]),
        .mem_read_data     (data_mem_read_data[SLOT]),
        .mem_write_valid   (data_mem_write_valid[SLOT]),
        .mem_write_address (data_mem_write_address[SLOT]),
        .mem_write_data    (data_mem_write_data[SLOT]),
        .mem_write_ready   (data_mem_write_ready[SLOT])
      );

      // This unit's answer, as wires: Icarus cannot sort an always_comb that reads a
      // constant select of a wider bus (it would re-run it on every bit).
      logic                 read_answered, write_answered;
      logic [DATA_BITS-1:0] read_address, read_data, write_address, write_data;
      assign read_answered  = data_mem_read_valid[SLOT] && data_mem_read_ready[SLOT];
      assign write_answered = data_mem_write_valid[SLOT] && data_mem_write_ready[SLOT];
      assign read_address   = data_mem_read_address[SLOT];
      assign read_data      = data_mem_read_data[SLOT];
      assign write_address  = data_mem_write_address[SLOT];
      assign write_data     = data_mem_write_data[SLOT];
      assign slot_lsu_done[SLOT]    = !lsu_busy || read_answered || write_answered;
      assign slot_load_result[SLOT] = read_answered ? read_data : load_data;

      // The request this unit put on the data-memory port, captured at the handshake
      // (commit port only); a new request starts with nothing captured.
      logic                 bus_read_q,    bus_read_d;
      logic                 bus_write_q,   bus_write_d;
      logic [DATA_BITS-1:0] bus_address_q, bus_address_d;
      logic [DATA_BITS-1:0] bus_data_q,    bus_data_d;
      logic                 starting;
      assign starting = executing && exec_is_memory;
      // An answer captures the request (a write's over a read's); a new memory
      // instruction clears the flags.
      assign bus_read_d    = read_answered || (bus_read_q && !starting);
      assign bus_write_d   = write_answered || (bus_write_q && !starting);
      assign bus_address_d = write_answered ? write_address : read_answered ? read_address : bus_address_q;
      assign bus_data_d    = write_answered ? write_data : read_answered ? read_data : bus_data_q;
      always_ff @(posedge clk) begin
        if (reset) begin
          bus_read_q    <= 1'b0;
          bus_write_q   <= 1'b0;
          bus_address_q <= '0;
          bus_data_q    <= '0;
        end else begin
          bus_read_q    <= bus_read_d;
          bus_write_q   <= bus_write_d;
          bus_address_q <= bus_address_d;
          bus_data_q    <= bus_data_d;
        end
      end
      assign slot_bus_read[SLOT]    = bus_read_d;
      assign slot_bus_write[SLOT]   = bus_write_d;
      assign slot_bus_address[SLOT] = bus_address_d;
      assign slot_bus_data[SLOT]    = bus_data_d;

      // Commit port: a load reports the request that served it (its own, or the lane's
      // it was coalesced with).
      logic [LANE_BITS-1:0] bus_lane;
      logic                 mem_retiring;
      assign bus_lane     = mem_is_load ? source : LANE_BITS'(t);
      assign mem_retiring = mem_complete[w] && mem_active[w][t];
      // A load or store moved the thread's PC (and kept its NZP) when it executed: what
      // its flops took then is captured for its record (commit port only).
      logic [PC_BITS-1:0]  mem_next_pc_q;
      logic [NZP_BITS-1:0] mem_nzp_q;
      always_ff @(posedge clk) begin
        if (reset) begin
          mem_next_pc_q <= '0;
          mem_nzp_q     <= '0;
        end else if (starting && exec_active[t]) begin
          mem_next_pc_q <= pc_written[w][t*PC_BITS +: PC_BITS];
          mem_nzp_q     <= nzp_stored;
        end
      end
      assign commit_valid[SLOT]       = commit_mask[w][t];
      assign commit_next_pc[SLOT]     = mem_retiring ? mem_next_pc_q : pc_written[w][t*PC_BITS +: PC_BITS];
      assign commit_nzp[SLOT]         = mem_retiring ? mem_nzp_q : nzp_stored;
      assign commit_rd_written[SLOT]  = rd_written;
      assign commit_rd[SLOT]          = rf_write_index;
      assign commit_rd_value[SLOT]    = rf_write_value;
      assign commit_mem_read[SLOT]    = mem_retiring && slot_bus_read[w*THREADS_PER_BLOCK + int'(bus_lane)];
      assign commit_mem_write[SLOT]   = mem_retiring && slot_bus_write[w*THREADS_PER_BLOCK + int'(bus_lane)];
      assign commit_mem_address[SLOT] = slot_bus_address[w*THREADS_PER_BLOCK + int'(bus_lane)];
      assign commit_mem_data[SLOT]    = slot_bus_data[w*THREADS_PER_BLOCK + int'(bus_lane)];
      // The lane's shared-memory port while this warp executes, and the barrier release.
      assign commit_shared_read[SLOT]    = exec_commit[w][t] && shared_read[t];
      assign commit_shared_write[SLOT]   = exec_commit[w][t] && shared_write[t];
      assign commit_shared_address[SLOT] = DATA_BITS'(shared_address[t]);
      assign commit_shared_data[SLOT]    = shared_read[t] ? shared_read_data[t] : shared_write_data[t];
      assign commit_barrier[SLOT]        = released[w][t];

      // A barrier releases threads that may wait at different BARs: each one's BAR (PC
      // and word) is captured when it arrives (commit port only).
      logic [PC_BITS-1:0]    barrier_pc_q;
      logic [INSTR_BITS-1:0] barrier_instr_q;
      logic [ORDER_BITS-1:0] barrier_order_q;
      logic                  released_earlier;  // released now, from a BAR executed before
      always_ff @(posedge clk) begin
        if (reset) begin
          barrier_pc_q    <= '0;
          barrier_instr_q <= '0;
          barrier_order_q <= '0;
        end else if (executing && decoded.is_barrier && exec_active[t]) begin
          barrier_pc_q    <= exec_pc;
          barrier_instr_q <= instruction;
          barrier_order_q <= order_q;
        end
      end
      // Released in the cycle it arrives: its BAR is the one executing now.
      assign released_earlier   = released[w][t] && !(executing && exec_active[t]);
      assign commit_pc[SLOT]    = released_earlier ? barrier_pc_q : warp_commit_pc;
      assign commit_instr[SLOT] = released_earlier ? barrier_instr_q : warp_commit_instr;
      assign commit_order[SLOT] = released_earlier ? barrier_order_q : mem_retiring ? mem_order_q : order_q;
    end

    assign warp_commit_pc      = executing ? exec_pc : mem_pc_q[w];
    assign warp_commit_instr   = executing ? instruction : mem_instr_q[w];
    assign commit_block_idx[w] = block_idx[w];
  end

  // ------------------------------------------------------------ lanes (EXECUTE)
  for (genvar t = 0; t < THREADS_PER_BLOCK; t++) begin : g_lanes
    assign rs_value[t] = slot_rs_value[int'(exec_warp) * THREADS_PER_BLOCK + t];
    assign rt_value[t] = slot_rt_value[int'(exec_warp) * THREADS_PER_BLOCK + t];
    assign next_pc[t]  = slot_next_pc[int'(exec_warp) * THREADS_PER_BLOCK + t];

    alu u_alu (
      .op          (decoded.alu_op),
      .rs_value    (rs_value[t]),
      .rt_value    (rt_value[t]),
      .result      (alu_result[t]),
      .compare_nzp (compare_nzp[t])
    );
  end

  // ------------------------------------------------------------ activity and counters
  // What the core does this cycle, for traces, waveforms and the counters: EXECUTE, or
  // why nothing executes, which is why ISSUE chose nothing in the cycle before.
  typedef enum logic [2:0] {
    A_IDLE,          // no block on the core
    A_EXECUTE,       // an instruction executes
    A_FETCH_WAIT,    // a warp could have issued, but its instruction was not in the cache
    A_MEMORY_WAIT,   // every running warp waited on memory (or a branch, with one on memory)
    A_BRANCH_WAIT    // every running warp waited for its branch, RET or BAR to execute
  } activity_e;

  activity_e activity;
  activity_e issue_gap_q, issue_gap_d;  // why ISSUE chose nothing this cycle
  logic      any_block;  // a block is on the core
  assign any_block = (block_idle != '1);
  always_comb begin
    if (!any_block)          issue_gap_d = A_IDLE;
    else if (demand_valid)   issue_gap_d = A_FETCH_WAIT;
    else if (|mem_waiting || (exec_valid && exec_is_memory)) issue_gap_d = A_MEMORY_WAIT;
    else                     issue_gap_d = A_BRANCH_WAIT;
  end
  always_ff @(posedge clk) begin
    if (reset) issue_gap_q <= A_IDLE;
    else       issue_gap_q <= issue_gap_d;
  end
  assign activity = exec_valid ? A_EXECUTE : issue_gap_q;

  // Per-cycle event counts.
  function automatic logic [8:0] count_ones(input logic [SLOTS-1:0] bits);
    logic [8:0] count;
    count = '0;
    for (int i = 0; i < SLOTS; i++) count = count + 9'(bits[i]);
    return count;
  endfunction

  logic [WARP_BITS-1:0] last_exec_warp_q;
  logic                 executed_before_q;
  logic                 replay_q;   // EXECUTE replays the last cycle's instruction (bank conflict)
  logic                 exec_issued; // EXECUTE runs a newly issued instruction
  always_ff @(posedge clk) begin
    if (reset || launch) begin
      last_exec_warp_q  <= '0;
      executed_before_q <= 1'b0;
    end else if (exec_valid) begin
      last_exec_warp_q  <= exec_warp;
      executed_before_q <= 1'b1;
    end
  end
  always_ff @(posedge clk) begin
    if (reset) replay_q <= 1'b0;
    else       replay_q <= exec_hold;
  end
  assign exec_issued = exec_valid && !replay_q;

  logic [THREADS_PER_BLOCK-1:0] exec_live;
  logic [THREADS_PER_BLOCK-1:0] coalesced;  // lanes whose load another lane's read serves
  assign exec_live = live_mask[exec_warp];
  assign coalesced = (exec_valid && decoded.is_load) ? (exec_active & ~load_leader) : '0;

  perf_counters u_counters (
    .clk                 (clk),
    .reset               (reset),
    .launch              (launch),
    .busy                (any_block),
    .issued              (exec_issued),
    .retired_threads     (count_ones(commit_valid)),
    .icache_miss         (demand_fill),
    .fetch_stall         (activity == A_FETCH_WAIT),
    .memory_stall        (activity == A_MEMORY_WAIT),
    .divergent           (exec_issued && exec_active != exec_live),
    .merged_loads        (count_ones(SLOTS'(coalesced))),
    .warp_switch         (exec_valid && executed_before_q && exec_warp != last_exec_warp_q),
    .barrier_wait        (barrier_waiting != '0),
    .shared_loads        (count_ones(SLOTS'(shared_read))),
    .shared_stores       (count_ones(SLOTS'(shared_write))),
    // Read by the harness through hierarchical references (see the module header).
    /* verilator lint_off PINCONNECTEMPTY */
    .busy_cycles         (),
    .issued_count        (),
    .thread_instructions (),
    .icache_hits         (),
    .icache_misses       (),
    .fetch_stall_cycles  (),
    .memory_stall_cycles (),
    .divergent_issues    (),
    .merged_load_count   (),
    .warp_switches       (),
    .barrier_wait_cycles (),
    .shared_load_count   (),
    .shared_store_count  ()
    /* verilator lint_on PINCONNECTEMPTY */
  );

`ifndef SYNTHESIS
  // ------------------------------------------------------------ assertions
  always @(posedge clk) begin
    if (!reset) begin
      for (int w = 0; w < WARPS; w++) begin
        // A warp's load/store units work only while it waits on its memory instruction.
        assert (mem_waiting[w] || (data_mem_read_valid[w*THREADS_PER_BLOCK +: THREADS_PER_BLOCK] == '0
                                   && data_mem_write_valid[w*THREADS_PER_BLOCK +: THREADS_PER_BLOCK] == '0))
          else $error("core: warp %0d has memory requests out while not waiting on memory", w);
      end
    end
  end
`endif

endmodule
