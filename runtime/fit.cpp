// Training loops, progress, logs.
#include "runtime/fit.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "spec/file_io.h"

namespace tl::rt {
namespace {

void progress(int64_t done, int64_t total, double loss) {
  if (!isatty(2) || total <= 0) return;
  int width = 30, filled = static_cast<int>(width * done / total);
  std::fprintf(stderr, "\r[%s%s] %lld/%lld loss %.6g", std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(width - filled), '.').c_str(), static_cast<long long>(done),
               static_cast<long long>(total), printable(loss));
  if (done == total) std::fprintf(stderr, "\n");
}

void log_step(int64_t step, int64_t every, double loss) {
  if (every > 0 && step % every == 0) std::printf("step %lld: loss=%.6f\n", static_cast<long long>(step), printable(loss));
}

// Keeps a step's pre-update loss; at the first one that is not finite, says so once on stderr
// (training goes on, as in PyTorch: the numbers stay comparable with the peer).
void record_loss(FitReport& rep, int64_t step, double loss) {
  rep.losses.push_back(loss);
  if (std::isfinite(loss) || rep.first_nonfinite_step >= 0) return;
  rep.first_nonfinite_step = step;
  if (isatty(2)) std::fprintf(stderr, "\n");  // off the progress bar's line
  if (step == 0)  // no update has run yet: the learning rate cannot be the cause
    std::fprintf(stderr, "warning: the loss is %s at step 0, before any update: the data or the parameters hold "
                         "non-finite or very large values\n", std::isnan(loss) ? "NaN" : "infinite");
  else
    std::fprintf(stderr, "warning: the loss is %s at step %lld: training has diverged (a smaller --lr may help)\n",
                 std::isnan(loss) ? "NaN" : "infinite", static_cast<long long>(step));
}

}  // namespace

FitReport fit_dataset(RunnerCore& r, const FitConfig& c, const Dataset& data, const FitCallbacks& cb) {
  FitReport rep;
  rep.before = r.mean_loss(data, data.size());
  Optimizer opt(c.optimizer);
  int64_t n = data.size(), at = 0;
  for (int64_t step = 0; step < c.steps; ++step) {
    std::vector<int64_t> rows;
    for (int64_t k = 0; k < c.batch_size; ++k) rows.push_back((at + k) % n);
    at = (at + c.batch_size) % n;
    double lr = c.scheduler ? c.scheduler->lr_at(c.optimizer.lr, step) : c.optimizer.lr;
    double loss = r.train_step(data.rows(rows).all(), opt, lr);
    record_loss(rep, step, loss);
    log_step(step, c.log_every, loss);
    if (cb.on_step) cb.on_step(step, loss);
    progress(step + 1, c.steps, loss);
  }
  rep.steps = c.steps;
  rep.after = r.mean_loss(data, data.size());
  r.eval_mode();
  return rep;
}

FitReport fit_loader(RunnerCore& r, const LoaderFitConfig& c, DataLoader& loader, const FitCallbacks& cb) {
  FitReport rep;
  const Dataset& data = loader.dataset();
  rep.before = r.mean_loss(data, loader.batch_size());
  Optimizer opt(c.optimizer);
  int64_t step = 0;
  for (int64_t epoch = 0; epoch < c.epochs; ++epoch) {
    double lr = c.scheduler ? c.scheduler->lr_at(c.optimizer.lr, epoch) : c.optimizer.lr;
    std::vector<Batch> batches = loader.epoch();
    for (const Batch& b : batches) {
      double loss = r.train_step(b, opt, lr);
      record_loss(rep, step, loss);
      log_step(step, c.log_every, loss);
      if (cb.on_step) cb.on_step(step, loss);
      ++step;
    }
    progress(epoch + 1, c.epochs, rep.losses.empty() ? 0.0 : rep.losses.back());
    if (cb.on_epoch_end) cb.on_epoch_end(epoch, r.mean_loss(data, loader.batch_size()));
  }
  rep.steps = step;
  rep.after = r.mean_loss(data, loader.batch_size());
  r.eval_mode();
  return rep;
}

void write_training_log(const std::string& path, const std::string& title, const RunnerCore& r,
                        const std::string& optimizer, const FitReport& report,
                        const std::vector<std::pair<std::string, double>>& extra) {
  nlohmann::ordered_json j;
  j["format"] = "tl.trainlog.v1";
  j["title"] = title;
  j["model"] = r.describe();
  j["dtype"] = dtype_name(r.config().dtype);
  j["backend"] = r.config().backend;
  j["device"] = r.backend().device();
  j["seed"] = r.config().seed;
  j["optimizer"] = optimizer;
  j["steps"] = report.steps;
  j["loss0"] = report.before;
  j["loss1"] = report.after;
  for (const auto& [k, v] : extra) j[k] = v;
  j["losses"] = report.losses;  // a loss that is not finite is written as null (JSON has no NaN)
  if (report.first_nonfinite_step >= 0) j["first_nonfinite_step"] = report.first_nonfinite_step;
  write_file_atomic(path, j.dump(1) + "\n");
}

double printable(double v) { return std::isnan(v) ? std::fabs(v) : v; }

std::string summary_line(const FitReport& report, const std::vector<std::pair<std::string, double>>& extra) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "steps=%lld loss0=%.6f loss1=%.6f", static_cast<long long>(report.steps),
                printable(report.before), printable(report.after));
  std::string s = buf;
  for (const auto& [k, v] : extra) {
    std::snprintf(buf, sizeof buf, " %s=%.4f", k.c_str(), printable(v));
    s += buf;
  }
  return s;
}

}  // namespace tl::rt
