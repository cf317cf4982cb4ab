// SPDX-License-Identifier: MIT
// decoder: turns a 16-bit instruction word into the control signals of one issue.
//
// Purely combinational. The core fetches one instruction for all active threads of
// a block (SIMT), so one decoder serves every thread. Unused opcodes 1101 and 1110
// decode like NOP (docs/isa.md). Waveforms show the instruction as text through a
// GTKWave filter (make waves), so the RTL carries no text signals.
`default_nettype none

module decoder
  import gpu_pkg::*;
(
  input  logic [INSTR_BITS-1:0] instruction,
  output decoded_instr_t        decoded
);

  // The whole decoded instruction comes from one function, driven by one assignment:
  // shaped for Icarus's speed. Built from a default-then-override always_comb and one
  // assign per field, `decoded` changed up to 16 times per new instruction word (Icarus
  // propagates each field, and each intermediate value, on its own), and every change
  // re-ran each block that reads any field of it (register files, PC units, LSUs, ALUs
  // of every warp and thread): most of the simulation time. Now it changes once.
  function automatic decoded_instr_t decode(input logic [INSTR_BITS-1:0] word);
    decoded_instr_t d;
    // Control bits, set per opcode below; everything else is a fixed field of the word.
    d.rd              = word[11:8];
    d.rs              = word[7:4];
    d.rt              = word[3:0];
    d.imm8            = word[7:0];
    d.branch_nzp      = word[11:9];
    d.alu_op          = ALU_ADD;
    d.rd_source       = RD_FROM_ALU;
    d.writes_rd       = 1'b0;
    d.is_cmp          = 1'b0;
    d.is_branch       = 1'b0;
    d.is_load         = 1'b0;
    d.is_store        = 1'b0;
    d.is_barrier      = 1'b0;
    d.is_shared_load  = 1'b0;
    d.is_shared_store = 1'b0;
    d.is_ret          = 1'b0;
    case (word[15:12])  // the opcode, compared against opcode_e values
      OP_NOP:   ;
      OP_BRNZP: d.is_branch = 1'b1;
      OP_CMP:   begin d.is_cmp    = 1'b1; d.alu_op = ALU_SUB; end
      OP_ADD:   begin d.writes_rd = 1'b1; d.alu_op = ALU_ADD; end
      OP_SUB:   begin d.writes_rd = 1'b1; d.alu_op = ALU_SUB; end
      OP_MUL:   begin d.writes_rd = 1'b1; d.alu_op = ALU_MUL; end
      OP_DIV:   begin d.writes_rd = 1'b1; d.alu_op = ALU_DIV; end
      OP_LDR:   begin d.writes_rd = 1'b1; d.is_load = 1'b1; d.rd_source = RD_FROM_LOAD; end
      OP_STR:   d.is_store  = 1'b1;
      OP_CONST: begin d.writes_rd = 1'b1; d.rd_source = RD_FROM_IMM; end
      OP_BAR:   d.is_barrier = 1'b1;
      OP_LDS:   begin d.writes_rd = 1'b1; d.is_shared_load = 1'b1; d.rd_source = RD_FROM_SHARED; end
      OP_STS:   d.is_shared_store = 1'b1;
      OP_RET:   d.is_ret    = 1'b1;
      default: ;  // unused opcodes: no effect, the thread moves on like NOP
    endcase
    return d;
  endfunction

  assign decoded = decode(instruction);

endmodule
