# RTL sources of the GPU in compile order, one path per line relative to the
# repository root. Every tool and test reads this list; there is no second one.
rtl/gpu_pkg.sv
rtl/elaboration_error.sv
rtl/assertion_arm.sv
rtl/device_control_register.sv
rtl/dispatcher.sv
rtl/mem_controller.sv
rtl/decoder.sv
rtl/alu.sv
rtl/register_file.sv
rtl/pc_unit.sv
rtl/lsu.sv
rtl/thread_context.sv
rtl/icache.sv
rtl/fetcher.sv
rtl/instruction_supply.sv
rtl/memory_tracker.sv
rtl/warp.sv
rtl/scheduler.sv
rtl/shared_memory.sv
rtl/load_coalescer.sv
rtl/perf_counters.sv
rtl/core_activity.sv
rtl/commit_capture.sv
rtl/core.sv
rtl/gpu.sv
