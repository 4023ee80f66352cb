// mlp (regression on the diabetes table) and digits (8x8 handwritten digits, 10 classes): real data
// from Debian's python3-sklearn package (scripts/fetch-datasets.sh writes data/*.csv).
#include <cmath>
#include <cstdio>

#include "examples/examples.h"
#include "runtime/cli.h"
#include "runtime/fit.h"
#include "cli/cli_checks.h"

#ifndef TL_DATA_DIR
#define TL_DATA_DIR "data"
#endif

namespace tl::examples {
namespace {

using namespace tl::rt;

// Standardises each column of `train` and `test` to the training rows' mean 0 and standard deviation 1
// (the held-out rows are scaled with the training statistics: they are unseen data).
void standardise(HostTensor& train, HostTensor& test) {
  int64_t rows = train.shape().dim(0), cols = train.numel() / rows;
  for (int64_t c = 0; c < cols; ++c) {
    double sum = 0, sq = 0;
    for (int64_t r = 0; r < rows; ++r) sum += train.value_as_double(r * cols + c);
    double mean = sum / static_cast<double>(rows);
    for (int64_t r = 0; r < rows; ++r) sq += std::pow(train.value_as_double(r * cols + c) - mean, 2);
    double sd = std::sqrt(sq / static_cast<double>(rows));
    if (sd == 0) sd = 1;
    for (HostTensor* t : {&train, &test})
      for (int64_t r = 0; r < t->shape().dim(0); ++r) {
        double v = (t->value_as_double(r * cols + c) - mean) / sd;
        t->set_from_double(r * cols + c, v);
      }
  }
}

// A fixed shuffled split (TorchLean's LCG order from `seed`): the first n * part / whole rows train
// (the published split of the full table: 350 of 442 diabetes rows, 1437 of 1797 digits), the rest
// are held out. UserError naming `path` when either side would have fewer than `batch` rows.
std::pair<Dataset, Dataset> split(const Dataset& d, int64_t part, int64_t whole, int64_t batch, uint64_t seed,
                                  const std::string& path) {
  int64_t n = d.size(), train = n * part / whole;
  TL_CHECK_USER(train >= batch && n - train >= 1,
                path + ": " + std::to_string(n) + " rows are too few: the example trains on " + std::to_string(part) +
                    "/" + std::to_string(whole) + " of them in batches of " + std::to_string(batch) +
                    " and holds out the rest (the full table has " + std::to_string(whole) + ")");
  DataLoader order(d, n, true, seed, false);
  Dataset all = [&] { Batch b = order.epoch()[0]; return Dataset{b.x, b.y}; }();
  return {all.range(0, train), all.range(train, n)};
}

std::function<void(CLI::App&)> data_dir_option(std::shared_ptr<std::string> dir) {
  return [dir](CLI::App& app) { app.add_option("--data-dir", *dir, "folder with digits.csv and diabetes.csv")
                                  ->transform(cli::nonempty())
                                  ->capture_default_str(); };
}

}  // namespace

int mlp(int argc, char** argv) {
  train::Flags defaults;
  defaults.schedule = train::Schedule::epochs;
  defaults.epochs = 40;
  defaults.lr = 0.003;
  auto dir = std::make_shared<std::string>(TL_DATA_DIR);
  auto make = [](const train::Flags&) {
    return Task{"mlp", nn::Sequential({nn::Linear(10, 32), nn::ReLU(), nn::Linear(32, 1)}), {10}, LossKind::mse,
                Reduction::mean, 0, {1}};
  };
  return train::run("mlp", argc, argv, defaults, data_dir_option(dir), make, [dir](auto& r, const train::Flags& f) {
    std::string path = *dir + "/diabetes.csv";
    CsvTable table = read_csv(path, true);
    require_columns(table, 11, path + " (10 features, 1 target)");
    Dataset all = tabular(table, 10, 0, f.dtype, path);
    auto [train_set, test_set] = split(all, 350, 442, 16, f.seed, path);
    std::printf("torchlean mlp: diabetes regression (%s: %lld train, %lld held out, 10 features), device=%s\nmodel: %s\n",
                path.c_str(), static_cast<long long>(train_set.size()), static_cast<long long>(test_set.size()),
                f.device.c_str(), r.describe().c_str());
    standardise(train_set.x, test_set.x);
    standardise(train_set.y, test_set.y);
    DataLoader loader(train_set, 16, true, f.seed, true);
    LoaderFitConfig c{f.epochs, OptimizerConfig::adam(f.lr), std::nullopt, 0};
    FitReport rep = fit_loader(r, c, loader);
    double test_loss = r.mean_loss(test_set, test_set.size());
    std::printf("train mean_loss before %.6f after %.6f; held-out mean_loss %.6f (standardised target: 1.0 = predicting the mean)\n",
                printable(rep.before), printable(rep.after), printable(test_loss));
    if (!f.log.empty()) write_training_log(f.log, "mlp (diabetes)", r, c.optimizer.describe(), rep, {{"test_loss", test_loss}});
    std::printf("%s\n", summary_line(rep, {{"test_loss", test_loss}}).c_str());
    return 0;
  });
}

int digits(int argc, char** argv) {
  train::Flags defaults;
  defaults.schedule = train::Schedule::epochs;
  defaults.epochs = 20;
  defaults.lr = 0.002;
  auto dir = std::make_shared<std::string>(TL_DATA_DIR);
  auto make = [](const train::Flags&) {
    return Task{"digits",
                nn::Sequential({nn::Linear(64, 128), nn::ReLU(), nn::Dropout(0.1), nn::Linear(128, 10)}),
                {64}, LossKind::cross_entropy, Reduction::mean, 10, {}};
  };
  return train::run("digits", argc, argv, defaults, data_dir_option(dir), make, [dir](auto& r, const train::Flags& f) {
    std::string path = *dir + "/digits.csv";
    CsvTable table = read_csv(path, false);
    require_columns(table, 65, path + " (64 pixels, 1 label)");
    Dataset all = tabular(table, 64, 10, f.dtype, path);
    for (int64_t i = 0; i < all.x.numel(); ++i) {  // intensities 0..16 to [0, 1] (exact: 16 = 2^4)
      double v = all.x.value_as_double(i) / 16;
      all.x.set_from_double(i, v);
    }
    auto [train_set, test_set] = split(all, 1437, 1797, 32, f.seed, path);
    std::printf("torchlean digits: 8x8 handwritten digits (%s): %lld train, %lld held out\nmodel: %s\n", path.c_str(),
                static_cast<long long>(train_set.size()), static_cast<long long>(test_set.size()), r.describe().c_str());
    DataLoader loader(train_set, 32, true, f.seed, true);
    LoaderFitConfig c{f.epochs, OptimizerConfig::adam(f.lr), std::nullopt, 0};
    FitCallbacks cb;
    cb.on_epoch_end = [](int64_t epoch, double loss) {
      if ((epoch + 1) % 5 == 0) std::printf("epoch %lld: train mean_loss=%.6f\n", static_cast<long long>(epoch + 1), rt::printable(loss));
    };
    FitReport rep = fit_loader(r, c, loader, cb);
    double acc = r.accuracy(test_set, test_set.size());
    std::printf("held-out accuracy = %.4f (%lld images)\n", acc, static_cast<long long>(test_set.size()));
    if (!f.log.empty()) write_training_log(f.log, "digits", r, c.optimizer.describe(), rep, {{"accuracy", acc}});
    std::printf("%s\n", summary_line(rep, {{"accuracy", acc}}).c_str());
    return 0;
  });
}

}  // namespace tl::examples
