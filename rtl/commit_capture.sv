// SPDX-License-Identifier: MIT
// commit_capture: one core's commit records, built from what its datapath did.
//
// Verification only: core.sv instantiates it under GPU_TRACE, and nothing in the GPU
// reads its outputs. Each cycle it reports, for every thread slot (warp w, thread t at
// slot w * THREADS_PER_BLOCK + t) that retires an instruction, one commit record
// (gpu_pkg::commit_t) of effects, never rebuilt from the instruction word (the way RVFI
// does for RISC-V cores):
//
//   next_pc, nzp         what the thread's PC and NZP flops took (a load or store moved
//                        them when it executed: captured then, reported when it retires)
//   rd_*                 the register file's write port, as the core drives it
//   mem_*                the request its load/store unit put on the core's data-memory
//                        port, captured at the valid/ready handshake (a coalesced load
//                        reports the request of the lane that served it)
//   shared_*             the access its lane made at the shared memory's port
//   barrier              it left a BAR: its warp released the barrier
//
// A thread retires at most one instruction per cycle, but not always in program order: a
// load or store retires when memory has answered, after the independent instructions its
// warp went on with. So each record carries its instruction's number in the warp's
// stream (`order`, as RVFI's rvfi_order), by which the checker puts each thread's records
// back in program order. A barrier releases threads that may wait at different BARs:
// each one's BAR (PC, word and number) is captured when it arrives.
`default_nettype none

module commit_capture
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 4,
  parameter int WARPS             = 2,
  parameter int SLOTS             = WARPS * THREADS_PER_BLOCK,
  parameter int WARP_BITS         = (WARPS > 1) ? $clog2(WARPS) : 1,
  parameter int LANE_BITS         = (THREADS_PER_BLOCK > 1) ? $clog2(THREADS_PER_BLOCK) : 1
) (
  input  logic                                        clk,
  input  logic                                        reset,
  // the warps' blocks
  input  logic [WARPS-1:0]                            clear_warp,
  input  logic [WARPS-1:0][DATA_BITS-1:0]             block_idx,
  // EXECUTE
  input  logic                                        exec_valid,
  input  logic [WARP_BITS-1:0]                        exec_warp,
  input  logic [PC_BITS-1:0]                          exec_pc,
  input  logic [INSTR_BITS-1:0]                       instruction,
  input  logic                                        exec_is_memory,   // LDR or STR
  input  logic                                        exec_is_barrier,
  input  logic                                        exec_hold,        // replayed next cycle
  input  logic [THREADS_PER_BLOCK-1:0]                exec_active,
  // what retires (scheduler.sv)
  input  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0]     exec_commit,      // retire from EXECUTE
  input  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0]     commit_mask,      // retire, any way
  input  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0]     released,         // leave a barrier
  input  logic [WARPS-1:0]                            mem_complete,     // the warp's LDR/STR retires
  input  logic [WARPS-1:0][THREADS_PER_BLOCK-1:0]     mem_active,       //   for these threads
  input  logic [WARPS-1:0]                            mem_is_load,      //   a load (memory_tracker.sv)
  input  logic [WARPS-1:0][THREADS_PER_BLOCK*LANE_BITS-1:0] mem_source, // lane serving thread t's load
  input  logic [WARPS-1:0][THREADS_PER_BLOCK*PC_BITS-1:0] pc_written,   // what the PC flops take
  // per slot: NZP flops and register file write port
  input  logic [SLOTS-1:0][NZP_BITS-1:0]              nzp_stored,
  input  logic [SLOTS-1:0]                            rd_written,
  input  logic [SLOTS-1:0][REG_ADDR_BITS-1:0]         rd_index,
  input  logic [SLOTS-1:0][DATA_BITS-1:0]             rd_value,
  // per slot: the core's data-memory port
  input  logic [SLOTS-1:0]                            mem_read_valid,
  input  logic [SLOTS-1:0][DATA_BITS-1:0]             mem_read_address,
  input  logic [SLOTS-1:0]                            mem_read_ready,
  input  logic [SLOTS-1:0][DATA_BITS-1:0]             mem_read_data,
  input  logic [SLOTS-1:0]                            mem_write_valid,
  input  logic [SLOTS-1:0][DATA_BITS-1:0]             mem_write_address,
  input  logic [SLOTS-1:0][DATA_BITS-1:0]             mem_write_data,
  input  logic [SLOTS-1:0]                            mem_write_ready,
  // per lane: the shared memory's port
  input  logic [THREADS_PER_BLOCK-1:0]                shared_read,
  input  logic [THREADS_PER_BLOCK-1:0]                shared_write,
  input  logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0] shared_address,
  input  logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0] shared_read_data,
  input  logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0] shared_write_data,
  // the records
  output logic [SLOTS-1:0]                            commit_valid,
  output logic [SLOTS*COMMIT_BITS-1:0]                commit_records    // slot s at [s*COMMIT_BITS +: COMMIT_BITS]
);

  // Each slot's request, captured at its handshake: a new memory instruction starts with
  // nothing captured, an answer captures the request (a write's over a read's).
  logic [SLOTS-1:0]                 bus_read, bus_write;
  logic [SLOTS-1:0][DATA_BITS-1:0]  bus_address, bus_data;

  for (genvar w = 0; w < WARPS; w++) begin : g_warps
    logic executing;  // this warp's instruction is in EXECUTE
    logic starting;   // ... and it is an LDR/STR
    assign executing = exec_valid && (int'(exec_warp) == w);
    assign starting  = executing && exec_is_memory;

    // The number of the instruction in EXECUTE in this warp's stream (a bank-conflict
    // replay keeps it), and of the memory instruction out, with its PC and word.
    logic [ORDER_BITS-1:0] order_q, mem_order_q;
    logic [PC_BITS-1:0]    mem_pc_q;
    logic [INSTR_BITS-1:0] mem_instr_q;
    always_ff @(posedge clk) begin
      if (reset || clear_warp[w])       order_q <= '0;
      else if (executing && !exec_hold) order_q <= order_q + 1'b1;
    end
    always_ff @(posedge clk) begin
      if (reset) begin
        mem_order_q  <= '0;
        mem_pc_q     <= '0;
        mem_instr_q  <= '0;
      end else if (starting) begin
        mem_order_q  <= order_q;
        mem_pc_q     <= exec_pc;
        mem_instr_q  <= instruction;
      end
    end

    for (genvar t = 0; t < THREADS_PER_BLOCK; t++) begin : g_threads
      localparam int SLOT = w * THREADS_PER_BLOCK + t;
      logic read_answered, write_answered;
      assign read_answered  = mem_read_valid[SLOT] && mem_read_ready[SLOT];
      assign write_answered = mem_write_valid[SLOT] && mem_write_ready[SLOT];

      logic                 bus_read_q, bus_write_q;
      logic [DATA_BITS-1:0] bus_address_q, bus_data_q;
      assign bus_read[SLOT]    = read_answered || (bus_read_q && !starting);
      assign bus_write[SLOT]   = write_answered || (bus_write_q && !starting);
      assign bus_address[SLOT] = write_answered ? mem_write_address[SLOT]
                               : read_answered  ? mem_read_address[SLOT] : bus_address_q;
      assign bus_data[SLOT]    = write_answered ? mem_write_data[SLOT]
                               : read_answered  ? mem_read_data[SLOT] : bus_data_q;
      always_ff @(posedge clk) begin
        if (reset) begin
          bus_read_q    <= 1'b0;
          bus_write_q   <= 1'b0;
          bus_address_q <= '0;
          bus_data_q    <= '0;
        end else begin
          bus_read_q    <= bus_read[SLOT];
          bus_write_q   <= bus_write[SLOT];
          bus_address_q <= bus_address[SLOT];
          bus_data_q    <= bus_data[SLOT];
        end
      end

      // What the thread's PC and NZP flops took when its load or store executed.
      logic [PC_BITS-1:0]  mem_next_pc_q;
      logic [NZP_BITS-1:0] mem_nzp_q;
      always_ff @(posedge clk) begin
        if (reset) begin
          mem_next_pc_q <= '0;
          mem_nzp_q     <= '0;
        end else if (starting && exec_active[t]) begin
          mem_next_pc_q <= pc_written[w][t*PC_BITS +: PC_BITS];
          mem_nzp_q     <= nzp_stored[SLOT];
        end
      end

      // The BAR the thread waits at.
      logic [PC_BITS-1:0]    barrier_pc_q;
      logic [INSTR_BITS-1:0] barrier_instr_q;
      logic [ORDER_BITS-1:0] barrier_order_q;
      always_ff @(posedge clk) begin
        if (reset) begin
          barrier_pc_q    <= '0;
          barrier_instr_q <= '0;
          barrier_order_q <= '0;
        end else if (executing && exec_is_barrier && exec_active[t]) begin
          barrier_pc_q    <= exec_pc;
          barrier_instr_q <= instruction;
          barrier_order_q <= order_q;
        end
      end

      // Which of the three retires now: the load/store out, a barrier release of a BAR
      // executed before (released in the cycle it arrives: its BAR executes now), or the
      // instruction in EXECUTE.
      logic                 mem_retiring, released_earlier;
      logic [LANE_BITS-1:0] bus_lane;  // the slot whose request served this thread
      int                   bus_slot;
      assign mem_retiring     = mem_complete[w] && mem_active[w][t];
      assign released_earlier = released[w][t] && !(executing && exec_active[t]);
      assign bus_lane         = mem_is_load[w] ? mem_source[w][t*LANE_BITS +: LANE_BITS] : LANE_BITS'(t);
      assign bus_slot         = w * THREADS_PER_BLOCK + int'(bus_lane);

      commit_t record;
      assign record.block          = block_idx[w];
      assign record.pc             = released_earlier ? barrier_pc_q : executing ? exec_pc : mem_pc_q;
      assign record.instr          = released_earlier ? barrier_instr_q : executing ? instruction : mem_instr_q;
      assign record.next_pc        = mem_retiring ? mem_next_pc_q : pc_written[w][t*PC_BITS +: PC_BITS];
      assign record.nzp            = mem_retiring ? mem_nzp_q : nzp_stored[SLOT];
      assign record.rd_written     = rd_written[SLOT];
      assign record.rd             = rd_index[SLOT];
      assign record.rd_value       = rd_value[SLOT];
      assign record.mem_read       = mem_retiring && bus_read[bus_slot];
      assign record.mem_write      = mem_retiring && bus_write[bus_slot];
      assign record.mem_address    = bus_address[bus_slot];
      assign record.mem_data       = bus_data[bus_slot];
      assign record.shared_read    = exec_commit[w][t] && shared_read[t];
      assign record.shared_write   = exec_commit[w][t] && shared_write[t];
      assign record.shared_address = shared_address[t];
      assign record.shared_data    = shared_read[t] ? shared_read_data[t] : shared_write_data[t];
      assign record.barrier        = released[w][t];
      assign record.order          = released_earlier ? barrier_order_q : mem_retiring ? mem_order_q : order_q;

      assign commit_valid[SLOT] = commit_mask[w][t];
      assign commit_records[SLOT*COMMIT_BITS +: COMMIT_BITS] = record;
    end
  end

endmodule
