// SPDX-License-Identifier: MIT
// gpu_pkg: the instruction set, the widths every block agrees on, and the records the
// GPU reports to a simulation.
//
// One place to read the ISA from the RTL side (docs/isa.md is the prose version):
// the 4-bit opcodes, the register numbering, the NZP flag bits and the decoded form
// of an instruction that the decoder hands to the rest of the core. And the only list
// of the fields of the commit record (`commit_t`) and of a core's performance counters
// (`perf_t`), which the trace port carries when GPU_TRACE is defined (gpu.sv).
`default_nettype none

package gpu_pkg;

  // ---------------------------------------------------------------- widths
  localparam int DATA_BITS     = 8;   // registers, ALU and data memory words
  localparam int INSTR_BITS    = 16;  // one instruction word
  localparam int PC_BITS       = 8;   // program counter; branch targets are absolute IMM8
  localparam int REG_ADDR_BITS = 4;   // 16 register numbers
  localparam int NZP_BITS      = 3;
  localparam int ORDER_BITS    = 32;  // commit records' order numbers (simulation only)

  // ------------------------------------------------------------- registers
  // R0..R12 are general purpose; the top three numbers read the thread's identity.
  localparam logic [REG_ADDR_BITS-1:0] REG_BLOCK_IDX  = 4'd13;  // %blockIdx
  localparam logic [REG_ADDR_BITS-1:0] REG_BLOCK_DIM  = 4'd14;  // %blockDim
  localparam logic [REG_ADDR_BITS-1:0] REG_THREAD_IDX = 4'd15;  // %threadIdx
  localparam int NUM_WRITABLE_REGS = 13;

  // ---------------------------------------------------------------- opcodes
  typedef enum logic [3:0] {
    OP_NOP   = 4'b0000,  // PC = PC + 1
    OP_BRNZP = 4'b0001,  // if (NZP & nzp) PC = IMM8
    OP_CMP   = 4'b0010,  // NZP = compare(Rs, Rt), unsigned
    OP_ADD   = 4'b0011,  // Rd = Rs + Rt
    OP_SUB   = 4'b0100,  // Rd = Rs - Rt
    OP_MUL   = 4'b0101,  // Rd = Rs * Rt
    OP_DIV   = 4'b0110,  // Rd = Rs / Rt, Rt == 0 gives 255
    OP_LDR   = 4'b0111,  // Rd = data_mem[Rs]
    OP_STR   = 4'b1000,  // data_mem[Rs] = Rt
    OP_CONST = 4'b1001,  // Rd = IMM8
    OP_BAR   = 4'b1010,  // wait until every live thread of the block waits at a BAR
    OP_LDS   = 4'b1011,  // Rd = shared[Rs mod SHARED_MEM_BYTES]
    OP_STS   = 4'b1100,  // shared[Rs mod SHARED_MEM_BYTES] = Rt
    OP_RET   = 4'b1111   // the thread is done
    // 1101 and 1110 are unused and execute as NOP.
  } opcode_e;

  // ------------------------------------------------------------ NZP flags
  // Bit positions in the NZP register and in a branch's nzp field (instr[11:9]).
  localparam int NZP_N = 2;  // Rs <  Rt
  localparam int NZP_Z = 1;  // Rs == Rt
  localparam int NZP_P = 0;  // Rs >  Rt
  // A new thread starts as if `CMP R0, R0` had run on its zeroed registers, so
  // BRnzp (nzp = 111) always jumps.
  localparam logic [NZP_BITS-1:0] NZP_AT_START = 3'b010;

  // ------------------------------------------------------------ ALU ops
  typedef enum logic [1:0] {
    ALU_ADD = 2'd0,
    ALU_SUB = 2'd1,
    ALU_MUL = 2'd2,
    ALU_DIV = 2'd3
  } alu_op_e;

  // Where a register write takes its value from.
  typedef enum logic [1:0] {
    RD_FROM_ALU    = 2'd0,
    RD_FROM_IMM    = 2'd1,
    RD_FROM_LOAD   = 2'd2,  // data memory, when the load is answered
    RD_FROM_SHARED = 2'd3   // the block's shared memory, in EXECUTE
  } rd_source_e;

  // ------------------------------------------------- decoded instruction
  typedef struct packed {
    logic [REG_ADDR_BITS-1:0] rd;
    logic [REG_ADDR_BITS-1:0] rs;
    logic [REG_ADDR_BITS-1:0] rt;
    logic [DATA_BITS-1:0]     imm8;        // CONST value or branch target
    logic [NZP_BITS-1:0]      branch_nzp;  // condition mask of a branch
    alu_op_e                  alu_op;
    rd_source_e               rd_source;
    logic                     writes_rd;   // before the read-only filter
    logic                     is_cmp;
    logic                     is_branch;
    logic                     is_load;
    logic                     is_store;
    logic                     is_barrier;
    logic                     is_shared_load;
    logic                     is_shared_store;
    logic                     is_ret;
  } decoded_instr_t;

  // ------------------------------------------------------------- scoreboard
  // The general registers (R0-R12) an instruction reads (Rs, Rt) or writes (Rd), one bit
  // each: what the scoreboard compares with the register a warp's load is still to write.
  // (A load into R13-R15 writes nothing, so only these can be waited for.)
  function automatic logic [NUM_WRITABLE_REGS-1:0] registers_used(input logic [INSTR_BITS-1:0] word);
    logic reads_rs, reads_rt, writes_rd;
    logic [NUM_WRITABLE_REGS-1:0] used;
    case (word[15:12])
      OP_CMP, OP_STR, OP_STS:         {reads_rs, reads_rt, writes_rd} = 3'b110;
      OP_ADD, OP_SUB, OP_MUL, OP_DIV: {reads_rs, reads_rt, writes_rd} = 3'b111;
      OP_LDR, OP_LDS:                 {reads_rs, reads_rt, writes_rd} = 3'b101;
      OP_CONST:                       {reads_rs, reads_rt, writes_rd} = 3'b001;
      default:                        {reads_rs, reads_rt, writes_rd} = 3'b000;
    endcase
    used = '0;
    if (reads_rs  && int'(word[7:4])  < NUM_WRITABLE_REGS) used[word[7:4]]  = 1'b1;
    if (reads_rt  && int'(word[3:0])  < NUM_WRITABLE_REGS) used[word[3:0]]  = 1'b1;
    if (writes_rd && int'(word[11:8]) < NUM_WRITABLE_REGS) used[word[11:8]] = 1'b1;
    return used;
  endfunction

  // ------------------------------------------------------------ trace records
  // What the GPU reports to a simulation through its trace port (`ifdef GPU_TRACE in
  // gpu.sv; synthesis sees none of it). These declarations are the only list of the
  // fields: the harness prints each record whole, in binary, first field first, and the
  // Python side (tinygpu/records.py) reads the field names and widths from here. Adding
  // a field touches this package and the RTL that drives it, nothing else.

  // One thread's retired instruction, as effects (the way RVFI reports them for RISC-V
  // cores): what its PC and NZP flops took, its register file's write port, the request
  // its load/store unit put on the data-memory port (captured at the handshake), its
  // lane's access at the shared memory's port, and whether it left a barrier.
  typedef struct packed {
    logic [DATA_BITS-1:0]     block;           // %blockIdx of the thread's block
    logic [PC_BITS-1:0]       pc;              // the instruction's address
    logic [INSTR_BITS-1:0]    instr;           // its word
    logic [PC_BITS-1:0]       next_pc;         // what the thread's PC flops took
    logic [NZP_BITS-1:0]      nzp;             // what its NZP flops took
    logic                     rd_written;      // the register file took a write
    logic [REG_ADDR_BITS-1:0] rd;              //   at this index
    logic [DATA_BITS-1:0]     rd_value;        //   of this value
    logic                     mem_read;        // a data-memory read was answered
    logic                     mem_write;       // a data-memory write was answered
    logic [DATA_BITS-1:0]     mem_address;     //   at this address
    logic [DATA_BITS-1:0]     mem_data;        //   the byte returned (read) or sent (write)
    logic                     shared_read;     // the lane read shared memory (LDS)
    logic                     shared_write;    // the lane wrote shared memory (STS)
    logic [DATA_BITS-1:0]     shared_address;  //   at this address (wrapped to its size)
    logic [DATA_BITS-1:0]     shared_data;     //   the byte returned or stored
    logic                     barrier;         // it left a BAR (its warp released it)
    logic [ORDER_BITS-1:0]    order;           // the instruction's number in its warp's stream
  } commit_t;
  // Widths of the trace port's records: without GPU_TRACE nothing uses them.
  /* verilator lint_off UNUSEDPARAM */
  localparam int COMMIT_BITS = $bits(commit_t);
  /* verilator lint_on UNUSEDPARAM */

  // One core's performance counters (perf_counters.sv), each counting one kind of event
  // from a kernel's launch to its end.
  localparam int COUNTER_BITS = 32;
  typedef struct packed {
    logic [COUNTER_BITS-1:0] busy_cycles;          // a block is on the core
    logic [COUNTER_BITS-1:0] issued;               // instructions executed, one per warp instruction
    logic [COUNTER_BITS-1:0] thread_instructions;  // instructions retired, counted per thread
    logic [COUNTER_BITS-1:0] icache_hits;          // instructions read from the cache (every issue)
    logic [COUNTER_BITS-1:0] icache_misses;        // words fetched because a warp waited for them
    logic [COUNTER_BITS-1:0] fetch_stall_cycles;   // nothing executes: a warp waits for its instruction
    logic [COUNTER_BITS-1:0] memory_stall_cycles;  // nothing executes: every running warp waits on memory
    logic [COUNTER_BITS-1:0] divergent_issues;     // executed with fewer threads than the warp has live
    logic [COUNTER_BITS-1:0] merged_loads;         // thread loads served by another thread's read
    logic [COUNTER_BITS-1:0] warp_switches;        // executed another warp than in the cycle before
    logic [COUNTER_BITS-1:0] barrier_wait_cycles;  // some thread waits at a barrier
    logic [COUNTER_BITS-1:0] shared_loads;         // LDS thread accesses
    logic [COUNTER_BITS-1:0] shared_stores;        // STS thread accesses
  } perf_t;
  /* verilator lint_off UNUSEDPARAM */
  localparam int PERF_BITS = $bits(perf_t);
  /* verilator lint_on UNUSEDPARAM */

endpackage
