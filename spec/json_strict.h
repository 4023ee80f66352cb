// Strict JSON reading for every JSON file the project reads (graphs, discrepancy records, reports):
// nesting at most kMaxJsonDepth, no NUL byte (nlohmann stops there), no key repeated in one object
// (nlohmann keeps the last one silently). Includes nlohmann/json.hpp: for the few .cpp files that
// parse JSON, never for widely included headers.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace tl {

// UserError "<source>: malformed JSON: ..." (or the nesting limit) on any problem.
nlohmann::json parse_json_strict(std::string_view text, const std::string& source);

}  // namespace tl
