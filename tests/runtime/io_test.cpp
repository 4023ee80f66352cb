// Checkpoints round-trip exact bits and refuse files that do not fit; CSV, .npy and loaders reject
// bad input with the file and place named; optimizers match their update rules on hand-worked steps.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "runtime/checkpoint.h"
#include "runtime/runner.h"
#include "spec/error.h"
#include "spec/npy.h"

namespace tl::rt {
namespace {

namespace fs = std::filesystem;

std::string scratch(const std::string& name, const std::string& content = "") {
  fs::path dir = fs::temp_directory_path() / ("tl_runtime_test_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string p = (dir / name).string();
  if (!content.empty()) std::ofstream(p) << content;
  return p;
}

void expect_user_error(const std::function<void()>& f, const std::string& part) {
  try {
    f();
    ADD_FAILURE() << "no UserError; expected one containing '" << part << "'";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

Task small_task() {
  return {"t", nn::Sequential({nn::Linear(2, 3), nn::BatchNorm1d(3), nn::Linear(3, 1)}), {2}, LossKind::mse, Reduction::mean, 0, {1}};
}

TEST(Checkpoint, RoundTripsExactBitsAndRejectsMismatches) {
  Runner<float> a(small_task(), {DType::f32, "compiled", 1, false});
  Runner<float> b(small_task(), {DType::f32, "compiled", 2, false});
  std::string path = scratch("params.tlckpt");
  save_checkpoint(path, a.state());
  load_checkpoint(path, b.state());
  for (const auto& [name, t] : a.state().params) EXPECT_TRUE(t.bit_equal(b.state().params.at(name))) << name;
  Runner<double> wrong_dtype(small_task(), {DType::f64, "compiled", 1, false});
  expect_user_error([&] { load_checkpoint(path, wrong_dtype.state()); }, "dtype");
  // Same first layers, a different last one: the mismatch is found after earlier tensors were read.
  Task other{"o", nn::Sequential({nn::Linear(2, 3), nn::BatchNorm1d(3), nn::Linear(3, 2)}), {2}, LossKind::mse, Reduction::mean, 0, {2}};
  Runner<float> wrong_shape(other, {DType::f32, "compiled", 7, false});
  HostTensor before = wrong_shape.state().params.at("0.weight");
  ASSERT_FALSE(before.bit_equal(a.state().params.at("0.weight")));
  expect_user_error([&] { load_checkpoint(path, wrong_shape.state()); }, "shape");
  EXPECT_TRUE(before.bit_equal(wrong_shape.state().params.at("0.weight"))) << "a refused load changes nothing";
  expect_user_error([&] { load_checkpoint(scratch("junk.tlckpt", "not a checkpoint"), a.state()); }, "bad magic");
  expect_user_error([&] { load_checkpoint(scratch("missing.tlckpt"), a.state()); }, "missing.tlckpt");
}

TEST(DataFiles, CsvProblemsNameTheFileLineAndColumn) {
  expect_user_error([] { read_csv(scratch("nope.csv"), true); }, "nope.csv");
  expect_user_error([] { read_csv(scratch("ragged.csv", "a,b\n1,2\n3\n"), true); }, "ragged.csv:3: 1 fields, expected 2");
  expect_user_error([] { read_csv(scratch("text.csv", "a,b\n1,x\n"), true); }, "text.csv:2: column 2: 'x' is not a number");
  expect_user_error([] { read_csv(scratch("nan.csv", "a,b\n1,nan\n"), true); }, "not finite");
  expect_user_error([] { read_csv(scratch("empty.csv", "a,b\n"), true); }, "no data rows");
  CsvTable labels = read_csv(scratch("labels.csv", "1,2,7\n3,4,1\n"), false);
  expect_user_error([&] { tabular(labels, 2, 5, DType::f64, "labels.csv"); }, "label 7");
  Dataset ok = tabular(labels, 2, 0, DType::f32, "labels.csv");
  EXPECT_EQ(ok.x.shape(), (Shape{2, 2}));
  EXPECT_EQ(ok.y.shape(), (Shape{2, 1}));
}

TEST(DataFiles, NpyRowCountsAndNaNsAreChecked) {
  std::string x = scratch("x.npy"), y = scratch("y.npy"), bad = scratch("bad.npy");
  write_npy(x, HostTensor::from_values<double>(Shape{3, 2}, {1, 2, 3, 4, 5, 6}));
  write_npy(y, HostTensor::from_values<double>(Shape{2}, {0, 1}));
  write_npy(bad, HostTensor::from_values<double>(Shape{3}, {0, NAN, 1}));
  expect_user_error([&] { load_npy(x, y, DType::f32); }, "rows");
  expect_user_error([&] { load_npy(x, bad, DType::f32); }, "not finite");
}

TEST(DataLoaderOrder, ShuffleIsSeededAndDropLastDropsTheShortBatch) {
  Dataset d{HostTensor(DType::f64, Shape{7, 1}), HostTensor(DType::f64, Shape{7, 1})};
  for (int i = 0; i < 7; ++i) d.x.values<double>()[static_cast<std::size_t>(i)] = i;
  DataLoader a(d, 3, true, 42, true), b(d, 3, true, 42, true);
  std::vector<Batch> ea = a.epoch(), eb = b.epoch();
  ASSERT_EQ(ea.size(), 2u);
  for (std::size_t i = 0; i < ea.size(); ++i) EXPECT_TRUE(ea[i].x.bit_equal(eb[i].x));
  std::vector<Batch> second = a.epoch();
  EXPECT_FALSE(second[0].x.bit_equal(ea[0].x) && second[1].x.bit_equal(ea[1].x)) << "each epoch reshuffles";
  expect_user_error([&] { DataLoader(d, 8, false, 0, true); }, "leaves no batch");
}

// Hand-worked first steps from p = 1, g = 0.5, lr = 0.1 (double).
TEST(Optimizers, FirstStepsMatchTheirUpdateRules) {
  auto step = [](OptimizerConfig c) {
    std::map<std::string, HostTensor> p{{"w", HostTensor::from_values<double>(Shape{1}, {1.0})}};
    std::map<std::string, HostTensor> g{{"w", HostTensor::from_values<double>(Shape{1}, {0.5})}};
    Optimizer opt(c);
    opt.step(p, g, c.lr);
    return p.at("w").value_as_double(0);
  };
  EXPECT_EQ(step(OptimizerConfig::sgd(0.1)), 1 - 0.1 * 0.5);
  // Adam: m_hat = 0.5, v_hat = 0.25, so the step is lr * 0.5 / (0.5 + eps).
  EXPECT_NEAR(step(OptimizerConfig::adam(0.1)), 1 - 0.1 * 0.5 / (0.5 + 1e-8), 1e-15);
  // AdamW: decay first, p = 1 - 0.1 * 0.01, then the Adam step.
  EXPECT_NEAR(step(OptimizerConfig::adamw(0.1)), (1 - 0.1 * 0.01) - 0.1 * 0.5 / (0.5 + 1e-8), 1e-15);
  // RMSProp: v = 0.01 * 0.25; AdaGrad: G = 0.25.
  EXPECT_NEAR(step(OptimizerConfig::rmsprop(0.1)), 1 - 0.1 * 0.5 / (std::sqrt(0.0025) + 1e-8), 1e-14);
  EXPECT_NEAR(step(OptimizerConfig::adagrad(0.1)), 1 - 0.1 * 0.5 / (0.5 + 1e-10), 1e-15);
}

TEST(Schedulers, StepExponentialAndWarmupCosine) {
  SchedulerConfig s;
  s.kind = SchedulerKind::step;
  s.step_size = 10;
  s.gamma = 0.5;
  EXPECT_EQ(s.lr_at(1.0, 9), 1.0);
  EXPECT_EQ(s.lr_at(1.0, 10), 0.5);
  s.kind = SchedulerKind::exponential;
  EXPECT_EQ(s.lr_at(1.0, 2), 0.25);
  s.kind = SchedulerKind::warmup_cosine;
  s.warmup = 4;
  s.total = 14;
  s.min_lr = 0;
  EXPECT_EQ(s.lr_at(1.0, 1), 0.5);
  EXPECT_NEAR(s.lr_at(1.0, 9), 0.5, 1e-15);  // halfway through the cosine
  EXPECT_EQ(s.lr_at(1.0, 14), 0.0);
}

}  // namespace
}  // namespace tl::rt
