// Common flag parsing for the examples.
#include "runtime/cli.h"

#include <cmath>
#include <filesystem>

#include "cli/cli_checks.h"
#include "spec/file_io.h"

namespace tl::rt::train {
namespace {

// --backend of the examples (cuda and cuda-cublas are chosen with --cuda / --device cuda).
std::string parse_backend(const std::string& text) {
  for (const char* name : {"eager", "compiled", "reference", "cuda-emulated"})
    if (text == name) return text;
  throw UserError("--backend: expected eager, compiled, reference or cuda-emulated, got '" + text + "'");
}

// The text flags, before they are checked and turned into Flags' fields.
struct RawFlags {
  std::string dtype, backend;
  bool cpu = false, cuda = false, cublas = false;
};

void add_training_flags(CLI::App& app, Flags& f, RawFlags& raw) {
  app.add_option("--backend", raw.backend, "eager | compiled | reference | cuda-emulated")->capture_default_str();
  app.add_flag("--cpu", raw.cpu, "run on the CPU (the default)");
  app.add_flag("--cuda", raw.cuda, "run on a CUDA GPU");
  app.add_option("--device", f.device, "cpu | cuda")->capture_default_str();
  app.add_flag("--cublas", raw.cublas, "with --cuda: matmul and linear through cuBLAS (an external trust boundary)");
  bool by_steps = f.schedule == Schedule::steps;
  app.add_option("--steps", f.steps, by_steps ? "optimizer steps" : "(trains by --epochs)")->transform(cli::at_least(1));
  app.add_option("--epochs", f.epochs, by_steps ? "(trains by --steps)" : "epochs")->transform(cli::at_least(1));
  app.get_option(by_steps ? "--steps" : "--epochs")->capture_default_str();
  app.add_option("--seed", f.seed, "seed of initialisation, shuffling and dropout")
      ->transform(cli::unsigned_64())
      ->capture_default_str();
  app.add_option("--lr", f.lr, "learning rate")->transform(cli::positive_finite())->capture_default_str();
  app.add_option("--log", f.log, "write a JSON training log here")->transform(cli::nonempty());
  app.add_flag("--show-backend", f.show_backend, "print backend, device, dtype and each op's contract");
  app.add_option("--save-params", f.save_params, "save the parameters (exact bits) here after training")
      ->transform(cli::nonempty());
  app.add_option("--load-params", f.load_params, "load parameters (exact bits) from here before training")
      ->transform(cli::nonempty());
}

// The device and dtype choices that no single flag can check: "" when they are consistent.
std::string inconsistency(const CLI::App& app, const Flags& f, const RawFlags& raw) {
  if (f.schedule == Schedule::none) return "";  // only --dtype
  if (f.schedule == Schedule::steps && app.count("--epochs") > 0) return "--epochs: this example trains for --steps";
  if (f.schedule == Schedule::epochs && app.count("--steps") > 0) return "--steps: this example trains for --epochs";
  if (raw.cuda && raw.cpu) return "--cpu and --cuda exclude each other";
  if (f.device != "cpu" && f.device != "cuda") return "--device: expected cpu or cuda, got '" + f.device + "'";
  if (app.count("--device") > 0 && ((raw.cpu && f.device == "cuda") || (raw.cuda && f.device == "cpu")))
    return "--device " + f.device + " contradicts " + (raw.cpu ? "--cpu" : "--cuda");
  if (raw.cublas && !raw.cuda && f.device != "cuda") return "--cublas needs --cuda (or --device cuda)";
  if (f.dtype == DType::f32) {
    float lr = static_cast<float>(f.lr);
    if (lr == 0 || std::isinf(lr))
      return "--lr: " + CLI::detail::to_string(f.lr) + " is " + (lr == 0 ? "0" : "infinite") + " in float32";
  }
  return "";
}

}  // namespace

void check_output_paths(const Flags& f) {
  std::string params = f.save_params.empty() ? "" : checked_output_path(f.save_params);
  std::string log = f.log.empty() ? "" : checked_output_path(f.log);
  if (params.empty() || log.empty()) return;
  std::error_code ec;  // "p.bin", "./p.bin" and "d/../p.bin" are one file; so are two hard links to it
  bool same = std::filesystem::weakly_canonical(params, ec) == std::filesystem::weakly_canonical(log, ec) ||
              std::filesystem::equivalent(params, log, ec);
  TL_CHECK_USER(!same, "--save-params '" + f.save_params + "' and --log '" + f.log +
                           "' name the same file: one would overwrite the other");
}

std::variant<Flags, int> parse_flags(const std::string& name, int argc, char** argv, Flags f,
                                     const std::function<void(CLI::App&)>& extra) {
  CLI::App app{"torchlean " + name};
  app.name("torchlean " + name);
  RawFlags raw{std::string(dtype_name(f.dtype)) == "float64" ? "float" : "float32", f.backend};
  app.add_option("--dtype", raw.dtype, "float (binary64) | float32")->capture_default_str();
  if (f.schedule != Schedule::none) add_training_flags(app, f, raw);
  if (extra) extra(app);
  try {
    app.parse(argc, argv);
    f.dtype = parse_dtype(raw.dtype, "--dtype");
    f.backend = parse_backend(raw.backend);  // cuda is chosen with --cuda / --device cuda, not --backend
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const UserError& e) {
    std::fprintf(stderr, "torchlean %s: error: %s\n", name.c_str(), e.what());
    return 2;
  }
  if (std::string why = inconsistency(app, f, raw); !why.empty()) {
    std::fprintf(stderr, "torchlean %s: error: %s\n", name.c_str(), why.c_str());
    return 2;
  }
  if (raw.cuda || f.device == "cuda") {
    std::string why = backend::unavailable_reason(raw.cublas ? "cuda-cublas" : "cuda");
    if (!why.empty()) {
      std::fprintf(stderr, "torchlean %s: --cuda: %s\n", name.c_str(), why.c_str());
      return 3;
    }
    f.backend = raw.cublas ? "cuda-cublas" : "cuda";  // whatever --backend said
    f.device = "cuda";
  }
  return f;
}

}  // namespace tl::rt::train
