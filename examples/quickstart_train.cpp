// quickstart_mlp (TorchLean's SimpleMlpTrain), quickstart_minibatch_mlp (MinibatchMlpTrain) and
// quickstart_cnn: small models trained on synthetic data, with TorchLean's settings.
#include <cmath>
#include <cstdio>

#include "examples/examples.h"
#include "runtime/cli.h"
#include "cli/cli_checks.h"
#include "runtime/fit.h"

namespace tl::examples {
namespace {

using namespace tl::rt;

// The 5x5 grid of [-1, 1]^2 (linspace with endpoints), targets from f.
Dataset grid_dataset(DType d, double (*f)(double, double)) {
  Dataset ds{HostTensor(d, Shape{25, 2}), HostTensor(d, Shape{25, 1})};
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 5; ++j) {
      double x1 = -1 + 0.5 * i, x2 = -1 + 0.5 * j;
      ds.x.set_from_double((i * 5 + j) * 2, x1);
      ds.x.set_from_double((i * 5 + j) * 2 + 1, x2);
      ds.y.set_from_double(i * 5 + j, f(x1, x2));
    }
  }
  return ds;
}

double relu(double v) { return v > 0 ? v : 0; }
double simple_target(double x1, double x2) { return 0.8 * relu(x1 + x2) - 0.4 * relu(x2 - x1) + 0.2; }
double minibatch_target(double x1, double x2) { return 0.7 * x1 - 0.4 * x2 + 0.5 * x1 * x2; }

Task mlp_task(const std::string& name) {
  return {name, nn::Sequential({nn::Linear(2, 8), nn::ReLU(), nn::Linear(8, 1)}), {2}, LossKind::mse, Reduction::mean, 0, {1}};
}

void print_probes(RunnerCore& r, DType d, double (*f)(double, double)) {
  const double probes[2][2] = {{0.0, 0.0}, {0.25, -0.75}};
  const char* names[2] = {"center", "heldout"};
  for (int k = 0; k < 2; ++k) {
    HostTensor x(d, Shape{1, 2});
    x.set_from_double(0, probes[k][0]);
    x.set_from_double(1, probes[k][1]);
    std::printf("  %s: x=(%.6f,%.6f)  target=%.6f  pred=[%.6f]\n", names[k], probes[k][0], probes[k][1],
                f(probes[k][0], probes[k][1]), rt::printable(r.predict(x).value_as_double(0)));
  }
}

}  // namespace

int quickstart_mlp(int argc, char** argv) {
  train::Flags defaults;
  defaults.steps = 200;
  defaults.lr = 0.03;
  return train::run("quickstart_mlp", argc, argv, defaults, nullptr, [](const train::Flags&) { return mlp_task("quickstart_mlp"); },
                    [](auto& r, const train::Flags& f) {
    Dataset ds = grid_dataset(f.dtype, simple_target);
    std::printf("== Quickstart: simple MLP training ==\nseed  = %llu\nsteps = %lld\nmodel = %s\ndataset size = %lld\n",
                static_cast<unsigned long long>(f.seed), static_cast<long long>(f.steps), r.describe().c_str(),
                static_cast<long long>(ds.size()));
    std::printf("mean_loss(before) = %.6f\npredictions(before)\n", rt::printable(r.mean_loss(ds, ds.size())));
    print_probes(r, f.dtype, simple_target);
    FitConfig c{f.steps, 1, OptimizerConfig::adam(f.lr), std::nullopt, 25};
    FitReport rep = fit_dataset(r, c, ds);
    std::printf("mean_loss(after) = %.6f\npredictions(after)\n", rt::printable(rep.after));
    print_probes(r, f.dtype, simple_target);
    if (!f.log.empty()) write_training_log(f.log, "quickstart_mlp", r, c.optimizer.describe(), rep);
    std::printf("%s\n", summary_line(rep).c_str());
    return 0;
  });
}

int quickstart_minibatch_mlp(int argc, char** argv) {
  train::Flags defaults;
  defaults.schedule = train::Schedule::epochs;
  defaults.epochs = 30;
  defaults.lr = 0.05;
  auto batch = std::make_shared<int64_t>(5);
  auto csv = std::make_shared<std::string>();
  auto extra = [batch, csv](CLI::App& app) {
    app.add_option("--batch", *batch, "rows per update")->transform(tl::cli::at_least(1))->capture_default_str();
    app.add_option("--csv", *csv, "x1,x2,y table with a header (default: the 5x5 grid, generated)")
        ->transform(tl::cli::nonempty());
  };
  return train::run("quickstart_minibatch_mlp", argc, argv, defaults, extra,
                    [](const train::Flags&) { return mlp_task("quickstart_minibatch_mlp"); },
                    [batch, csv](auto& r, const train::Flags& f) {
    Dataset ds = csv->empty() ? grid_dataset(f.dtype, minibatch_target) : [&] {
      CsvTable table = read_csv(*csv, true);
      require_columns(table, 3, *csv + " (x1,x2,y)");
      return tabular(table, 2, 0, f.dtype, *csv);
    }();
    std::printf("== Quickstart next step: minibatch MLP training ==\nseed      = %llu\nmodel:    %s\n",
                static_cast<unsigned long long>(f.seed), r.describe().c_str());
    LoaderFitConfig c{f.epochs, OptimizerConfig::adam(f.lr), std::nullopt, 0};
    std::printf("train     = %s, epochs=%lld, batch_size=%lld, shuffle=true, drop_last=true\n",
                c.optimizer.describe().c_str(), static_cast<long long>(f.epochs), static_cast<long long>(*batch));
    DataLoader loader(ds, *batch, true, f.seed, true);
    std::printf("dataset size = %lld\n", static_cast<long long>(ds.size()));
    FitCallbacks cb;
    cb.on_epoch_end = [](int64_t epoch, double loss) {
      if ((epoch + 1) % 5 == 0) std::printf("epoch %lld: mean_loss=%.6f\n", static_cast<long long>(epoch + 1), rt::printable(loss));
    };
    FitReport rep = fit_loader(r, c, loader, cb);
    std::printf("mean_loss(before) = %.6f\nmean_loss(after) = %.6f\n", rt::printable(rep.before), rt::printable(rep.after));
    if (!f.log.empty()) write_training_log(f.log, "quickstart_minibatch_mlp", r, c.optimizer.describe(), rep);
    std::printf("%s\n", summary_line(rep).c_str());
    return 0;
  });
}

}  // namespace tl::examples
