// Checks of command-line values for the CLI11 front ends (torchlean's examples, tl-check;
// only targets that link CLI11 include this). CLI11 2.1's own checks let NaN through PositiveNumber
// (`--lr nan` trained to NaN), word refusals as "not in range 0.000000 to 1797693...", read integers
// with strtoll base 0 ("010" is 8, "0x10" is 16) and saturate on overflow ("99999999999999999999"
// steps). These take integers in base 10 only, refuse what does not fit, rewrite the text in the form
// CLI11 then reads back as the same number, and name what is wanted and what was given. Attach them
// with ->transform(), not ->check(): only a transform's rewritten text is what CLI11 converts.
#pragma once

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace tl::cli {

// All of `text` as a base-10 integer of type Int into v; "" or why not. On success text becomes
// std::to_string(v) (no leading zeros, so CLI11's strtoll reads the same value).
template <class Int> std::string parse_decimal(std::string& text, Int& v) {
  const char* end = text.data() + text.size();
  auto [stop, err] = std::from_chars(text.data(), end, v);
  if (err == std::errc::result_out_of_range) return "'" + text + "' is out of range";
  if (err != std::errc() || stop != end) return "'" + text + "' is not a decimal integer";
  text = std::to_string(v);
  return "";
}

// A finite number > 0 (learning rates).
inline CLI::Validator positive_finite() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v)) return "'" + text + "' is not a number";
        if (!std::isfinite(v) || !(v > 0)) return "must be a finite number > 0, got " + text;
        return "";
      },
      "POSITIVE");
}

// An integer >= `least` (counts: steps, epochs, cases, graphs, batch sizes).
inline CLI::Validator at_least(long long least) {
  return CLI::Validator(
      [least](std::string& text) -> std::string {
        long long v = 0;
        if (std::string why = parse_decimal(text, v); !why.empty()) return why;
        if (v < least) return "must be at least " + std::to_string(least) + ", got " + text;
        return "";
      },
      least == 1 ? "POSITIVE" : least == 0 ? "NONNEGATIVE" : "AT LEAST " + std::to_string(least));
}

// An unsigned 64-bit integer (seeds): "-1" is refused, not wrapped to 2^64 - 1.
inline CLI::Validator unsigned_64() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        unsigned long long v = 0;
        return parse_decimal(text, v);
      },
      "0 TO 2^64-1");
}

// Any text but "" (paths: `--log ""` would otherwise mean "no log" without a word).
inline CLI::Validator nonempty() {
  return CLI::Validator([](std::string& text) -> std::string { return text.empty() ? "must not be empty" : ""; },
                        "NONEMPTY");
}

}  // namespace tl::cli
