// Checks of numeric command-line values for the CLI11 front ends (torchlean's examples, tl-check;
// only targets that link CLI11 include this). CLI11's PositiveNumber lets NaN through (every
// comparison with NaN is false: `--lr nan` trained to NaN) and words its refusals as "not in range
// 0.000000 to 1797693...": these name what is wanted and what was given.
#pragma once

#include <CLI/CLI.hpp>

#include <cmath>
#include <string>

namespace tl::cli {

// A finite number > 0 (learning rates).
inline CLI::Validator positive_finite() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v)) return "'" + text + "' is not a number";
        if (!std::isfinite(v) || !(v > 0)) return "must be a finite number > 0, got " + text;
        return "";
      },
      "POSITIVE FINITE");
}

// An integer >= `least` (counts: steps, epochs, cases, graphs, batch sizes).
inline CLI::Validator at_least(long long least) {
  return CLI::Validator(
      [least](std::string& text) -> std::string {
        long long v = 0;
        if (!CLI::detail::lexical_cast(text, v)) return "'" + text + "' is not an integer";
        if (v < least) return "must be at least " + std::to_string(least) + ", got " + text;
        return "";
      },
      least == 1 ? "POSITIVE" : least == 0 ? "NONNEGATIVE" : "AT LEAST " + std::to_string(least));
}

}  // namespace tl::cli
