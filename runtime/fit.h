// Training loops over a runner (TorchLean's fit helpers): fit_dataset steps through a dataset in
// order, cycling (one update per batch of batch_size consecutive rows, wrapping around), fit_loader
// runs epochs of a DataLoader. Both log the pre-update loss every log_every steps, call the
// callbacks, draw a progress bar when stderr is a terminal, and can write a JSON training log.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/runner.h"

namespace tl::rt {

struct FitConfig {
  int64_t steps = 1;
  int64_t batch_size = 1;
  OptimizerConfig optimizer = OptimizerConfig::sgd(0.01);
  std::optional<SchedulerConfig> scheduler;  // per step
  int64_t log_every = 1;                     // 0: no step lines
};

struct LoaderFitConfig {
  int64_t epochs = 1;
  OptimizerConfig optimizer = OptimizerConfig::sgd(0.01);
  std::optional<SchedulerConfig> scheduler;  // per epoch
  int64_t log_every = 0;                     // steps; 0: no step lines
};

struct FitCallbacks {
  std::function<void(int64_t step, double loss)> on_step;
  std::function<void(int64_t epoch, double mean_loss)> on_epoch_end;
};

struct FitReport {
  double before = 0, after = 0;  // mean loss over the data in eval mode
  int64_t steps = 0;
  std::vector<double> losses;    // pre-update loss of every step
  int64_t first_nonfinite_step = -1;  // the first step whose loss was NaN or infinite (warned on stderr)
};

FitReport fit_dataset(RunnerCore& r, const FitConfig& c, const Dataset& data, const FitCallbacks& cb = {});
FitReport fit_loader(RunnerCore& r, const LoaderFitConfig& c, DataLoader& loader, const FitCallbacks& cb = {});

// The JSON training log (written atomically): title, settings (device: the backend's), per-step losses
// (null where not finite, with first_nonfinite_step), loss0/loss1 and any extra numbers (e.g. accuracy).
void write_training_log(const std::string& path, const std::string& title, const RunnerCore& r,
                        const std::string& optimizer, const FitReport& report,
                        const std::vector<std::pair<std::string, double>>& extra = {});

// v for printing: a NaN with its sign bit cleared, so printf writes "nan", never glibc's "-nan".
double printable(double v);

// "steps=N loss0=A loss1=B" (TorchLean's summary line), with " name=value" for each extra.
std::string summary_line(const FitReport& report, const std::vector<std::pair<std::string, double>>& extra = {});

}  // namespace tl::rt
