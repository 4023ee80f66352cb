// The torchlean examples as a user runs them: the summary line last, eager and compiled printing the
// same numbers, the quickstart MLP reaching its target loss, digits reaching 95% held-out accuracy,
// and bad flags, bad numbers, missing data and --cuda giving exit statuses 2 and 3 with a message
// (with a usable GPU, --cuda trains instead); the CUDA kernels through the emulated engine printing
// the compiled backend's numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../common/cuda_status.h"
#include "../common/run_command.h"

namespace {

using tl::testing::CommandResult;

CommandResult torchlean(const std::string& args) { return tl::testing::run_command(std::string(TL_TORCHLEAN_BIN) + " " + args); }

std::string last_line(const std::string& out) {
  std::size_t end = out.find_last_not_of('\n');
  std::size_t start = out.rfind('\n', end);
  return out.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

double field(const std::string& line, const std::string& key) {
  std::size_t at = line.find(key + "=");
  return at == std::string::npos ? NAN : std::atof(line.c_str() + at + key.size() + 1);
}

TEST(Examples, QuickstartMlpReachesItsTargetAndEagerPrintsTheSameNumbers) {
  CommandResult compiled = torchlean("quickstart_mlp --dtype float32 --backend compiled");
  CommandResult eager = torchlean("quickstart_mlp --dtype float32 --backend eager");
  ASSERT_EQ(compiled.status, 0) << compiled.output;
  ASSERT_EQ(eager.status, 0) << eager.output;
  std::string summary = last_line(compiled.output);
  EXPECT_EQ(summary.rfind("steps=200 ", 0), 0u) << summary;
  EXPECT_LT(field(summary, "loss1"), 0.05);
  EXPECT_EQ(compiled.output, eager.output);
}

// linear, relu and mse are strict rows in both tables: the CUDA kernels give the same bits.
TEST(Examples, QuickstartMlpOnTheEmulatedCudaKernelsPrintsTheCompiledNumbers) {
  CommandResult compiled = torchlean("quickstart_mlp --dtype float32 --backend compiled");
  CommandResult cuda = torchlean("quickstart_mlp --dtype float32 --backend cuda-emulated");
  ASSERT_EQ(cuda.status, 0) << cuda.output;
  EXPECT_EQ(cuda.output, compiled.output);
}

TEST(Examples, EveryExampleEndsWithTheSummaryLine) {
  for (const char* ex : {"quickstart_tensors", "quickstart_autograd", "quickstart_minibatch_mlp --epochs 3",
                         "quickstart_cnn --epochs 2", "mlp --epochs 2"}) {
    CommandResult r = torchlean(ex);
    EXPECT_EQ(r.status, 0) << ex << "\n" << r.output;
    EXPECT_EQ(last_line(r.output).rfind("steps=", 0), 0u) << ex << "\n" << r.output;
  }
}

TEST(Examples, DigitsReaches95PercentHeldOutAccuracy) {
  if (!std::filesystem::exists(std::string(TL_DATA_DIR) + "/digits.csv")) GTEST_SKIP() << "run scripts/fetch-datasets.sh";
  CommandResult r = torchlean("digits");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_GE(field(last_line(r.output), "accuracy"), 0.95) << r.output;
}

TEST(Examples, BadFlagsNumbersAndDataExitWith2AndSayWhy) {
  struct Case { const char* args; const char* message; };
  const Case cases[] = {
      {"quickstart_mlp --no-such-flag", "no-such-flag"},
      {"quickstart_mlp --steps abc", "steps"},
      {"quickstart_mlp --steps -3", "steps"},
      {"quickstart_mlp --steps 0", "--steps: must be at least 1, got 0"},
      {"quickstart_mlp --lr nan", "--lr: must be a finite number > 0, got nan"},
      {"quickstart_mlp --steps 0x10", "--steps: '0x10' is not a decimal integer"},
      {"quickstart_mlp --steps 99999999999999999999", "--steps: '99999999999999999999' is out of range"},
      {"quickstart_mlp --seed -1", "--seed: '-1' is not a decimal integer"},
      {"quickstart_mlp --lr inf", "--lr: must be a finite number > 0, got inf"},
      {"quickstart_mlp --lr 0", "--lr: must be a finite number > 0, got 0"},
      {"quickstart_minibatch_mlp --batch 0", "--batch: must be at least 1, got 0"},
      {"quickstart_mlp --dtype float16", "float16"},
      {"quickstart_mlp --backend gpu", "'gpu'"},
      {"quickstart_mlp --device tpu", "tpu"},
      {"digits --data-dir /nonexistent", "/nonexistent/digits.csv"},
      {"quickstart_minibatch_mlp --csv /nonexistent.csv", "/nonexistent.csv"},
      {"quickstart_mlp --load-params /nonexistent.tlckpt", "/nonexistent.tlckpt"},
      {"quickstart_mlp --cublas", "--cublas needs --cuda"},
      {"digits --steps 3", "--steps: this example trains for --epochs"},
      {"quickstart_mlp --epochs 3", "--epochs: this example trains for --steps"},
      {"quickstart_tensors --log x.json", "--log"},
      {"quickstart_mlp --device cpu --cuda", "--device cpu contradicts --cuda"},
      {"quickstart_mlp --device cuda --cpu", "--device cuda contradicts --cpu"},
      {"quickstart_mlp --dtype float32 --lr 1e-50", "--lr: 1e-50 is 0 in float32"},
      {"quickstart_mlp --dtype float32 --lr 1e300", "--lr: 1e+300 is infinite in float32"},
      {"quickstart_mlp --log ''", "--log: must not be empty"},
      {"quickstart_minibatch_mlp --csv ''", "--csv: must not be empty"},
      {"quickstart_mlp --save-params /nonexistent/p.tlckpt", "folder '/nonexistent' does not exist"},
      {"quickstart_mlp --log /dev/null", "'/dev/null': it exists and is not a regular file"},
      {"quickstart_mlp --log /tmp", "(a directory)"},
      {"quickstart_mlp --log /tmp/tl_same --save-params /tmp/tl_same", "name the same file"},
      {"quickstart_mlp --log /tmp/tl_same --save-params /tmp/../tmp/./tl_same", "name the same file"},
  };
  for (const Case& c : cases) {
    CommandResult r = torchlean(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << "\n" << r.output;
  }
}

// The real-data examples split the table they read: a short table is refused by name (it used to be
// read past its end), and the split follows the table's length.
TEST(Examples, ShortDataTablesAreRefusedAndSplitByTheirLength) {
  if (!std::filesystem::exists(std::string(TL_DATA_DIR) + "/digits.csv")) GTEST_SKIP() << "run scripts/fetch-datasets.sh";
  std::string dir = (std::filesystem::temp_directory_path() / ("tl_short_" + std::to_string(getpid()))).string();
  std::filesystem::create_directories(dir);
  tl::testing::run_command("head -30 " + std::string(TL_DATA_DIR) + "/digits.csv > " + dir + "/digits.csv");
  tl::testing::run_command("head -300 " + std::string(TL_DATA_DIR) + "/diabetes.csv > " + dir + "/diabetes.csv");
  CommandResult tiny = torchlean("digits --epochs 1 --data-dir " + dir);
  EXPECT_EQ(tiny.status, 2) << tiny.output;
  EXPECT_NE(tiny.output.find(dir + "/digits.csv: 30 rows are too few"), std::string::npos) << tiny.output;
  CommandResult part = torchlean("mlp --epochs 1 --data-dir " + dir);  // 299 rows: 299 * 350 / 442 = 236 train
  EXPECT_EQ(part.status, 0) << part.output;
  EXPECT_NE(part.output.find("236 train, 63 held out"), std::string::npos) << part.output;
  std::filesystem::remove_all(dir);
}

// A table of the wrong layout, or a value the dtype cannot hold, is named by file, row and column.
TEST(Examples, CsvErrorsNameTheFileTheColumnCountAndTheCell) {
  std::string dir = (std::filesystem::temp_directory_path() / ("tl_csv_" + std::to_string(getpid()))).string();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/four.csv") << "x1,x2,y,z\n0,1,2,3\n";
  std::ofstream(dir + "/huge.csv") << "x1,x2,y\n0,1,2\n0,1e308,2\n";
  CommandResult four = torchlean("quickstart_minibatch_mlp --csv " + dir + "/four.csv");
  EXPECT_EQ(four.status, 2) << four.output;
  EXPECT_NE(four.output.find("four.csv (x1,x2,y): expected 3 columns, got 4"), std::string::npos) << four.output;
  CommandResult huge = torchlean("quickstart_minibatch_mlp --dtype float32 --csv " + dir + "/huge.csv");
  EXPECT_EQ(huge.status, 2) << huge.output;
  EXPECT_NE(huge.output.find("huge.csv: data row 2, column 'x2': 1e+308 overflows float32"), std::string::npos) << huge.output;
  std::filesystem::remove_all(dir);
}

// A bad output path is refused before training, so no work is lost and nothing is half-written.
TEST(Examples, AnUnwritableLogIsRefusedBeforeTrainingAndSavesNothing) {
  std::string params = (std::filesystem::temp_directory_path() / ("tl_early_" + std::to_string(getpid()) + ".tlckpt")).string();
  CommandResult r = torchlean("quickstart_mlp --save-params " + params + " --log /nonexistent/log.json");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(r.output.find("steps="), std::string::npos) << "nothing may run: " << r.output;
  EXPECT_FALSE(std::filesystem::exists(params));
}

TEST(Examples, CountsAreDecimalSoALeadingZeroIsNotOctal) {
  CommandResult r = torchlean("quickstart_mlp --steps 010");  // CLI11 alone reads 010 as 8
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(field(last_line(r.output), "steps"), 10) << last_line(r.output);
}

TEST(Examples, ADivergingLossIsWarnedOnceAndLoggedAsNull) {
  std::string log = (std::filesystem::temp_directory_path() / "tl_diverging_log.json").string();
  CommandResult r = torchlean("quickstart_mlp --dtype float32 --lr 1e38 --steps 30 --log " + log);
  EXPECT_EQ(r.status, 0) << r.output;
  std::size_t warn = r.output.find("warning: the loss is");
  ASSERT_NE(warn, std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("warning: the loss is", warn + 1), std::string::npos) << "warned once";
  EXPECT_NE(last_line(r.output).find("loss1=nan"), std::string::npos) << last_line(r.output);
  std::string text = tl::testing::run_command("cat " + log).output;
  EXPECT_NE(text.find("\"first_nonfinite_step\""), std::string::npos) << text;
  std::size_t losses = text.find("\"losses\"");
  ASSERT_NE(losses, std::string::npos) << text;
  EXPECT_NE(text.find("null", losses), std::string::npos) << "a non-finite step loss is null: " << text;
  EXPECT_NE(text.find("\"device\": \"cpu\""), std::string::npos) << text;
}

TEST(Examples, CudaIsRefusedWithExit3NeverASilentCpuFallback) {
  if (tl::testing::cuda_usable()) GTEST_SKIP() << "a GPU is usable here";
  for (const char* args : {"quickstart_mlp --cuda", "digits --device cuda"}) {
    CommandResult r = torchlean(args);
    EXPECT_EQ(r.status, 3) << args << "\n" << r.output;
    EXPECT_NE(r.output.find("CUDA"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("steps="), std::string::npos) << "nothing may run";
  }
}

TEST(Examples, SavedParametersLoadBackToTheSameLoss) {
  std::string path = (std::filesystem::temp_directory_path() / ("tl_ex_" + std::to_string(getpid()) + ".tlckpt")).string();
  CommandResult a = torchlean("quickstart_mlp --steps 20 --save-params " + path);
  ASSERT_EQ(a.status, 0) << a.output;
  CommandResult b = torchlean("quickstart_mlp --steps 1 --load-params " + path);
  ASSERT_EQ(b.status, 0) << b.output;
  EXPECT_EQ(field(last_line(a.output), "loss1"), field(b.output.substr(b.output.find("mean_loss(before)")), "mean_loss(before) ") );
}

TEST(Examples, QuickstartMlpTrainsOnTheGpuWithCuda) {
  if (!tl::testing::cuda_usable()) GTEST_SKIP() << "no usable GPU";
  CommandResult compiled = torchlean("quickstart_mlp --dtype float32 --backend compiled");
  CommandResult gpu = torchlean("quickstart_mlp --dtype float32 --cuda");
  ASSERT_EQ(gpu.status, 0) << gpu.output;
  EXPECT_EQ(gpu.output, compiled.output) << "linear, relu, mse: strict orders on both";
}

}  // namespace
