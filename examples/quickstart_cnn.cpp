// quickstart_cnn: a small convolutional classifier on synthetic 1x6x6 images — a vertical or a
// horizontal bar at a random place, with seeded noise — Conv2d, ReLU, MaxPool2d, Flatten, Linear,
// cross-entropy, Adam.
#include <cstdio>

#include "examples/examples.h"
#include "runtime/cli.h"
#include "runtime/fit.h"
#include "spec/splitmix.h"

namespace tl::examples {
namespace {

using namespace tl::rt;

Dataset bars(DType d, int64_t n, uint64_t seed) {
  Dataset ds{HostTensor(d, Shape{n, 1, 6, 6}), HostTensor(d, Shape{n})};
  SplitMix64 rng(seed);
  for (int64_t i = 0; i < n; ++i) {
    int64_t label = i % 2, at = static_cast<int64_t>(rng.below(6));
    for (int64_t p = 0; p < 36; ++p) {
      int64_t row = p / 6, col = p % 6;
      bool on = label == 0 ? col == at : row == at;
      double v = (on ? 1.0 : 0.0) + 0.25 * (rng.uniform() - 0.5);
      ds.x.set_from_double(i * 36 + p, v);
    }
    ds.y.set_from_double(i, static_cast<double>(label));
  }
  return ds;
}

}  // namespace

int quickstart_cnn(int argc, char** argv) {
  train::Flags defaults;
  defaults.schedule = train::Schedule::epochs;
  defaults.epochs = 15;
  defaults.lr = 0.03;
  auto make = [](const train::Flags&) {
    return Task{"quickstart_cnn",
                nn::Sequential({nn::Conv2d(1, 4, 3, 1, 1), nn::ReLU(), nn::MaxPool2d(2), nn::Flatten(), nn::Linear(36, 2)}),
                {1, 6, 6}, LossKind::cross_entropy, Reduction::mean, 2, {}};
  };
  return train::run("quickstart_cnn", argc, argv, defaults, nullptr, make, [](auto& r, const train::Flags& f) {
    Dataset train_set = bars(f.dtype, 32, f.seed + 1), test_set = bars(f.dtype, 32, f.seed + 2);
    std::printf("== Quickstart: small CNN (vertical vs horizontal bars, 1x6x6) ==\nmodel: %s\n", r.describe().c_str());
    DataLoader loader(train_set, 8, true, f.seed, true);
    LoaderFitConfig c{f.epochs, OptimizerConfig::adam(f.lr), std::nullopt, 0};
    FitReport rep = fit_loader(r, c, loader);
    double acc = r.accuracy(test_set, test_set.size());
    std::printf("mean_loss(before) = %.6f\nmean_loss(after) = %.6f\nheld-out accuracy = %.4f\n", rt::printable(rep.before),
                rt::printable(rep.after), rt::printable(acc));
    if (!f.log.empty()) write_training_log(f.log, "quickstart_cnn", r, c.optimizer.describe(), rep, {{"accuracy", acc}});
    std::printf("%s\n", summary_line(rep, {{"accuracy", acc}}).c_str());
    return 0;
  });
}

}  // namespace tl::examples
