// SPDX-License-Identifier: MIT
// icache: a core's instruction cache.
//
// Direct-mapped, one instruction per line (the program channel delivers one 16-bit word
// per read, so a longer line would only add latency before the first word). Line i holds
// the instruction at an address whose low bits are i; its tag is the whole address,
// which keeps every size from 1 to 256 lines the same code. Three kinds of access:
//
//   lookup  combinational: does line `lookup_pc[w]` hold that address (one lookup per
//           warp, so the scheduler sees every warp's next instruction at once)? And,
//           predecoded at fill time: does that instruction stop its warp from issuing
//           again before it has executed (`lookup_blocks`: a branch, RET, BAR, LDR or
//           STR), and is its successor not simply the next PC (`lookup_jumps`: branch,
//           RET, BAR)?
//   scoreboard lookup  combinational, one per core, for the warp the scheduler stays
//           with (`scoreboard_pc`): must the instruction there wait until its warp's
//           load or store has completed (`scoreboard_waits_memory`: LDR, STR, BAR,
//           RET), and which of R0-R12 does it read or write (`scoreboard_registers`)?
//           The warp's scoreboard compares those with the register its load is still
//           to write. (One lookup, not one per warp: 14 bits through a mux of LINES
//           inputs cost about 430 iCE40 LUTs each, and the other warps rarely need it,
//           see scheduler.sv.)
//   read    registered: the word at `read_pc` comes out in the next cycle (the core's
//           execute stage), the way a block RAM reads;
//   fill    the fetcher writes a word that arrived from program memory.
//
// `invalidate` (a kernel launch) empties the cache: the host may have loaded another
// program since the last one.
`default_nettype none

module icache
  import gpu_pkg::*;
#(
  parameter int LINES       = 32,  // 1..256, a power of two
  parameter int NUM_LOOKUPS = 2
) (
  input  logic                                    clk,
  input  logic                                    reset,
  input  logic                                    invalidate,
  // lookups
  input  logic [NUM_LOOKUPS-1:0][PC_BITS-1:0]     lookup_pc,
  output logic [NUM_LOOKUPS-1:0]                  lookup_hit,
  output logic [NUM_LOOKUPS-1:0]                  lookup_blocks,
  output logic [NUM_LOOKUPS-1:0]                  lookup_jumps,
  input  logic [PC_BITS-1:0]                      scoreboard_pc,
  output logic                                    scoreboard_waits_memory,
  output logic [NUM_WRITABLE_REGS-1:0]            scoreboard_registers,
  input  logic [PC_BITS-1:0]                      probe_pc,     // the fetcher's prefetch check
  output logic                                    probe_hit,
  // read (data next cycle)
  input  logic [PC_BITS-1:0]                      read_pc,
  input  logic                                    read_hold,    // keep the word read last
  output logic [INSTR_BITS-1:0]                   read_data,
  // fill
  input  logic                                    fill,
  input  logic [PC_BITS-1:0]                      fill_pc,
  input  logic [INSTR_BITS-1:0]                   fill_data
);

  localparam int INDEX_BITS = (LINES > 1) ? $clog2(LINES) : 1;

  logic [LINES-1:0]                valid_q;
  logic [LINES-1:0][PC_BITS-1:0]   tag_q;
  logic [LINES-1:0]                blocks_q;
  logic [LINES-1:0]                jumps_q;
  logic [LINES-1:0]                waits_memory_q;
  logic [LINES-1:0][NUM_WRITABLE_REGS-1:0]  registers_q;
  logic [INSTR_BITS-1:0]           words_q [LINES];   // a block RAM in synthesis
  logic [INSTR_BITS-1:0]           read_data_q;

  function automatic logic [INDEX_BITS-1:0] line_of(input logic [PC_BITS-1:0] pc);
    return (LINES > 1) ? INDEX_BITS'(pc % LINES) : '0;
  endfunction

  // An instruction after which its warp's next PC is not simply PC + 1 (after a BAR the
  // warp goes on with the threads not yet waiting, wherever they are).
  function automatic logic jumps(input logic [3:0] opcode);
    return opcode == OP_BRNZP || opcode == OP_RET || opcode == OP_BAR;
  endfunction
  // One that, besides, starts a load or store: the warp issues nothing more until it
  // has executed (then the register its load writes is known to the scoreboard).
  function automatic logic stops_issue(input logic [3:0] opcode);
    return jumps(opcode) || opcode == OP_LDR || opcode == OP_STR;
  endfunction
  // One that may not start while its warp has a load or store out: another load or store
  // (each thread has one load/store unit), and BAR and RET, which must find every store
  // of the block done (a barrier orders memory; a finished block has nothing in flight).
  function automatic logic waits_memory(input logic [3:0] opcode);
    return opcode == OP_LDR || opcode == OP_STR || opcode == OP_BAR || opcode == OP_RET;
  endfunction
  // The lookups as continuous assignments, the line computed once each, without calling
  // line_of: shaped for Icarus's speed (it ran the loop, with its eight function calls,
  // as a process each time any warp's PC or any line changed).
  for (genvar w = 0; w < NUM_LOOKUPS; w++) begin : g_lookups
    logic [INDEX_BITS-1:0] line;
    assign line             = INDEX_BITS'(lookup_pc[w] % LINES);  // line_of(lookup_pc[w])
    assign lookup_hit[w]    = valid_q[line] && tag_q[line] == lookup_pc[w];
    assign lookup_blocks[w] = blocks_q[line];
    assign lookup_jumps[w]  = jumps_q[line];
  end
  logic [INDEX_BITS-1:0] scoreboard_line;
  assign scoreboard_line         = INDEX_BITS'(scoreboard_pc % LINES);  // line_of(scoreboard_pc)
  assign scoreboard_waits_memory = waits_memory_q[scoreboard_line];
  assign scoreboard_registers    = registers_q[scoreboard_line];
  logic [INDEX_BITS-1:0] probe_line;
  assign probe_line = INDEX_BITS'(probe_pc % LINES);  // line_of(probe_pc)
  assign probe_hit  = valid_q[probe_line] && tag_q[probe_line] == probe_pc;

  always_ff @(posedge clk) begin
    if (reset || invalidate) begin
      valid_q <= '0;
    end else if (fill) begin
      valid_q[line_of(fill_pc)] <= 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (fill) begin
      tag_q[line_of(fill_pc)]    <= fill_pc;
      blocks_q[line_of(fill_pc)] <= stops_issue(fill_data[15:12]);
      jumps_q[line_of(fill_pc)]  <= jumps(fill_data[15:12]);
      waits_memory_q[line_of(fill_pc)] <= waits_memory(fill_data[15:12]);
      registers_q[line_of(fill_pc)]    <= registers_used(fill_data);
    end
  end

  // The word array and its registered read, in the shape synthesis maps to block RAM
  // (a line being filled while it is read gives the old word; the scheduler reads only
  // lines that hit, and a fill replaces a line that does not hold the address asked).
  always_ff @(posedge clk) begin
    if (fill) words_q[line_of(fill_pc)] <= fill_data;
    if (!read_hold) read_data_q <= words_q[line_of(read_pc)];
  end
  assign read_data = read_data_q;

endmodule
