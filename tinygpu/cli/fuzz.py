"""Command line of tinygpu.fuzz: random-program fuzzing of the RTL against the instruction-set model."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time

from .. import fuzz as fuzz_module
from ..configs import load_configs
from ..fuzz import (
    FUZZ_ROOT,
    SIMULATORS,
    SIZE_CHOICES,
    Outcome,
    ShrinkTask,
    _build,
    _parse_jobs,
    _pick_for_shrinking,
    _print_failures,
    _print_summary,
    _run_batch,
    _shrink,
    make_batches,
    timing_differences,
)
from ..paths import REPO_ROOT


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=fuzz_module.__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=fuzz_module.__doc__.split("\n", 2)[2])
    ap.add_argument("--count", type=int, default=100, help="number of seeds (programs)")
    ap.add_argument("--seed", type=int, default=1, help="first seed")
    ap.add_argument("--jobs", type=_parse_jobs, default=1, help="worker processes, or 'auto'")
    ap.add_argument("--sims", default=",".join(SIMULATORS), help="comma-separated simulators")
    ap.add_argument("--config", help="one configuration for every seed (default: round-robin over all)")
    ap.add_argument("--size", choices=SIZE_CHOICES, default="medium",
                    help="program size; 'mix' = small/medium/large by seed")
    ap.add_argument("--batch", type=int, default=25, help="programs per simulator process")
    ap.add_argument("--shrink-tries", type=int, default=60, help="simulator runs per shrink")
    ap.add_argument("--max-shrink", type=int, default=4, help="failures to shrink (0: none)")
    ap.add_argument("--keep", action="store_true", help="keep the run folders of passing batches")
    args = ap.parse_args(argv)

    sims = [s.strip() for s in args.sims.split(",") if s.strip()]
    bad = [s for s in sims if s not in SIMULATORS]
    if bad or not sims:
        ap.error(f"--sims: unknown simulator(s) {bad}; choose from {', '.join(SIMULATORS)}")
    all_configs = load_configs()
    if args.config:
        if args.config not in all_configs:
            ap.error(f"--config: no configuration {args.config!r}; known: {', '.join(all_configs)}")
        configs = [all_configs[args.config]]
    else:
        configs = list(all_configs.values())
    if args.count < 1 or args.batch < 1:
        ap.error("--count and --batch must be >= 1")

    seeds = list(range(args.seed, args.seed + args.count))
    batches = make_batches(seeds, configs, sims, args.size, args.batch, args.keep)
    used = sorted({(b.sim, b.config) for b in batches})
    start = time.monotonic()
    print(f"fuzz: seeds {seeds[0]}..{seeds[-1]} ({len(seeds)} programs, size {args.size}) on "
          f"{', '.join(sims)}; {len(configs)} configuration(s); {len(batches)} batches of <= "
          f"{args.batch}; {args.jobs} worker(s); work folders under {FUZZ_ROOT.relative_to(REPO_ROOT)}/",
          flush=True)

    outcomes: list[Outcome] = []
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes=min(args.jobs, len(batches))) as pool:
        build_errors = []
        build_start = time.monotonic()
        for sim, name, seconds, error in pool.imap_unordered(_build, used):
            if error:
                build_errors.append(f"{sim}/{name}: {error}")
            elif seconds > 2:
                print(f"  built {sim}/{name} in {seconds:.0f} s", flush=True)
        if build_errors:
            print("fuzz: the harness does not build:\n" + "\n".join(build_errors), file=sys.stderr)
            return 2
        build_seconds = time.monotonic() - build_start
        if build_seconds > 2:
            print(f"  harness builds took {build_seconds:.0f} s (wall); runs start now", flush=True)

        done_batches = 0
        for result in pool.imap_unordered(_run_batch, batches):
            done_batches += 1
            outcomes += result
            first = result[0]
            failed = [o for o in result if o.failed]
            seeds_text = f"{min(o.seed for o in result)}..{max(o.seed for o in result)}"
            print(f"[{done_batches:3d}/{len(batches)}] {first.sim:9s} {first.config:20s} seeds "
                  f"{seeds_text:>11s}: {len(result) - len(failed)}/{len(result)} ok, "
                  f"{sum(o.compared for o in result):6d} instructions  "
                  f"({time.monotonic() - start:5.0f} s)", flush=True)
            for o in failed:
                print(f"      FAIL seed {o.seed} [{o.kind}] {o.headline()}", flush=True)

        outcomes += timing_differences(outcomes)
        failures = sorted((o for o in outcomes if o.failed), key=lambda o: (o.seed, o.sim))
        rtl_failures = [o for o in failures if o.kind in ("mismatch", "crash")]
        to_shrink = _pick_for_shrinking(rtl_failures, args.max_shrink)
        shrink_results = []
        if to_shrink:
            print(f"\nshrinking {len(to_shrink)} of {len(rtl_failures)} failing case(s), "
                  f"<= {args.shrink_tries} simulator runs each ...", flush=True)
            shrink_results = list(pool.imap(_shrink, [ShrinkTask(o, args.shrink_tries) for o in to_shrink]))
    elapsed = time.monotonic() - start

    _print_summary(outcomes, sims, elapsed)
    _print_failures(failures, shrink_results)
    compared = sum(o.compared for o in outcomes)
    if compared == 0:
        print("fuzz: FAIL: no instruction was compared at all", file=sys.stderr)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
