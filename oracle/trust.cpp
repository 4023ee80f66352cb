// The trust boundary (DESIGN §2): what a report assumes — library versions, compiler and flags,
// the CPU, and what each backend that ran rests on (backend::Backend::trust) — and which contracts
// carry no proof.
#include <boost/version.hpp>
#include <fstream>
#include <map>
#include <gmp.h>
#include <mpfi.h>
#include <mpfr.h>
#include <set>

#include "backend/backend.h"
#include "cases/case_lists.h"
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

// What the rows of this report rest on beyond the oracle itself: each backend that ran says (the
// fast GEMM path and threads, the GPU and driver, the emulation), the declared code paths no case
// reached, and a report with no cuda row says so.
std::vector<std::pair<std::string, std::string>> backend_trust(const std::vector<Row>& rows,
                                                               const std::vector<GraphRow>& graphs) {
  std::set<std::string> ran;
  for (const Row& r : rows)
    if (r.verdict != Verdict::skipped) ran.insert(r.backend);
  for (const GraphRow& g : graphs) ran.insert(g.backend);
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  for (const std::string& name : backend::backend_names()) {  // in the fixed order of the names
    if (!ran.count(name)) continue;
    for (backend::TrustEntry& e : backend::make_backend(name)->trust())
      if (seen.insert(e.what + e.detail).second) out.emplace_back(std::move(e.what), std::move(e.detail));
  }
  std::map<std::pair<std::string, DType>, CodePaths> declared;
  for (const Row& r : rows) {  // declared paths that the rows' case lists could not reach
    if (r.verdict == Verdict::skipped || r.verdict == Verdict::unsupported || !r.direction.forward()) continue;
    auto [it, fresh] = declared.try_emplace({r.backend, r.dtype});
    if (fresh) it->second = backend::make_backend(r.backend)->code_paths(r.dtype);
    for (const CodePath& p : uncrossed_paths(r.op, it->second)) {
      std::string detail = r.backend + ": " + p.what + " (at " + std::to_string(p.size) + " " +
                           std::string(path_axis_name(p.axis)) + "; beyond the case lists' sizes)";
      if (seen.insert(detail).second) out.emplace_back("code path not crossed", std::move(detail));
    }
  }
  bool any_cuda = false;
  for (const std::string& name : ran) any_cuda = any_cuda || name.rfind("cuda", 0) == 0;
  if (!any_cuda) out.emplace_back("CUDA toolkit / driver / GPU", "not used: no cuda row of this report ran");
  return out;
}

}  // namespace

Trust collect_trust(const std::vector<Row>& rows, const std::vector<GraphRow>& graphs) {
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
      {"CPU", cpu_model()},
  };
  for (auto& line : backend_trust(rows, graphs)) t.assumed.push_back(std::move(line));
  std::set<std::string> seen;
  for (const Row& r : rows) {
    if (r.verdict == Verdict::skipped || r.verdict == Verdict::unsupported || !unproven(r.contract)) continue;
    std::string line = std::string(dtype_name(r.dtype)) + " " + std::string(op_name(r.op)) + " " +
                       direction_text(r.direction) + ": " + contract_text(r.contract) + " (" +
                       std::string(evidence_name(r.contract.evidence)) + ": " + r.contract.evidence_detail + ")";
    if (seen.insert(line).second) t.empirical.push_back(line);  // eager and compiled share rows
  }
  return t;
}

}  // namespace tl::oracle
