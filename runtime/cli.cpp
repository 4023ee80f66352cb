// Common flag parsing for the examples.
#include "runtime/cli.h"

#ifdef TL_HAVE_CUDA
#include "cuda/device.h"
#endif
#include "spec/cli_checks.h"

namespace tl::rt::train {

std::string cuda_unavailable_reason() {
#ifdef TL_HAVE_CUDA
  cuda::DeviceStatus s = cuda::probe_devices();
  return s.usable ? "" : "no usable CUDA device: " + s.message;
#else
  return "this build has no CUDA compiler (nvcc was not found at configure time)";
#endif
}

std::variant<Flags, int> parse_flags(const std::string& name, int argc, char** argv, Flags f,
                                     const std::function<void(CLI::App&)>& extra) {
  CLI::App app{"torchlean " + name};
  app.name("torchlean " + name);
  std::string dtype = std::string(dtype_name(f.dtype)) == "float64" ? "float" : "float32";
  std::string backend(backend_kind_name(f.backend));
  bool cpu = false, cuda = false, cublas = false;
  app.add_option("--dtype", dtype, "float (binary64) | float32")->capture_default_str();
  app.add_option("--backend", backend, "eager | compiled | reference | cuda-emulated")->capture_default_str();
  app.add_flag("--cpu", cpu, "run on the CPU (the default)");
  app.add_flag("--cuda", cuda, "run on a CUDA GPU");
  app.add_option("--device", f.device, "cpu | cuda")->capture_default_str();
  app.add_flag("--cublas", cublas, "with --cuda: matmul and linear through cuBLAS (an external trust boundary)");
  app.add_option("--steps", f.steps, "optimizer steps")->transform(cli::at_least(1))->capture_default_str();
  app.add_option("--epochs", f.epochs, "epochs")->transform(cli::at_least(1))->capture_default_str();
  app.add_option("--seed", f.seed, "seed of initialisation, shuffling and dropout")
      ->transform(cli::unsigned_64())
      ->capture_default_str();
  app.add_option("--lr", f.lr, "learning rate")->transform(cli::positive_finite())->capture_default_str();
  app.add_option("--log", f.log, "write a JSON training log here");
  app.add_flag("--show-backend", f.show_backend, "print backend, device, dtype and each op's contract");
  app.add_option("--save-params", f.save_params, "save the parameters (exact bits) here after training");
  app.add_option("--load-params", f.load_params, "load parameters (exact bits) from here before training");
  if (extra) extra(app);
  try {
    app.parse(argc, argv);
    f.dtype = parse_dtype(dtype, "--dtype");
    f.backend = parse_backend(backend);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const UserError& e) {
    std::fprintf(stderr, "torchlean %s: error: %s\n", name.c_str(), e.what());
    return 2;
  }
  if (cuda && cpu) {
    std::fprintf(stderr, "torchlean %s: error: --cpu and --cuda exclude each other\n", name.c_str());
    return 2;
  }
  if (f.device != "cpu" && f.device != "cuda") {
    std::fprintf(stderr, "torchlean %s: error: --device: expected cpu or cuda, got '%s'\n", name.c_str(), f.device.c_str());
    return 2;
  }
  if (cublas && !cuda && f.device != "cuda") {
    std::fprintf(stderr, "torchlean %s: error: --cublas needs --cuda (or --device cuda)\n", name.c_str());
    return 2;
  }
  if (cuda || f.device == "cuda") {
    std::string why = cuda_unavailable_reason();
    if (!why.empty()) {
      std::fprintf(stderr, "torchlean %s: --cuda: %s\n", name.c_str(), why.c_str());
      return 3;
    }
    f.backend = cublas ? BackendKind::cuda_cublas : BackendKind::cuda;  // whatever --backend said
    f.device = "cuda";
  }
  return f;
}

}  // namespace tl::rt::train
