// The tl-check program's commands, separated from flag parsing (tl_check_main.cpp) so tests can
// drive them. Exit statuses (DESIGN §9): 0 every contract holds, 1 a contract failed, 2 usage or
// input error, 3 the backend is unavailable.
#pragma once

#include <string>
#include <vector>

#include "oracle/run.h"

namespace tl::oracle {

struct CheckCommand {
  std::string backend = "all";
  std::string dtype = "all";
  std::string ops;        // comma-separated op names; empty: all
  int64_t cases = 0;
  uint64_t seed = 20261125;
  std::string tier = "unit";
  bool no_grad = false;
  int64_t graphs = 0;
  std::vector<std::string> graph_files;  // --graph FILE (repeatable)
  std::string inputs_dir;                // --inputs DIR
  std::string shard;      // "K/N"
  std::string out = "tl-check-out";
  int threads = 2;
  bool progress = true;
  bool allow_empty = false;  // --allow-empty: a run that checks nothing still exits 0
  std::string fail_on;       // --fail-on: comma list of suspicious, undecided, unchecked (exit 1 on them too)
  std::string command_line;
};

int run_check_command(const CheckCommand& c);
int run_merge_command(const std::vector<std::string>& dirs, const std::string& out);
int run_replay_command(const std::string& path);
int list_ops();
int list_contracts(const std::string& backend, const std::string& dtype);

}  // namespace tl::oracle
