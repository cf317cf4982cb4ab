// SPDX-License-Identifier: MIT
// warp: the control state of one block resident on a core.
//
// A core keeps WARPS_PER_CORE blocks at once, each a warp: its threads share one
// instruction stream but each keeps its own PC (they may branch apart). This module
// holds one warp's PCs, the mask of live threads (started, not yet RET), and where its
// instruction stream stands:
//
//   issue_pc  the next instruction it will issue: the smallest PC among live threads
//             (the threads that took the short side of a branch wait there for the rest:
//             reconvergence). After any instruction but a branch or RET it is PC + 1 at
//             once, so the warp can issue again in the next cycle. After a branch, RET
//             or BAR the next PC is known only once the instruction has executed: the
//             warp is `blocked` until then. After LDR/STR too, for the one cycle until it
//             executes (then the register its load will write is known). Other warps
//             issue meanwhile.
//
// Executing an instruction (`exec`) moves the threads at its PC (`active`) to their next
// PC and, but for LDR/STR (below) and BAR, retires it for them; RET takes them out of
// the live mask. (An LDS/STS with a
// shared-memory bank conflict retires only the threads served (`exec_retire`); the core
// executes it again for the others, which are still at its PC.) When the last live
// thread executes RET the warp reports `block_done` in that cycle and is idle from the
// next.
//
// Loads and stores do not stall the warp (a scoreboard). An executed LDR/STR moves its
// threads on to PC + 1 at once and stays out (`mem_waiting`) until the core reports
// `mem_complete`: memory has answered every thread, and the loaded bytes are written
// back (in a cycle when the warp executes nothing else, so a thread retires one
// instruction per cycle and its register file has one write port). Meanwhile the warp
// issues what does not depend on it: `scoreboard_stall` holds back its next
// instruction when that reads or writes the register the load will write, or is
// another LDR/STR (each thread has one load/store unit), a BAR or a RET (a barrier and
// the end of a block must find the block's stores done). So a warp has at most one
// memory instruction out, and its loads and stores reach memory in program order. The
// core predecodes the next instruction of one warp only, the one its scheduler stays
// with (`issue_predecoded`); another warp with a load or store out waits for it.
//
// Block barrier (BAR): the threads that execute it stop there (`barrier_waiting`) and
// leave the set the smallest PC is taken over, so the warp goes on with the others. When
// every live thread waits, at one BAR or at different ones, all of them are released in
// that cycle (`released`): they retire their BAR and go on at PC + 1. Threads that have
// left (RET) do not count, so a RET can release a barrier too. A block is one warp and a
// BAR waits on the scoreboard until the warp's load or store is out no more, so every
// store a thread issued before its BAR has completed when the barrier releases.
`default_nettype none

module warp
  import gpu_pkg::*;
#(
  parameter int THREADS_PER_BLOCK = 4,
  parameter int COUNT_BITS        = $clog2(THREADS_PER_BLOCK + 1)
) (
  input  logic                          clk,
  input  logic                          reset,
  // block handshake (through the dispatcher)
  input  logic                          block_start,         // pulse, only while block_idle
  input  logic [DATA_BITS-1:0]          block_idx_in,
  input  logic [COUNT_BITS-1:0]         block_thread_count,  // 1..THREADS_PER_BLOCK
  output logic                          block_idle,
  output logic                          block_done,          // pulse: the block finished
  output logic [DATA_BITS-1:0]          block_idx,
  output logic                          clear,               // a new block starts now
  // issue (the scheduler picks this warp)
  output logic                          ready,               // running and not blocked
  output logic                          scoreboard_stall,    // its next instruction waits on memory
  output logic                          resolving,           // its branch or RET is executing
  output logic [PC_BITS-1:0]            issue_pc,
  input  logic                          issue,
  input  logic                          issue_blocks,        // the issued word is BR/RET/BAR/LDR/STR
  input  logic                          issue_jumps,         // the issued word is BR/RET/BAR
  input  logic                          issue_predecoded,    // the next two describe the word at issue_pc
  input  logic                          issue_waits_memory,  // the word at issue_pc is LDR/STR/BAR/RET
  input  logic [NUM_WRITABLE_REGS-1:0]  issue_registers,     // the registers it reads or writes
  // execute (the core executes this warp's instruction at exec_pc)
  input  logic                          exec,
  input  logic [PC_BITS-1:0]            exec_pc,
  input  logic                          exec_is_memory,
  input  logic                          exec_is_load,
  input  logic [REG_ADDR_BITS-1:0]      exec_rd,             // the register a load writes
  input  logic                          exec_is_ret,
  input  logic                          exec_is_barrier,
  input  logic [THREADS_PER_BLOCK-1:0]  exec_retire,         // of the active threads, those retiring now
  input  logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] next_pc,
  output logic [THREADS_PER_BLOCK-1:0]  active,              // threads at exec_pc
  input  logic                          mem_complete,        // its LDR/STR retires (answered for all)
  output logic [THREADS_PER_BLOCK-1:0]  mem_active,          // threads of that LDR/STR
  output logic                          mem_waiting,         // its LDR/STR is out
  // state, for the commit port, traces and waveforms
  output logic [THREADS_PER_BLOCK-1:0]  exec_commit,         // threads retiring the executed instruction
  output logic [THREADS_PER_BLOCK-1:0]  commit,              // threads retiring now (any kind)
  output logic [THREADS_PER_BLOCK-1:0]  released,            // threads leaving a barrier now
  output logic [THREADS_PER_BLOCK-1:0]  barrier_waiting,     // threads waiting at a barrier
  output logic [THREADS_PER_BLOCK-1:0]  live,
  output logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] pc_written, // what each PC flop takes now
  output logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] pc           // each thread's PC (traces and waves)
);

  logic                                      running_q,     running_d;
  logic                                      blocked_q,     blocked_d;
  logic                                      mem_wait_q,    mem_wait_d;
  logic                                      load_q,        load_d;     // what is out is a load (to R0-R12)
  logic [REG_ADDR_BITS-1:0]                  load_rd_q,     load_rd_d;  // of register load_rd_q
  logic [THREADS_PER_BLOCK-1:0]              live_q,        live_d;
  logic [THREADS_PER_BLOCK-1:0]              waiting_q,     waiting_d;  // at a barrier
  logic [THREADS_PER_BLOCK-1:0]              mem_active_q,  mem_active_d;
  logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] pc_q,          pc_d;
  logic [PC_BITS-1:0]                        issue_pc_q,    issue_pc_d;
  logic [DATA_BITS-1:0]                      block_idx_q,   block_idx_d;

  // The smallest PC among the given threads. (A function keeps the running minimum in a local
  // variable: an always_comb that reads what it writes can re-trigger itself forever in
  // Icarus 11.)
  function automatic logic [PC_BITS-1:0] smallest_live_pc(
    input logic [THREADS_PER_BLOCK-1:0]              live_threads,
    input logic [THREADS_PER_BLOCK-1:0][PC_BITS-1:0] pcs
  );
    logic [PC_BITS-1:0] smallest;
    smallest = '1;
    for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
      if (live_threads[t] && pcs[t] < smallest) smallest = pcs[t];
    end
    return smallest;
  endfunction

  // Threads waiting at a barrier take no part in execution until they are released.
  // One continuous assignment per thread (shaped for Icarus's speed: a loop in an
  // always_comb is one process, re-run whenever any thread's PC or the executing PC
  // changes).
  for (genvar t = 0; t < THREADS_PER_BLOCK; t++) begin : g_active
    assign active[t] = live_q[t] && !waiting_q[t] && (pc_q[t] == exec_pc);
  end

  // Threads that retire this cycle: a non-memory instruction as it executes, a memory
  // instruction when memory has answered every one of its threads, a BAR when its
  // barrier releases. Every instruction but BAR moves its threads' PCs as it executes.
  logic finished;  // the last live thread leaves now
  logic resolves;  // an instruction other than LDR/STR executes: the warp's next PC is known
  logic exec_commits;
  logic [THREADS_PER_BLOCK-1:0] exec_moves;     // threads whose PC takes next_pc now
  logic [THREADS_PER_BLOCK-1:0] waiting_after;  // at a barrier, with those arriving now
  assign resolves      = exec && !exec_is_memory;
  assign exec_commits  = resolves && !exec_is_barrier;
  assign exec_commit   = exec_commits ? (active & exec_retire) : '0;
  assign exec_moves    = (exec && !exec_is_barrier) ? (active & exec_retire) : '0;
  assign waiting_after = waiting_q | ((exec && exec_is_barrier) ? active : '0);
  assign commit        = exec_commit | (mem_complete ? mem_active_q : '0) | released;

  always_comb begin
    running_d    = running_q;
    finished     = 1'b0;
    blocked_d    = blocked_q;
    mem_wait_d   = mem_wait_q;
    load_d       = load_q;
    load_rd_d    = load_rd_q;
    live_d       = live_q;
    waiting_d    = waiting_after;
    released     = '0;
    mem_active_d = mem_active_q;
    pc_d         = pc_q;
    issue_pc_d   = issue_pc_q;
    block_idx_d  = block_idx_q;

    if (block_start) begin
      running_d   = 1'b1;
      blocked_d   = 1'b0;
      mem_wait_d  = 1'b0;
      block_idx_d = block_idx_in;
      issue_pc_d  = '0;
      waiting_d   = '0;
      for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
        live_d[t] = (t < int'(block_thread_count));
        pc_d[t]   = '0;
      end
    end

    // A load or store goes out: its threads move on, the warp may issue from the next
    // cycle, and the scoreboard holds what it waits for.
    if (exec && exec_is_memory) begin
      mem_wait_d   = 1'b1;
      mem_active_d = active;
      load_d       = exec_is_load && int'(exec_rd) < NUM_WRITABLE_REGS;  // R13-R15: no write
      load_rd_d    = exec_rd;
      blocked_d    = 1'b0;
    end
    if (mem_complete) mem_wait_d = 1'b0;

    for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
      if (exec_moves[t]) pc_d[t] = next_pc[t];
    end
    if (exec_commits && exec_is_ret) live_d = live_q & ~active;

    // Every live thread waits at a barrier (the last ones arrive, or the others leave):
    // release them all; they go on after their BAR.
    if (waiting_after != '0 && (live_d & ~waiting_after) == '0) begin
      released  = waiting_after;
      waiting_d = '0;
      for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
        if (waiting_after[t]) pc_d[t] = pc_q[t] + 1'b1;
      end
    end

    // After a branch, RET or BAR: go on at the smallest PC of the threads that can run,
    // or end the block.
    if (resolves && blocked_q) begin
      blocked_d  = 1'b0;
      issue_pc_d = smallest_live_pc(live_d & ~waiting_d, pc_d);
      if (live_d == '0) begin
        running_d = 1'b0;
        finished  = 1'b1;
      end
    end

    if (issue) begin
      if (issue_blocks) blocked_d  = 1'b1;
      if (!issue_jumps) issue_pc_d = issue_pc_q + 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (reset) begin
      running_q    <= 1'b0;
      blocked_q    <= 1'b0;
      mem_wait_q   <= 1'b0;
      load_q       <= 1'b0;
      load_rd_q    <= '0;
      live_q       <= '0;
      waiting_q    <= '0;
      mem_active_q <= '0;
      pc_q         <= '0;
      issue_pc_q   <= '0;
      block_idx_q  <= '0;
    end else begin
      running_q    <= running_d;
      blocked_q    <= blocked_d;
      mem_wait_q   <= mem_wait_d;
      load_q       <= load_d;
      load_rd_q    <= load_rd_d;
      live_q       <= live_d;
      waiting_q    <= waiting_d;
      mem_active_q <= mem_active_d;
      pc_q         <= pc_d;
      issue_pc_q   <= issue_pc_d;
      block_idx_q  <= block_idx_d;
    end
  end

  assign block_idle = !running_q;
  assign block_done = finished;
  assign block_idx  = block_idx_q;
  assign clear      = block_start;
  assign ready      = running_q && !blocked_q;
  assign resolving  = running_q && blocked_q && !(exec && exec_is_memory);
  // The scoreboard: while its load or store is out (and not retiring now, when the
  // loaded bytes are written back), the next instruction waits if it needs it done, or
  // if it is not known (the core predecodes only one warp's next instruction).
  assign scoreboard_stall = mem_wait_q && !mem_complete &&
      (!issue_predecoded || issue_waits_memory || (load_q && issue_registers[load_rd_q]));
  assign issue_pc   = issue_pc_q;
  assign mem_active = mem_active_q;
  assign mem_waiting = mem_wait_q;
  assign live       = live_q;
  assign barrier_waiting = waiting_q;
  assign pc = pc_q;
  assign pc_written = pc_d;

`ifndef SYNTHESIS
  logic armed;  // assertions hold from the first reset on (assertion_arm.sv)
  assertion_arm u_arm (.clk (clk), .reset (reset), .armed (armed));
  // ------------------------------------------------------------ assertions
  always @(posedge clk) begin
    if (armed) begin
      assert (!block_start || block_idle) else $error("warp: a block arrived while busy");
      assert ((live_q & ~{THREADS_PER_BLOCK{running_q}}) == '0) else $error("warp: live threads %b while not running", live_q);
      assert (!issue || ready) else $error("warp: issued while not ready");
      assert (!issue || !scoreboard_stall) else $error("warp: issued what waits on its load or store");
      // What must find memory done never executes while a load or store is out.
      assert (!(exec && mem_wait_q && (exec_is_memory || exec_is_barrier || exec_is_ret)))
        else $error("warp: LDR/STR/BAR/RET executes while a load or store is out");
      assert (!exec || running_q) else $error("warp: executing while not running");
      // An executed instruction is at the smallest PC of the threads not at a barrier,
      // and some thread sits there.
      assert (!exec || active != '0) else $error("warp: executing PC %0d with no thread at it", exec_pc);
      for (int t = 0; t < THREADS_PER_BLOCK; t++) begin
        assert (!exec || !live_q[t] || waiting_q[t] || pc_q[t] >= exec_pc)
          else $error("warp: thread %0d is live at PC %0d, below the executed %0d", t, pc_q[t], exec_pc);
      end
      // Barrier: only live threads wait, never all of them (they would have been released),
      // and a release happens only when an instruction resolves, never with memory out.
      assert ((waiting_q & ~live_q) == '0) else $error("warp: threads %b wait at a barrier but are not live", waiting_q);
      assert (waiting_q == '0 || (live_q & ~waiting_q) != '0)
        else $error("warp: every live thread waits at a barrier, but none was released");
      assert (released == '0 || (resolves && !mem_wait_q)) else $error("warp: a barrier released while memory is out");
      assert ((active & ~live_q) == '0) else $error("warp: active %b outside live %b", active, live_q);
      assert (!mem_complete || mem_wait_q) else $error("warp: memory completed with nothing outstanding");
      assert (!(exec && mem_complete)) else $error("warp: its load or store retired in a cycle it executes (one write port)");
`ifndef FORMAL  // X and Z exist only in simulation
      assert ((^{block_idle, block_done, ready, issue_pc, live_q}) !== 1'bx)
        else $error("warp: an output is X or Z after reset");
`endif
    end
  end
`endif

endmodule
