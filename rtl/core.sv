// core: runs one block of threads at a time.
//
// The shared front end (scheduler, fetcher, decoder) issues one instruction at a time
// to the active threads; each thread has its own register file, ALU, PC unit and LSU,
// as in tiny-gpu. The dispatcher hands the core a block; the core reports when every
// thread of it has returned.
//
// The commit_* outputs describe what retires in each cycle, as effects (the way RVFI
// does for RISC-V cores): which threads retire, the instruction, and per thread what
// the hardware actually did: the register file's write (enable, index, value, taken
// at its write port), the NZP the PC unit's flops take, the PC the scheduler's flops
// take, and the data-memory request the thread's LSU put on the core's port (captured
// at the valid/ready handshake: direction, address, data written or returned). None of
// it is rebuilt from the instruction word, so a write that goes to the wrong place is
// seen at the instruction that did it. Nothing in the GPU uses these outputs: the
// simulation harness logs them and the golden model is compared with every field. In
// synthesis they drive nothing and vanish.
`default_nettype none

module core
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 4,
  parameter int COUNT_BITS        = $clog2(THREADS_PER_BLOCK + 1)
) (
  input  logic                          clk,
  input  logic                          reset,
  // block handshake with the dispatcher
  input  logic                          block_start,
  input  logic [DATA_BITS-1:0]          block_idx_in,
  input  logic [COUNT_BITS-1:0]         block_thread_count,
  output logic                          block_idle,
  output logic                          block_done,
  // program memory: one requester, the fetcher
  output logic                          program_mem_read_valid,
  output logic [PC_BITS-1:0]            program_mem_read_address,
  input  logic                          program_mem_read_ready,
  input  logic [INSTR_BITS-1:0]         program_mem_read_data,
  // data memory: one requester per thread (its LSU)
  output logic [THREADS_PER_BLOCK-1:0]                 data_mem_read_valid,
  output logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0]  data_mem_read_address,
  input  logic [THREADS_PER_BLOCK-1:0]                 data_mem_read_ready,
  input  logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0]  data_mem_read_data,
  output logic [THREADS_PER_BLOCK-1:0]                 data_mem_write_valid,
  output logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0]  data_mem_write_address,
  output logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0]  data_mem_write_data,
  input  logic [THREADS_PER_BLOCK-1:0]                 data_mem_write_ready,
  // commit port (simulation only; see the header)
  output logic [THREADS_PER_BLOCK-1:0]                 commit_valid,
  output logic [PC_BITS-1:0]                           commit_pc,
  output logic [INSTR_BITS-1:0]                        commit_instr,
  output logic [DATA_BITS-1:0]                         commit_block_idx,
  output logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0]    commit_next_pc,
  output logic [THREADS_PER_BLOCK-1:0][NZP_BITS-1:0]   commit_nzp,
  output logic [THREADS_PER_BLOCK-1:0]                 commit_rd_written,
  output logic [THREADS_PER_BLOCK-1:0][REG_ADDR_BITS-1:0] commit_rd,
  output logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0]  commit_rd_value,
  output logic [THREADS_PER_BLOCK-1:0]                 commit_mem_read,   // a read was answered
  output logic [THREADS_PER_BLOCK-1:0]                 commit_mem_write,  // a write was answered
  output logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0]  commit_mem_address,
  output logic [THREADS_PER_BLOCK-1:0][DATA_BITS-1:0]  commit_mem_data    // read: returned; write: sent
);

  logic                          clear_threads;
  logic                          fetch_request;
  logic [PC_BITS-1:0]            issue_pc;
  logic                          instruction_ready;
  logic [INSTR_BITS-1:0]         instruction;
  decoded_instr_t                decoded;
  logic [DATA_BITS-1:0]          block_idx;
  // Threads the current instruction is issued to; shown in waveforms and traces.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [THREADS_PER_BLOCK-1:0]  active_mask;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [THREADS_PER_BLOCK-1:0]  lsu_start;
  logic [THREADS_PER_BLOCK-1:0]  lsu_busy;
  logic [THREADS_PER_BLOCK-1:0]  commit_mask;
  logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] next_pc;
  logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] pc_written;

  scheduler #(
    .THREADS_PER_BLOCK (THREADS_PER_BLOCK)
  ) u_scheduler (
    .clk                (clk),
    .reset              (reset),
    .block_start        (block_start),
    .block_idx_in       (block_idx_in),
    .block_thread_count (block_thread_count),
    .block_idle         (block_idle),
    .block_done         (block_done),
    .block_idx          (block_idx),
    .clear_threads      (clear_threads),
    .fetch_request      (fetch_request),
    .issue_pc           (issue_pc),
    .instruction_ready  (instruction_ready),
    .issue_is_memory    (decoded.is_load || decoded.is_store),
    .issue_is_ret       (decoded.is_ret),
    .next_pc            (next_pc),
    .lsu_busy           (lsu_busy),
    .active_mask        (active_mask),
    .lsu_start          (lsu_start),
    .commit_mask        (commit_mask),
    .pc_written         (pc_written)
  );

  fetcher u_fetcher (
    .clk               (clk),
    .reset             (reset),
    .request           (fetch_request),
    .pc                (issue_pc),
    .instruction_ready (instruction_ready),
    .instruction       (instruction),
    .mem_read_valid    (program_mem_read_valid),
    .mem_read_address  (program_mem_read_address),
    .mem_read_ready    (program_mem_read_ready),
    .mem_read_data     (program_mem_read_data)
  );

  decoder u_decoder (
    .instruction (instruction),
    .decoded     (decoded)
  );

  // Decoded fields every thread uses.
  rd_source_e           rd_source;
  logic [DATA_BITS-1:0] immediate;
  assign rd_source     = decoded.rd_source;
  assign immediate     = decoded.imm8;

  // ------------------------------------------------------------ threads
  for (genvar t = 0; t < THREADS_PER_BLOCK; t++) begin : g_threads
    logic [DATA_BITS-1:0] rs_value;
    logic [DATA_BITS-1:0] rt_value;
    logic [DATA_BITS-1:0] alu_result;
    logic [NZP_BITS-1:0]  compare_nzp;
    logic [DATA_BITS-1:0] load_data;
    logic [DATA_BITS-1:0] rd_value;
    logic                 rd_written;
    logic [NZP_BITS-1:0]  nzp_stored;
    // The register file's write port, named so the commit port reports exactly it.
    logic                     rf_write_enable;
    logic [REG_ADDR_BITS-1:0] rf_write_index;
    assign rf_write_enable = commit_mask[t] && decoded.writes_rd;
    assign rf_write_index  = decoded.rd;

    register_file u_registers (
      .clk            (clk),
      .reset          (reset),
      .clear          (clear_threads),
      .block_idx      (block_idx),
      .block_dim      (DATA_BITS'(THREADS_PER_BLOCK)),
      .thread_idx     (DATA_BITS'(t)),
      .rs_addr        (decoded.rs),
      .rt_addr        (decoded.rt),
      .rs_value       (rs_value),
      .rt_value       (rt_value),
      .write_enable   (rf_write_enable),
      .rd_addr        (rf_write_index),
      .rd_value       (rd_value),
      .write_accepted (rd_written)
    );

    alu u_alu (
      .op          (decoded.alu_op),
      .rs_value    (rs_value),
      .rt_value    (rt_value),
      .result      (alu_result),
      .compare_nzp (compare_nzp)
    );

    pc_unit u_pc (
      .clk         (clk),
      .reset       (reset),
      .clear       (clear_threads),
      .commit      (commit_mask[t]),
      .is_cmp        (decoded.is_cmp),
      .is_branch     (decoded.is_branch),
      .is_ret        (decoded.is_ret),
      .branch_nzp    (decoded.branch_nzp),
      .branch_target (decoded.imm8),
      .pc          (issue_pc),
      .compare_nzp (compare_nzp),
      .next_pc     (next_pc[t]),
      .nzp_stored  (nzp_stored)
    );

    lsu u_lsu (
      .clk               (clk),
      .reset             (reset),
      .start_load        (lsu_start[t] && decoded.is_load),
      .start_store       (lsu_start[t] && decoded.is_store),
      .address           (rs_value),
      .store_data        (rt_value),
      .busy              (lsu_busy[t]),
      .load_data         (load_data),
      .mem_read_valid    (data_mem_read_valid[t]),
      .mem_read_address  (data_mem_read_address[t]),
      .mem_read_ready    (data_mem_read_ready[t]),
      .mem_read_data     (data_mem_read_data[t]),
      .mem_write_valid   (data_mem_write_valid[t]),
      .mem_write_address (data_mem_write_address[t]),
      .mem_write_data    (data_mem_write_data[t]),
      .mem_write_ready   (data_mem_write_ready[t])
    );

    always_comb begin
      case (rd_source)
        RD_FROM_IMM:  rd_value = immediate;
        RD_FROM_LOAD: rd_value = load_data;
        default:      rd_value = alu_result;
      endcase
    end

    // The request this thread's LSU put on the data-memory port, captured at the
    // handshake and held until the instruction retires (commit port only).
    logic                 bus_read_q,    bus_read_d;
    logic                 bus_write_q,   bus_write_d;
    logic [DATA_BITS-1:0] bus_address_q, bus_address_d;
    logic [DATA_BITS-1:0] bus_data_q,    bus_data_d;
    // This thread's slice of the ports, as plain wires: Icarus cannot sort an always_comb
    // that reads a constant select of a wider bus (it would re-run it on every bit).
    logic                 read_answered, write_answered, retiring;
    logic [DATA_BITS-1:0] read_address, read_data, write_address, write_data;
    assign read_answered  = data_mem_read_valid[t] && data_mem_read_ready[t];
    assign write_answered = data_mem_write_valid[t] && data_mem_write_ready[t];
    assign retiring       = commit_mask[t];
    assign read_address   = data_mem_read_address[t];
    assign read_data      = data_mem_read_data[t];
    assign write_address  = data_mem_write_address[t];
    assign write_data     = data_mem_write_data[t];
    always_comb begin
      bus_read_d    = bus_read_q;
      bus_write_d   = bus_write_q;
      bus_address_d = bus_address_q;
      bus_data_d    = bus_data_q;
      if (retiring) begin
        bus_read_d  = 1'b0;
        bus_write_d = 1'b0;
      end
      if (read_answered) begin
        bus_read_d    = 1'b1;
        bus_address_d = read_address;
        bus_data_d    = read_data;
      end
      if (write_answered) begin
        bus_write_d   = 1'b1;
        bus_address_d = write_address;
        bus_data_d    = write_data;
      end
    end
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

    assign commit_next_pc[t]     = pc_written[t];
    assign commit_nzp[t]         = nzp_stored;
    assign commit_rd_written[t]  = rd_written;
    assign commit_rd[t]          = rf_write_index;
    assign commit_rd_value[t]    = rd_value;
    assign commit_mem_read[t]    = bus_read_q;
    assign commit_mem_write[t]   = bus_write_q;
    assign commit_mem_address[t] = bus_address_q;
    assign commit_mem_data[t]    = bus_data_q;
  end

  assign commit_valid     = commit_mask;
  assign commit_pc        = issue_pc;
  assign commit_instr     = instruction;
  assign commit_block_idx = block_idx;


endmodule
