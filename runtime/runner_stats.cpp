// The runner's read-outs and bookkeeping: BatchNorm running statistics, mean loss, accuracy,
// --show-backend contract listing, description.
#include <cstdio>
#include <set>

#include "runtime/runner.h"
#include "spec/error.h"

namespace tl::rt {

// PyTorch's update: running = (1 - momentum) running + momentum batch, with the unbiased variance.
void RunnerCore::update_running_stats(const Graphs& g, const backend::Result& e) {
  for (const BatchNormSite& s : g.batch_norms) {
    const HostTensor& x = e.values.at(s.input);
    int64_t n = x.shape().dim(0), c = x.shape().dim(1), spatial = x.numel() / (n * c), count = n * spatial;
    HostTensor& rm = state_.buffers.at(s.running_mean);
    HostTensor& rv = state_.buffers.at(s.running_var);
    for (int64_t ch = 0; ch < c; ++ch) {
      double sum = 0, sq = 0;
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < spatial; ++j) sum += x.value_as_double((i * c + ch) * spatial + j);
      double mean = sum / static_cast<double>(count);
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < spatial; ++j) {
          double d = x.value_as_double((i * c + ch) * spatial + j) - mean;
          sq += d * d;
        }
      double unbiased = count > 1 ? sq / static_cast<double>(count - 1) : 0.0;
      double m = s.momentum;
      rm.set_from_double(ch, (1 - m) * rm.value_as_double(ch) + m * mean);
      rv.set_from_double(ch, (1 - m) * rv.value_as_double(ch) + m * unbiased);
    }
  }
}

double RunnerCore::mean_loss(const Dataset& d, int64_t batch) {
  TL_CHECK_USER(batch > 0, task_.name + ": batch size must be positive");
  Mode saved = mode_;
  eval_mode();
  double total = 0;
  int64_t rows = 0;
  for (int64_t b = 0; b < d.size(); b += batch) {
    Dataset part = d.range(b, std::min(d.size(), b + batch));
    double l = loss(part.all());
    total += task_.reduction == Reduction::mean ? l * static_cast<double>(part.size()) : l;
    rows += part.size();
  }
  mode_ = saved;
  return task_.reduction == Reduction::mean ? total / static_cast<double>(std::max<int64_t>(1, rows)) : total;
}

double RunnerCore::accuracy(const Dataset& d, int64_t batch) {
  TL_CHECK_USER(task_.classes > 0, task_.name + ": accuracy needs a classification task");
  TL_CHECK_USER(batch > 0, task_.name + ": batch size must be positive");
  Mode saved = mode_;
  eval_mode();
  int64_t right = 0;
  for (int64_t b = 0; b < d.size(); b += batch) {
    Dataset part = d.range(b, std::min(d.size(), b + batch));
    HostTensor scores = predict(part.x);
    int64_t classes = scores.shape().dim(1);
    for (int64_t i = 0; i < part.size(); ++i) {
      int64_t best = 0;
      for (int64_t k = 1; k < classes; ++k)
        if (scores.value_as_double(i * classes + k) > scores.value_as_double(i * classes + best)) best = k;
      right += best == static_cast<int64_t>(part.y.value_as_double(i));
    }
  }
  mode_ = saved;
  return static_cast<double>(right) / static_cast<double>(std::max<int64_t>(1, d.size()));
}

void RunnerCore::show_contracts(const Graph& g) const {
  std::set<OpId> seen;
  for (const Node& n : g.nodes) {
    if (n.op == OpId::input || !seen.insert(n.op).second) continue;
    Contract c = backend_->contract(n.op, n.dtype, {});
    std::printf("  %-16s forward %s (%s)\n", std::string(op_name(n.op)).c_str(), contract_text(c).c_str(),
                std::string(evidence_name(c.evidence)).c_str());
  }
}

std::string RunnerCore::describe() const {
  int64_t count = 0;
  for (const auto& [_, t] : state_.params) count += t.numel();
  return task_.model->describe() + ", " + std::to_string(count) + " parameters";
}

}  // namespace tl::rt
