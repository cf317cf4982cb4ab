// SPDX-License-Identifier: MIT
// instruction_supply: a core's instruction cache and the fetcher that fills it.
//
// The scheduler asks two things of it each cycle: for every warp, whether the word at
// its next PC is cached (and what kind of word it is: a branch or a memory instruction,
// from the predecode bits), and the word of the warp it issues. A warp whose word is
// missing raises a demand; the fetcher reads it from program memory, demand misses
// first, then reads ahead of the last issue while the program channel is free.
`default_nettype none

module instruction_supply
  import gpu_pkg::*;
#(
  parameter int LINES = 32,   // a power of two, 1..256
  parameter int WARPS = 2
) (
  input  logic                          clk,
  input  logic                          reset,
  input  logic                          launch,         // a kernel starts: empty the cache
  // per warp: its next PC, and what the cache knows of the word there
  input  logic [WARPS-1:0][PC_BITS-1:0] warp_pc,
  output logic [WARPS-1:0]              warp_pc_cached,
  output logic [WARPS-1:0]              warp_pc_blocks,  // BR/RET/BAR/LDR/STR
  output logic [WARPS-1:0]              warp_pc_jumps,   // BR/RET/BAR
  // the scoreboard's lookup (icache.sv)
  input  logic [PC_BITS-1:0]            scoreboard_pc,
  output logic                          scoreboard_waits_memory,
  output logic [NUM_WRITABLE_REGS-1:0]  scoreboard_registers,
  // the issue: the word read for EXECUTE
  input  logic [PC_BITS-1:0]            issue_pc,
  input  logic                          hold,           // keep the word read last (a replay)
  output logic [INSTR_BITS-1:0]         instruction,
  // a warp waits for its word
  input  logic                          demand_valid,
  input  logic [PC_BITS-1:0]            demand_pc,
  input  logic [PC_BITS-1:0]            last_issue_pc,  // where read-ahead continues
  output logic                          demand_fill,    // a demand miss is filled now
  // program memory
  output logic                          mem_read_valid,
  output logic [PC_BITS-1:0]            mem_read_address,
  input  logic                          mem_read_ready,
  input  logic [INSTR_BITS-1:0]         mem_read_data
);

  // Read-ahead needs room: with a tiny cache it would evict the words about to run.
  localparam int PREFETCH_DEPTH = (LINES >= 8) ? 4 : LINES / 2;

  logic [PC_BITS-1:0]    probe_pc;
  logic                  probe_hit;
  logic                  fill;
  logic [PC_BITS-1:0]    fill_pc;
  logic [INSTR_BITS-1:0] fill_data;

  icache #(
    .LINES       (LINES),
    .NUM_LOOKUPS (WARPS)
  ) u_icache (
    .clk                     (clk),
    .reset                   (reset),
    .invalidate              (launch),
    .lookup_pc               (warp_pc),
    .lookup_hit              (warp_pc_cached),
    .lookup_blocks           (warp_pc_blocks),
    .lookup_jumps            (warp_pc_jumps),
    .scoreboard_pc           (scoreboard_pc),
    .scoreboard_waits_memory (scoreboard_waits_memory),
    .scoreboard_registers    (scoreboard_registers),
    .probe_pc                (probe_pc),
    .probe_hit               (probe_hit),
    .read_pc                 (issue_pc),
    .read_hold               (hold),
    .read_data               (instruction),
    .fill                    (fill),
    .fill_pc                 (fill_pc),
    .fill_data               (fill_data)
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
    .mem_read_valid   (mem_read_valid),
    .mem_read_address (mem_read_address),
    .mem_read_ready   (mem_read_ready),
    .mem_read_data    (mem_read_data)
  );

endmodule
