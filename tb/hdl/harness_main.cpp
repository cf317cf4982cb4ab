// SPDX-License-Identifier: MIT
// harness_main.cpp: gpu_harness driven by C++ alone, without cocotb and without VPI.
//
// The yardstick of simulation speed (`make bench`): a Verilator build of the same
// harness as the cocotb flow, running the same jobs (the same program/data hex files and
// harness plusargs), through the same port writes per job as tinygpu/cocotb_gpu.py
// (reset, load_memories, thread count, start until done, dump_memory). It must count
// the same cycles; what it gains in speed is what cocotb and VPI cost.
//
// Plusargs, besides the harness's own (+memory_dir=, +commit_file=, ...):
//   +jobs=N                        run jobs 0..N-1 (files jobI_program.hex, jobI_data.hex)
//   +threads= +latency= +stall_max= +seed= +max_cycles=   the settings of every job
// Prints one line per job: "job I cycles C timed_out T done D" (decimal).
// Exit status: 0, or 1 when the HDL reported an error, 2 on a missing plusarg.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "Vtop.h"
#include "verilated.h"

namespace {

constexpr uint64_t HALF_PERIOD_NS = 5;  // cocotb_gpu.py's clock: 10 ns

// The number of a required +name=value plusarg.
uint64_t plusarg(VerilatedContext& context, const char* name) {
    const char* match = context.commandArgsPlusMatch(name);  // "+name=value" or ""
    const char* value = std::strchr(match, '=');
    if (value == nullptr) {
        std::fprintf(stderr, "harness_main: missing plusarg +%s<number>\n", name);
        std::exit(2);
    }
    return std::strtoull(value + 1, nullptr, 0);
}

class Harness {
  public:
    Harness(VerilatedContext& context, Vtop& top) : context_(context), top_(top) {}

    // One clock period: the rising edge, then the falling edge. Inputs written between
    // two calls are sampled at the next rising edge, as cocotb's writes are.
    void cycle() {
        top_.clk = 1;
        top_.eval();
        context_.timeInc(HALF_PERIOD_NS);
        top_.clk = 0;
        top_.eval();
        context_.timeInc(HALF_PERIOD_NS);
    }

    void reset() {  // cocotb_gpu.reset_gpu
        top_.reset = 1;
        top_.start = 0;
        top_.device_control_write_enable = 0;
        cycle();
        cycle();
        top_.reset = 0;
    }

    template <typename Signal> void pulse(Signal& request) {  // cocotb_gpu.pulse
        request = 1;
        cycle();
        request = 0;
    }

    // cocotb_gpu.run_job for a job with the default flags (reset first, thread count
    // written, no abort); prints the job's line.
    void run_job(uint32_t job, uint32_t threads, uint64_t max_cycles) {
        top_.cfg_job = job;
        reset();
        pulse(top_.load_memories);
        cycle();
        top_.device_control_write_enable = 1;
        top_.device_control_data = threads;
        cycle();
        top_.device_control_write_enable = 0;
        top_.start = 1;
        cycle();  // the launch edge
        // The harness raises timed_out after max_cycles; the guard only stops a harness
        // that stops counting (cocotb_gpu.py's Timer).
        for (uint64_t guard = 0; !top_.done && !top_.timed_out && guard < max_cycles + 1000; ++guard) {
            cycle();
        }
        top_.start = 0;
        std::printf("job %u cycles %u timed_out %u done %u\n", job, unsigned(top_.cycles),
                    unsigned(top_.timed_out), unsigned(top_.done));
        pulse(top_.dump_memory);
    }

  private:
    VerilatedContext& context_;
    Vtop& top_;
};

}  // namespace

int main(int argc, char** argv) {
    auto context = std::make_unique<VerilatedContext>();
    context->commandArgs(argc, argv);
    auto top = std::make_unique<Vtop>(context.get(), "");  // "" as cocotb's main: same scope names
    Harness harness(*context, *top);

    const uint64_t jobs = plusarg(*context, "jobs=");
    const uint64_t threads = plusarg(*context, "threads=");
    const uint64_t max_cycles = plusarg(*context, "max_cycles=");
    top->cfg_latency = plusarg(*context, "latency=");
    top->cfg_stall_max = plusarg(*context, "stall_max=");
    top->cfg_seed = plusarg(*context, "seed=");
    top->cfg_max_cycles = max_cycles;
    top->cfg_fault_side = 0;  // no error injected
    top->cfg_fault_response = 0;
    top->cfg_fault_address = 0;
    top->reset = 1;
    top->load_memories = 0;
    top->dump_memory = 0;

    for (uint64_t job = 0; job < jobs && !context->gotFinish(); ++job) {
        harness.run_job(job, threads, max_cycles);
    }
    top->final();
    std::fflush(stdout);
    return context->errorCount() > 0 || context->gotError() ? 1 : 0;
}
