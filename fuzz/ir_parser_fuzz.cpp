// libFuzzer target: the tl.ir.v1 reader on arbitrary bytes. Any input must give a graph or a
// UserError — never a crash, a hang, an InternalError or undefined behaviour (the fuzz build adds
// ASan and UBSan). Accepted graphs must survive a write/read round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "spec/error.h"
#include "spec/json_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    tl::Graph g = tl::graph_from_json(text, "fuzz input");
    tl::Graph again = tl::graph_from_json(tl::graph_to_json(g), "round trip");
    if (!tl::graphs_equal(g, again)) std::abort();
  } catch (const tl::UserError&) {
  }
  return 0;
}
