// tl-check: checks backends against the reference and writes agreement reports (issue 5).
//   tl-check [--backend B] [--dtype D] [--ops LIST] [--cases N] [--seed S] [--tier T] [--no-grad]
//            [--graphs N] [--graph FILE]... [--inputs DIR] [--shard K/N] [--out DIR] [--threads N]
//   tl-check --replay FILE | --list-ops | --list-contracts
//   tl-check merge DIR... [--out DIR]
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "fast/planted.h"
#include "backend/backend.h"
#include "oracle/tl_check.h"
#include "cli/cli_checks.h"
#include "spec/error.h"

namespace {

std::string joined_args(int argc, char** argv) {
  std::string s = "tl-check";
  for (int i = 1; i < argc; ++i) s += std::string(" ") + argv[i];
  return s;
}

int run_command(int argc, char** argv) {
  using namespace tl::oracle;
  CLI::App app{"tl-check: backends against the exact reference, with agreement reports"};
  CheckCommand c;
  c.command_line = joined_args(argc, argv);
  std::string replay;
  bool show_ops = false, show_contracts = false, quiet = false;
  app.add_option("--backend", c.backend, "eager|compiled|reference|cuda|cuda-cublas|cuda-emulated|all, or a comma list")->capture_default_str();
  app.add_option("--dtype", c.dtype, "float32|float|float64|all")->capture_default_str();
  app.add_option("--ops", c.ops, "comma-separated op names, or all (default: all ops; none with --graph)")
      ->transform(tl::cli::nonempty());
  app.add_option("--cases", c.cases, "cases per op and dtype (default: the tier's)")->transform(tl::cli::at_least(1));
  app.add_option("--seed", c.seed, "seed of every case (printed; replays use it)")
      ->transform(tl::cli::unsigned_64())
      ->capture_default_str();
  app.add_option("--tier", c.tier, "smoke|unit|exhaustive")->capture_default_str();
  app.add_flag("--no-grad", c.no_grad, "forward directions only");
  app.add_option("--fail-on", c.fail_on,
                 "comma list: suspicious (a graph's end-to-end error above its suspicion threshold), undecided "
                 "(a row or graph the oracle could not decide), unchecked (a skipped or unsupported row): exit 1 "
                 "on these too");
  app.add_flag("--allow-empty", c.allow_empty,
               "exit 0 even when nothing is checked (every row skipped or unsupported, no graph); "
               "without it such a run is exit 2");
  app.add_option("--graphs", c.graphs, "random whole graphs per dtype (per-node + end-to-end)")->transform(tl::cli::at_least(0));
  auto* graph_option = app.add_option("--graph", c.graph_files,
                 "a tl.ir.v1 graph to check whole: every node against its contract, the loss (first "
                 "single-element output, else the first output) and the parameter gradients end to end "
                 "(repeatable; alone, only these graphs are checked: add --ops to check ops too)");
  app.add_option("--inputs", c.inputs_dir,
                 "DIR of NAME.npy (or GRAPH_STEM/NAME.npy) values for the --graph inputs; the others get "
                 "seeded values their consumer accepts (labels, row indices, positives for sqrt/log; else "
                 "dyadics of magnitude 1/16 to 4)")
      ->needs(graph_option);
  app.add_option("--shard", c.shard, "K/N: run the K-th of N disjoint slices of the cases (0 <= K < N)");
  app.add_option("--out", c.out, "report directory")->transform(tl::cli::nonempty())->capture_default_str();
  app.add_option("--threads", c.threads, "worker threads")->check(CLI::Range(1, 256))->capture_default_str();
  int kernel_threads = 2;
  app.add_option("--kernel-threads", kernel_threads,
                 "threads of the fast kernels' pool (at least 2, so that cases past a kernel's parallel grain "
                 "really run split; results do not depend on it by construction)")
      ->check(CLI::Range(1, 256))->capture_default_str();
  auto* replay_option = app.add_option("--replay", replay, "re-run one discrepancy record (its backend, op and values)");
  auto* list_ops_flag = app.add_flag("--list-ops", show_ops, "list the ops and exit");
  app.add_flag("--list-contracts", show_contracts, "print the contract table of --backend and --dtype");
  app.add_flag("--quiet", quiet, "no progress bar");
  // A replay re-runs the record as written: flags that choose what to run would be ignored.
  for (const char* ignored : {"--backend", "--dtype", "--ops", "--cases", "--tier", "--graphs", "--graph", "--shard"})
    replay_option->excludes(app.get_option(ignored));
  // --list-ops lists every op: a flag that chooses what to run would be ignored.
  for (const char* ignored : {"--ops", "--cases", "--tier", "--graphs", "--graph", "--shard", "--replay"})
    list_ops_flag->excludes(app.get_option(ignored));
  std::vector<std::string> merge_dirs;
  std::string merge_out = "tl-check-merged";
  auto* merge = app.add_subcommand("merge", "merge the report.json of shard runs into one report");
  merge->fallthrough();  // --quiet and friends may follow the subcommand
  merge->add_option("dirs", merge_dirs, "report directories of the shards")->required()->check(CLI::ExistingDirectory);
  merge->add_option("--out", merge_out, "merged report directory")->transform(tl::cli::nonempty())->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  c.progress = !quiet;
#ifdef TL_PLANTED_BUGS
  if (std::string why = tl::fast::planted_bug_error(); !why.empty()) {
    std::fprintf(stderr, "tl-check: error: %s\n", why.c_str());
    return 2;
  }
  if (const char* bug = std::getenv("TL_PLANT"); bug && *bug) std::fprintf(stderr, "tl-check: planted bug active: %s\n", bug);
#endif
  tl::backend::set_kernel_threads(kernel_threads);
  try {
    if (merge->parsed()) return run_merge_command(merge_dirs, merge_out);
    if (!replay.empty()) return run_replay_command(replay);
    if (show_ops) return list_ops();
    if (show_contracts) return list_contracts(c.backend, c.dtype);
    return run_check_command(c);
  } catch (const tl::UserError& e) {
    std::fprintf(stderr, "tl-check: error: %s\n", e.what());
    return 2;
  } catch (const std::bad_alloc&) {  // a resource limit of this machine, not a contract failure
    std::fprintf(stderr, "tl-check: error: out of memory: the run needs more memory than this machine gives "
                         "(a smaller graph, fewer --threads or fewer --cases need less)\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tl-check: internal error: %s\n", e.what());
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) { return tl::exit_status_after_stdout(run_command(argc, argv), "tl-check"); }
