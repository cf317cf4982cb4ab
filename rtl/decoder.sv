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

  logic [3:0] opcode;  // compared against opcode_e values
  assign opcode = instruction[15:12];

  // Control bits, set per opcode below; everything else is a fixed field of the word.
  logic       writes_rd, is_cmp, is_branch, is_load, is_store, is_ret;
  logic       is_barrier, is_shared_load, is_shared_store;
  alu_op_e    alu_op;
  rd_source_e rd_source;

  always_comb begin
    writes_rd    = 1'b0;
    is_cmp       = 1'b0;
    is_branch    = 1'b0;
    is_load      = 1'b0;
    is_store     = 1'b0;
    is_ret       = 1'b0;
    is_barrier      = 1'b0;
    is_shared_load  = 1'b0;
    is_shared_store = 1'b0;
    alu_op       = ALU_ADD;
    rd_source    = RD_FROM_ALU;

    case (opcode)
      OP_NOP:   ;
      OP_BRNZP: is_branch = 1'b1;
      OP_CMP:   begin is_cmp    = 1'b1; alu_op = ALU_SUB; end
      OP_ADD:   begin writes_rd = 1'b1; alu_op = ALU_ADD; end
      OP_SUB:   begin writes_rd = 1'b1; alu_op = ALU_SUB; end
      OP_MUL:   begin writes_rd = 1'b1; alu_op = ALU_MUL; end
      OP_DIV:   begin writes_rd = 1'b1; alu_op = ALU_DIV; end
      OP_LDR:   begin writes_rd = 1'b1; is_load = 1'b1; rd_source = RD_FROM_LOAD; end
      OP_STR:   is_store  = 1'b1;
      OP_CONST: begin writes_rd = 1'b1; rd_source = RD_FROM_IMM; end
      OP_BAR:   is_barrier = 1'b1;
      OP_LDS:   begin writes_rd = 1'b1; is_shared_load = 1'b1; rd_source = RD_FROM_SHARED; end
      OP_STS:   is_shared_store = 1'b1;
      OP_RET:   is_ret    = 1'b1;
      default: ;  // unused opcodes: no effect, the thread moves on like NOP
    endcase
  end

  assign decoded.rd         = instruction[11:8];
  assign decoded.rs         = instruction[7:4];
  assign decoded.rt         = instruction[3:0];
  assign decoded.imm8       = instruction[7:0];
  assign decoded.branch_nzp = instruction[11:9];
  assign decoded.alu_op     = alu_op;
  assign decoded.rd_source  = rd_source;
  assign decoded.writes_rd  = writes_rd;
  assign decoded.is_cmp     = is_cmp;
  assign decoded.is_branch  = is_branch;
  assign decoded.is_load    = is_load;
  assign decoded.is_store   = is_store;
  assign decoded.is_barrier      = is_barrier;
  assign decoded.is_shared_load  = is_shared_load;
  assign decoded.is_shared_store = is_shared_store;
  assign decoded.is_ret     = is_ret;

endmodule
