// fetcher: reads the next instruction word from program memory.
//
// One fetcher per core: all active threads of a block share the instruction (SIMT).
// When the scheduler asks (`request`, held while it waits) the fetcher raises a
// program-memory read at `pc` and holds it until the memory controller answers;
// `instruction_ready` is high in the cycle the word arrives, and `instruction` holds
// it from the next cycle on. An instruction cache will sit here later.
`default_nettype none

module fetcher
  import gpu_pkg::*;
(
  input  logic                   clk,
  input  logic                   reset,
  input  logic                   request,
  input  logic [PC_BITS-1:0]     pc,
  output logic                   instruction_ready,
  output logic [INSTR_BITS-1:0]  instruction,
  // to the program memory controller
  output logic                   mem_read_valid,
  output logic [PC_BITS-1:0]     mem_read_address,
  input  logic                   mem_read_ready,
  input  logic [INSTR_BITS-1:0]  mem_read_data
);

  logic                  valid_q,       valid_d;
  logic [PC_BITS-1:0]    address_q,     address_d;
  logic [INSTR_BITS-1:0] instruction_q, instruction_d;

  assign instruction_ready = valid_q && mem_read_ready;

  always_comb begin
    valid_d       = valid_q;
    address_d     = address_q;
    instruction_d = instruction_q;
    if (instruction_ready) begin
      valid_d       = 1'b0;
      instruction_d = mem_read_data;
    end else if (request && !valid_q) begin
      valid_d   = 1'b1;
      address_d = pc;
    end
  end

  always_ff @(posedge clk) begin
    if (reset) begin
      valid_q       <= 1'b0;
      address_q     <= '0;
      instruction_q <= '0;
    end else begin
      valid_q       <= valid_d;
      address_q     <= address_d;
      instruction_q <= instruction_d;
    end
  end

  assign instruction      = instruction_q;
  assign mem_read_valid   = valid_q;
  assign mem_read_address = address_q;

endmodule
