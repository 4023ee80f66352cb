// The trust boundary (DESIGN §2): what a report assumes — library versions, compiler and flags,
// the C library's libm, the CPU and the GEMM path — and which contracts carry no proof.
#include <boost/version.hpp>
#include <fstream>
#include <gmp.h>
#include <gnu/libc-version.h>
#include <mpfi.h>
#include <mpfr.h>
#include <set>

#ifdef TL_HAVE_CUDA
#include "cuda/device.h"
#endif

#include "cuda/engine.h"
#include "fast/kernels/gemm.h"
#include "fast/kernels/parallel.h"
#include "oracle/report.h"

#ifndef TL_BUILD_FLAGS
#define TL_BUILD_FLAGS "unknown"
#endif

namespace tl::oracle {
namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      std::size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

bool unproven(const Contract& c) {
  return c.kind == ContractKind::empirical || c.evidence == Evidence::none || c.evidence == Evidence::assumed;
}

// What the cuda rows of this report rest on: the GPU, driver and runtime (and cuBLAS) for the device
// engines; for the emulated engine, that it is not a GPU at all.
std::vector<std::pair<std::string, std::string>> cuda_trust(const std::vector<Row>& rows) {
  std::set<std::string> ran;
  for (const Row& r : rows)
    if (r.verdict != Verdict::skipped && r.backend.rfind("cuda", 0) == 0) ran.insert(r.backend);
  std::vector<std::pair<std::string, std::string>> out;
  if (ran.empty()) return {{"CUDA toolkit / driver / GPU", "not used: no cuda row of this report ran"}};
  if (ran.count("cuda-emulated"))
    out.push_back({"cuda-emulated", "the CUDA kernel bodies run as host loops (not a GPU); math functions: " +
                                        cuda::emulated_math_library()});
  if (ran.count("cuda") || ran.count("cuda-cublas")) {
#ifdef TL_HAVE_CUDA
    out.push_back({"GPU / driver / CUDA runtime", cuda::probe_devices().message});
    if (ran.count("cuda-cublas")) out.push_back({"cuBLAS (cuda-cublas matmul/linear)", cuda::cublas_version()});
#endif
  }
  return out;
}

}  // namespace

Trust collect_trust(const std::vector<Row>& rows) {
  Trust t;
  t.assumed = {
      {"MPFR (real-meaning enclosures, correct rounding)", mpfr_get_version()},
      {"MPFI (interval arithmetic)", mpfi_get_version()},
      {"GMP (rationals)", gmp_version},
      {"Boost (Multiprecision)", BOOST_LIB_VERSION},
#ifdef __clang__
      {"compiler", "clang " __clang_version__},
#else
      {"compiler", "GCC " __VERSION__},
#endif
      {"build flags", TL_BUILD_FLAGS " (reference/ and fast/ add -ffp-contract=off)"},
      {"C library / libm (fast float transcendentals)", std::string("glibc ") + gnu_get_libc_version()},
      {"CPU", cpu_model()},
      {"fast GEMM path", fast::gemm_path()},
      {"fast kernel threads", std::to_string(fast::threads())},
  };
  for (auto& line : cuda_trust(rows)) t.assumed.push_back(std::move(line));
  std::set<std::string> seen;
  for (const Row& r : rows) {
    if (r.verdict == Verdict::skipped || r.verdict == Verdict::unsupported || !unproven(r.contract)) continue;
    std::string line = r.dtype + " " + r.op + " " + r.direction + ": " + contract_text(r.contract) + " (" +
                       std::string(evidence_name(r.contract.evidence)) + ": " + r.contract.evidence_detail + ")";
    if (seen.insert(line).second) t.empirical.push_back(line);  // eager and compiled share rows
  }
  return t;
}

}  // namespace tl::oracle
