// SPDX-License-Identifier: MIT
// warp_formal: the proof harness of warp (make formal).
//
// A warp holds one resident block's thread PCs, live threads and next issue PC (the
// scheduler picks among warps; this is where "the smallest live PC, to exactly the
// threads at it" lives). The rest of the core is free inputs, constrained as the core
// behaves: the scheduler issues the warp only when it is ready, and within ISSUE_BOUND
// cycles of it being ready (fair round robin); the issued instruction executes in the
// next cycle, and its kind (branch, RET, BAR, load/store, other) matches the predecode
// bits seen at issue; an "other" or load/store instruction's threads go to PC + 1 and a
// RET's stay, a branch's go anywhere (next_pc is free); a load/store completes within
// MEM_BOUND cycles of a cycle in which the warp executes nothing (the scoreboard: the
// registers each instruction uses and the register a load writes are free, so any
// dependence may occur; the scheduler never issues what the warp reports stalled).
// The harness keeps its own model of every thread's PC, liveness and barrier
// wait, updated from what the warp reports (block start, retiring threads) and from
// the rule of the barrier (the threads executing BAR wait; when every live thread
// waits, all go on at PC + 1), and proves (k-induction), besides every assertion
// inside warp.sv:
//   - an executed instruction is at the smallest PC of the live threads not waiting at
//     a barrier, and its active threads are exactly those at that PC;
//   - the warp's barrier state and releases are the model's;
//   - progress: while the block runs, some thread retires or reaches a barrier at least
//     every PROGRESS_BOUND cycles;
//   - the block is reported done exactly when its last live thread leaves.
`default_nettype none

module warp_formal
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 3,
  parameter int ISSUE_BOUND       = 2,
  parameter int MEM_BOUND         = 2,
  parameter int PROGRESS_BOUND    = 8
) (
  input logic                                      clk,
  input logic                                      block_start,
  input logic [DATA_BITS-1:0]                      block_idx_in,
  input logic [$clog2(THREADS_PER_BLOCK + 1)-1:0]  block_thread_count,
  input logic                                      issue,
  input logic [2:0]                                kind,          // of the word issued now
  input logic                                      predecoded,    // the next two are known
  input logic [NUM_WRITABLE_REGS-1:0]              registers,     // it reads or writes
  input logic                                      is_load,       // a K_MEMORY word: LDR (else STR)
  input logic [REG_ADDR_BITS-1:0]                  rd,            // the register a load writes
  input logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] branch_target,
  input logic                                      mem_answer     // memory answers now
);

  localparam int T = THREADS_PER_BLOCK;
  localparam logic [2:0] K_OTHER = 3'd0, K_BRANCH = 3'd1, K_RET = 3'd2, K_MEMORY = 3'd3, K_BARRIER = 3'd4;

  logic started_q = 1'b0;
  logic reset;
  always_ff @(posedge clk) started_q <= 1'b1;
  assign reset = !started_q;

  // ------------------------------------------------------------ pipeline around the warp
  logic               exec_q;      // the instruction issued last cycle executes now
  logic [2:0]         exec_kind_q;
  logic [PC_BITS-1:0] exec_pc_q;
  logic               ready, scoreboard_stall, block_idle, block_done, clear, mem_waiting;
  logic               exec_is_load_q;
  logic [REG_ADDR_BITS-1:0] exec_rd_q;
  logic [NUM_WRITABLE_REGS-1:0] exec_registers_q;  // what the executing word uses
  logic [PC_BITS-1:0] issue_pc;
  logic [DATA_BITS-1:0] block_idx;
  logic [T-1:0]       active, mem_active, exec_commit, commit, live, released, barrier_waiting;
  logic [T-1:0][PC_BITS-1:0] next_pc, pc_written;
  logic               mem_complete;

  always_ff @(posedge clk) begin
    exec_q      <= !reset && issue;
    exec_kind_q <= kind;
    exec_pc_q   <= issue_pc;
    exec_is_load_q <= is_load;
    exec_rd_q      <= rd;
    exec_registers_q <= registers;
  end

  // What each thread's PC unit computes for the executing instruction.
  always @(*) begin
    for (int t = 0; t < T; t++) begin
      case (exec_kind_q)
        K_BRANCH: next_pc[t] = branch_target[t];
        K_RET:    next_pc[t] = exec_pc_q;
        default:  next_pc[t] = exec_pc_q + 1'b1;
      endcase
    end
  end

  warp #(.THREADS_PER_BLOCK (T)) dut (
    .clk (clk), .reset (reset), .block_start (block_start), .block_idx_in (block_idx_in),
    .block_thread_count (block_thread_count), .block_idle (block_idle), .block_done (block_done),
    .block_idx (block_idx), .clear (clear), .ready (ready),
    .scoreboard_stall (scoreboard_stall), .issue_pc (issue_pc), .issue (issue),
    .issue_blocks (kind != K_OTHER), .issue_jumps (kind == K_BRANCH || kind == K_RET || kind == K_BARRIER),
    .issue_waits_memory (kind == K_MEMORY || kind == K_RET || kind == K_BARRIER),
    .issue_predecoded (predecoded), .issue_registers (registers),
    .exec (exec_q), .exec_pc (exec_pc_q), .exec_is_memory (exec_kind_q == K_MEMORY),
    .exec_is_load (exec_is_load_q), .exec_rd (exec_rd_q),
    .exec_is_ret (exec_kind_q == K_RET), .exec_is_barrier (exec_kind_q == K_BARRIER),
    // Every active thread retires what executes (the bank-conflict replay of LDS/STS,
    // which retires some of them, is checked in simulation, not here).
    .exec_retire ('1),
    .next_pc (next_pc), .active (active),
    .mem_complete (mem_complete), .mem_active (mem_active), .mem_waiting (mem_waiting),
    .exec_commit (exec_commit), .commit (commit), .released (released),
    .barrier_waiting (barrier_waiting), .live (live), .pc_written (pc_written)
  );

  logic [3:0] ready_for_q, mem_for_q;
  always_ff @(posedge clk) begin
    ready_for_q <= (reset || !ready || scoreboard_stall || issue) ? 4'd0 : ready_for_q + 4'd1;
    mem_for_q   <= (reset || !mem_waiting || mem_complete) ? 4'd0 : mem_for_q + 4'd1;
  end
  // As the core: complete only in a cycle when the warp executes nothing.
  assign mem_complete = mem_waiting && !exec_q && (mem_answer || int'(mem_for_q) >= MEM_BOUND - 1);

  always @(*) begin
    assume (!block_start || block_idle);
    assume (int'(block_thread_count) >= 1 && int'(block_thread_count) <= T);
    assume (kind <= K_BARRIER);
    assume (!issue || (ready && !scoreboard_stall));
    if (int'(ready_for_q) >= ISSUE_BOUND - 1) assume (!ready || scoreboard_stall || issue);
  end

  // ------------------------------------------------------------ reference model
  logic [T-1:0][PC_BITS-1:0] pc_q;
  logic [T-1:0]              live_q;
  logic [T-1:0]              waiting_q;      // at a barrier
  logic [PC_BITS-1:0]        smallest;       // of the live threads not waiting
  logic [T-1:0]              at_smallest;
  logic [T-1:0]              live_after;     // after this cycle's RET
  logic [T-1:0]              waiting_after;  // with this cycle's arrivals at a BAR
  logic                      release_now;
  always @(*) begin
    smallest = '1;
    for (int t = 0; t < T; t++) if (live_q[t] && !waiting_q[t] && pc_q[t] < smallest) smallest = pc_q[t];
    for (int t = 0; t < T; t++) at_smallest[t] = live_q[t] && !waiting_q[t] && pc_q[t] == smallest;
    live_after    = live_q & ~((exec_q && exec_kind_q == K_RET) ? at_smallest : '0);
    waiting_after = waiting_q | ((exec_q && exec_kind_q == K_BARRIER) ? at_smallest : '0);
    release_now   = waiting_after != '0 && (live_after & ~waiting_after) == '0;
  end

  always_ff @(posedge clk) begin
    if (reset) begin
      live_q    <= '0;
      waiting_q <= '0;
      pc_q      <= '0;
    end else if (block_start) begin
      waiting_q <= '0;
      for (int t = 0; t < T; t++) begin
        live_q[t] <= (t < int'(block_thread_count));
        pc_q[t]   <= '0;
      end
    end else begin
      live_q    <= live_after;
      waiting_q <= release_now ? '0 : waiting_after;
      for (int t = 0; t < T; t++) begin
        if (exec_commit[t]) pc_q[t] <= next_pc[t];
        if (exec_q && exec_kind_q == K_MEMORY && at_smallest[t]) pc_q[t] <= pc_q[t] + 1'b1;
        if (release_now && waiting_after[t]) pc_q[t] <= pc_q[t] + 1'b1;
      end
    end
  end

  logic       running;
  logic [3:0] since_retire_q;
  assign running = !block_idle;
  always_ff @(posedge clk) begin
    since_retire_q <= (reset || !running || commit != '0 || (exec_q && exec_kind_q == K_BARRIER))
                      ? 4'd0 : since_retire_q + 4'd1;
  end

  always @(posedge clk) begin
    if (!reset) begin
      if (exec_q) begin
        assert (exec_pc_q == smallest);
        assert (active == at_smallest);
      end
      assert (int'(since_retire_q) < PROGRESS_BOUND);
      assert (block_done == (live_q != '0 && (live_q & ~(exec_commit & {T{exec_kind_q == K_RET}})) == '0));
      // The model is the warp's own state (the invariants that make induction work).
      assert (dut.live_q == live_q);
      assert (barrier_waiting == waiting_q);
      assert (released == (release_now ? waiting_after : '0));
      if (exec_q && exec_kind_q == K_BARRIER) assert (exec_commit == '0);
      for (int t = 0; t < T; t++) assert (!live_q[t] || dut.pc_q[t] == pc_q[t]);
      assert ((live_q == '0) == block_idle);
      if (running && !dut.blocked_q && !exec_q) assert (issue_pc == smallest);
      if (exec_q && exec_kind_q == K_OTHER) assert (issue_pc == exec_pc_q + 1'b1 || dut.blocked_q);
      // Only what does not need memory done runs while a load or store is out.
      if (exec_q && (exec_kind_q == K_MEMORY || exec_kind_q == K_RET || exec_kind_q == K_BARRIER))
        assert (!mem_waiting);
      if (exec_q && exec_kind_q == K_MEMORY) assert (exec_commit == '0);
      if (exec_q && exec_kind_q != K_OTHER) assert (dut.blocked_q);  // (induction helper)
      // The scoreboard: nothing that reads or writes the register a load of the warp is
      // still to write executes (when the word's registers were known at issue).
      assert (!dut.load_q || int'(dut.load_rd_q) < NUM_WRITABLE_REGS);  // only R0-R12 pend
      assert (!(exec_q && mem_waiting && dut.load_q && exec_registers_q[dut.load_rd_q]));
    end
  end

  // Reachable: threads at different PCs, and back together after diverging.
  logic [T-1:0] diverged_q;
  always_ff @(posedge clk) begin
    if (reset || block_start) diverged_q <= '0;
    else if (exec_q && active != live_q) diverged_q <= diverged_q | (live_q & ~active);
  end
  always @(posedge clk) begin
    if (!reset) begin
      cover (exec_q && active != live_q);
      cover (exec_q && diverged_q != '0 && active == live_q && live_q != '0);
      cover (mem_complete && issue);           // issues again in the cycle memory answers
      cover (exec_q && issue);                 // back-to-back issue
      cover (exec_q && exec_kind_q == K_OTHER && mem_waiting);  // runs while a load is out
      cover (ready && scoreboard_stall && mem_waiting && dut.load_q);  // held by the scoreboard
      // held for the register itself (the word predecoded, neither LDR/STR/BAR/RET)
      cover (ready && scoreboard_stall && predecoded && kind == K_OTHER && registers[dut.load_rd_q]);
      cover (block_done);
      cover (release_now && waiting_after != live_q);  // released without a thread that left
      // divergent barrier: released threads waited at different PCs
      cover (release_now && waiting_after[0] && waiting_after[1] && pc_q[0] != pc_q[1]);
      // released by a RET: the last running threads left
      cover (release_now && exec_q && exec_kind_q == K_RET);
    end
  end

endmodule
