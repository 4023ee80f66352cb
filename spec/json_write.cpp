// Writing tl.ir.v1: stable text (fixed key order, one node per line) that reads back to an equal
// graph, bit for bit.
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>

#include "spec/file_io.h"
#include "spec/json_io.h"

namespace tl {
namespace {

using ojson = nlohmann::ordered_json;

// Payloads up to this many elements, with no NaN payload bits that hex text would lose, are written
// as hex-float strings; others as base64.
constexpr int64_t kMaxHexElements = 256;

struct AttrWriter {
  ojson& obj;
  void operator()(std::string_view key, const double& x) { obj[std::string(key)] = x; }
  void operator()(std::string_view key, const int64_t& x) { obj[std::string(key)] = x; }
  void operator()(std::string_view key, const uint64_t& x) { obj[std::string(key)] = x; }
  void operator()(std::string_view key, const bool& x) { obj[std::string(key)] = x; }
  void operator()(std::string_view key, const std::string& x) { obj[std::string(key)] = x; }
  void operator()(std::string_view key, const Dims& x) { obj[std::string(key)] = x; }
  void operator()(std::string_view key, const Reduction& x) {
    obj[std::string(key)] = std::string(reduction_name(x));
  }
  void operator()(std::string_view key, const InputRole& x) {
    obj[std::string(key)] = std::string(input_role_name(x));
  }
};

// True when every NaN in t is a quiet NaN without payload bits: the only NaNs that the hex text
// ("nan", "-nan") reproduces exactly.
bool hex_text_is_exact(const HostTensor& t) {
  for (int64_t i = 0; i < t.numel(); ++i) {
    std::size_t k = static_cast<std::size_t>(i);
    if (t.dtype() == DType::f32) {
      uint32_t bits;
      std::memcpy(&bits, &t.values<float>()[k], 4);
      if (std::isnan(t.values<float>()[k]) && (bits & 0x7FFFFFFFu) != 0x7FC00000u) return false;
    } else {
      uint64_t bits;
      std::memcpy(&bits, &t.values<double>()[k], 8);
      if (std::isnan(t.values<double>()[k]) && (bits << 1 >> 1) != 0x7FF8000000000000ull) return false;
    }
  }
  return true;
}

ojson value_json(const HostTensor& t) {
  ojson v;
  if (t.numel() <= kMaxHexElements && hex_text_is_exact(t)) {
    v["encoding"] = "hex";
    v["data"] = ojson::array();
    for (int64_t i = 0; i < t.numel(); ++i) {
      v["data"].push_back(t.dtype() == DType::f32 ? hex_float(t.values<float>()[static_cast<std::size_t>(i)])
                                                  : hex_float(t.value_as_double(i)));
    }
  } else {
    v["encoding"] = "base64";
    v["data"] = base64_encode(std::string_view(reinterpret_cast<const char*>(t.bytes()), t.nbytes()));
  }
  return v;
}

ojson node_json(const Graph& g, NodeId id) {
  const Node& n = g.node(id);
  ojson v;
  v["id"] = id;
  v["op"] = std::string(op_json_name(n.op));
  v["parents"] = n.parents;
  v["dtype"] = std::string(dtype_name(n.dtype));
  v["shape"] = n.shape.dims();
  ojson attrs = ojson::object();
  AttrWriter writer{attrs};
  std::visit([&](auto a) { a.visit_fields(writer); }, n.attrs);
  if (!attrs.empty()) v["attrs"] = attrs;
  if (n.value) v["value"] = value_json(*n.value);
  return v;
}

}  // namespace

std::string graph_to_json(const Graph& g) {
  std::string out = "{\n  \"format\": \"" + std::string(kIrFormat) + "\",\n";
  out += "  \"name\": " + ojson(g.name).dump() + ",\n";
  out += "  \"nodes\": [\n";
  for (NodeId i = 0; i < g.size(); ++i) {
    out += "    " + node_json(g, i).dump() + (i + 1 < g.size() ? ",\n" : "\n");
  }
  out += "  ],\n  \"outputs\": [\n";
  for (std::size_t k = 0; k < g.outputs.size(); ++k) {
    ojson o;
    o["name"] = g.outputs[k].name;
    o["node"] = g.outputs[k].node;
    out += "    " + o.dump() + (k + 1 < g.outputs.size() ? ",\n" : "\n");
  }
  out += "  ]\n}\n";
  return out;
}

void write_graph(const std::string& path, const Graph& g) {
  write_file_atomic(path, graph_to_json(g));
}

}  // namespace tl
