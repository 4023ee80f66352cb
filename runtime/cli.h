// tl::rt::train::run — TorchLean's train.run in C++: parses the flags every example shares
//   --dtype float|float32|float64  --backend eager|compiled|reference|cuda-emulated  --cpu | --cuda | --device cpu|cuda
//   --cublas (with --cuda)
//   --steps N  --epochs N  --seed N  --lr X  --log PATH  --show-backend  --save-params PATH  --load-params PATH
// (those its Schedule uses) plus the example's own, builds a Runner<float> or Runner<double> for the task and calls the body
// with it. The choices decide how the model runs, never what it is. Exit status: the body's; 2 for
// bad flags, numbers or data files (the message names them); 3 for --cuda without a usable CUDA
// backend — never a silent fallback to the CPU.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>

#include "runtime/checkpoint.h"
#include "runtime/runner.h"
#include "spec/error.h"

namespace tl::rt::train {

// How an example trains, which decides the flags it takes: a flag it would ignore is refused by name
// (--steps for an example that trains by epochs; only --dtype for one that does not train).
enum class Schedule { steps, epochs, none };

struct Flags {
  Schedule schedule = Schedule::steps;
  DType dtype = DType::f64;
  std::string backend = "compiled";  // --backend, or cuda / cuda-cublas with --cuda
  std::string device = "cpu";
  int64_t steps = 1, epochs = 1;
  uint64_t seed = 0;
  double lr = 0.01;
  std::string log, save_params, load_params;
  bool show_backend = false;
};

// Parses argv (argv[0] is the example's name); returns the flags, or the exit status to return.
std::variant<Flags, int> parse_flags(const std::string& name, int argc, char** argv, Flags defaults,
                                     const std::function<void(CLI::App&)>& extra);

// UserError naming --save-params or --log when it cannot be written (spec/file_io.h) or both name
// the same file.
void check_output_paths(const Flags& f);

template <class Body>
int run(const std::string& name, int argc, char** argv, Flags defaults, const std::function<void(CLI::App&)>& extra,
        const std::function<Task(const Flags&)>& make_task, Body body) {
  std::variant<Flags, int> parsed = parse_flags(name, argc, argv, defaults, extra);
  if (std::holds_alternative<int>(parsed)) return std::get<int>(parsed);
  const Flags& f = std::get<Flags>(parsed);
  try {
    check_output_paths(f);  // before any work: a bad --log or --save-params loses no training
    RunConfig rc{f.dtype, f.backend, f.seed, f.show_backend};
    auto go = [&](auto& runner) {
      if (!f.load_params.empty()) load_checkpoint(f.load_params, runner.state());
      int status = body(runner, f);
      if (!f.save_params.empty()) save_checkpoint(f.save_params, runner.state());
      return status;
    };
    if (f.dtype == DType::f32) {
      Runner<float> r(make_task(f), rc);
      return go(r);
    }
    Runner<double> r(make_task(f), rc);
    return go(r);
  } catch (const UserError& e) {
    std::fprintf(stderr, "torchlean %s: error: %s\n", name.c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "torchlean %s: internal error: %s\n", name.c_str(), e.what());
    return 1;
  }
}

}  // namespace tl::rt::train
