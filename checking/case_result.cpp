// ULP histogram bins and error statistics of checking/case_result.h.
#include "checking/case_result.h"

#include <algorithm>
#include <cmath>

namespace tl::oracle {

int hist_bin(double ulp) {
  if (!(ulp > 0)) return ulp == 0 ? 0 : kHistBins - 1;  // NaN counts as the worst bin
  if (ulp <= 0.5) return 1;
  if (ulp <= 1) return 2;
  for (int k = 1; k <= 20; ++k) {
    if (ulp <= std::ldexp(1.0, k)) return 2 + k;
  }
  return kHistBins - 1;
}

std::string hist_bin_label(int bin) {
  if (bin == 0) return "0";
  if (bin == 1) return "<=0.5";
  if (bin == 2) return "<=1";
  if (bin == kHistBins - 1) return ">2^20";
  return "<=2^" + std::to_string(bin - 2);
}

void ErrorStats::add(const ErrorStats& o) {
  elements += o.elements;
  correctly_rounded += o.correctly_rounded;
  strict_bits += o.strict_bits;
  if (o.max_ulp > max_ulp || worst.empty()) {
    max_ulp = std::max(max_ulp, o.max_ulp);
    worst = o.worst;
  }
  max_utilisation = std::max(max_utilisation, o.max_utilisation);
  for (int b = 0; b < kHistBins; ++b) hist[static_cast<std::size_t>(b)] += o.hist[static_cast<std::size_t>(b)];
}

}  // namespace tl::oracle
