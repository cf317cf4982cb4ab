// SPDX-License-Identifier: MIT
// thread_context: what one thread of a resident block owns in its warp slot.
//
// Its registers (register_file.sv), its NZP flags and branch decision (pc_unit.sv) and
// its load/store unit (lsu.sv), and the one write port of its registers, which two
// writers share:
//   - the instruction executing now, for the threads of its warp it retires (an ALU
//     result, a CONST, or the byte an LDS read: the lane's value);
//   - its warp's load, in the cycle memory has answered every thread of it (the byte
//     its own read returned, or, coalesced, the read of the lane that served it).
// The core never lets both happen in one cycle (mem_complete waits for a cycle in which
// the warp executes nothing else).
`default_nettype none

module thread_context
  import gpu_pkg::*;
#(
  parameter int THREAD_IDX = 0,   // %threadIdx
  parameter int BLOCK_DIM  = 4    // %blockDim
) (
  input  logic                     clk,
  input  logic                     reset,
  input  logic                     clear,          // its warp starts a block
  input  logic [DATA_BITS-1:0]     block_idx,
  // the instruction in EXECUTE (whichever warp executes: read ports are always on)
  /* verilator lint_off UNUSEDSIGNAL */  // the whole decoded word: the fields needed here are read
  input  decoded_instr_t           decoded,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [PC_BITS-1:0]       exec_pc,
  input  logic                     exec_commit,    // this thread retires it now
  input  logic [DATA_BITS-1:0]     lane_value,     // its lane's result (ALU, CONST, LDS)
  input  logic [NZP_BITS-1:0]      compare_nzp,    // its lane's comparison (CMP)
  output logic [DATA_BITS-1:0]     rs_value,
  output logic [DATA_BITS-1:0]     rt_value,
  output logic [PC_BITS-1:0]       next_pc,
  // its warp's load/store
  input  logic                     start_load,
  input  logic                     start_store,
  input  logic [DATA_BITS-1:0]     address,
  input  logic [DATA_BITS-1:0]     store_data,
  input  logic                     load_complete,  // write the loaded byte back now
  input  logic [REG_ADDR_BITS-1:0] load_rd,
  input  logic [DATA_BITS-1:0]     load_value,     // the byte that serves its load
  output logic                     lsu_done,       // idle, or answered now
  output logic [DATA_BITS-1:0]     load_result,    // the byte its own last read returned
  // its port on the data memory controller
  output logic                     mem_read_valid,
  output logic [DATA_BITS-1:0]     mem_read_address,
  input  logic                     mem_read_ready,
  input  logic [DATA_BITS-1:0]     mem_read_data,
  output logic                     mem_write_valid,
  output logic [DATA_BITS-1:0]     mem_write_address,
  output logic [DATA_BITS-1:0]     mem_write_data,
  input  logic                     mem_write_ready,
  // what its register file and PC unit took (the trace logic reads these)
  output logic                     rd_written,
  output logic [REG_ADDR_BITS-1:0] rd_index,
  output logic [DATA_BITS-1:0]     rd_value,
  output logic [NZP_BITS-1:0]      nzp_stored
);

  // The register file's write port. Continuous assignments, not always_comb blocks:
  // shaped for Icarus's speed (an always_comb per thread was a process re-run whenever
  // any lane's result changed).
  logic write_enable;
  assign write_enable = (exec_commit && decoded.writes_rd) || load_complete;
  assign rd_index     = load_complete ? load_rd : decoded.rd;
  assign rd_value     = load_complete ? load_value : lane_value;

  register_file u_registers (
    .clk            (clk),
    .reset          (reset),
    .clear          (clear),
    .block_idx      (block_idx),
    .block_dim      (DATA_BITS'(BLOCK_DIM)),
    .thread_idx     (DATA_BITS'(THREAD_IDX)),
    .rs_addr        (decoded.rs),
    .rt_addr        (decoded.rt),
    .rs_value       (rs_value),
    .rt_value       (rt_value),
    .write_enable   (write_enable),
    .rd_addr        (rd_index),
    .rd_value       (rd_value),
    .write_accepted (rd_written)
  );

  pc_unit u_pc (
    .clk           (clk),
    .reset         (reset),
    .clear         (clear),
    .commit        (exec_commit),
    .is_cmp        (decoded.is_cmp),
    .is_branch     (decoded.is_branch),
    .is_ret        (decoded.is_ret),
    .branch_nzp    (decoded.branch_nzp),
    .branch_target (decoded.imm8),
    .pc            (exec_pc),
    .compare_nzp   (compare_nzp),
    .next_pc       (next_pc),
    .nzp_stored    (nzp_stored)
  );

  logic                 lsu_busy;
  logic [DATA_BITS-1:0] load_data;
  lsu u_lsu (
    .clk               (clk),
    .reset             (reset),
    .start_load        (start_load),
    .start_store       (start_store),
    .address           (address),
    .store_data        (store_data),
    .busy              (lsu_busy),
    .load_data         (load_data),
    .mem_read_valid    (mem_read_valid),
    .mem_read_address  (mem_read_address),
    .mem_read_ready    (mem_read_ready),
    .mem_read_data     (mem_read_data),
    .mem_write_valid   (mem_write_valid),
    .mem_write_address (mem_write_address),
    .mem_write_data    (mem_write_data),
    .mem_write_ready   (mem_write_ready)
  );

  logic read_answered, write_answered;
  assign read_answered  = mem_read_valid && mem_read_ready;
  assign write_answered = mem_write_valid && mem_write_ready;
  assign lsu_done       = !lsu_busy || read_answered || write_answered;
  assign load_result    = read_answered ? mem_read_data : load_data;

endmodule
