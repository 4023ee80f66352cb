// Parses discrepancy records for replay.
#include "oracle/replay.h"

#include <nlohmann/json.hpp>

#include "spec/error.h"
#include "spec/file_io.h"
#include "spec/json_io.h"
#include "spec/json_strict.h"

namespace tl::oracle {
namespace {

using json = nlohmann::json;

// A tensor of the record, which must have the shape the record's graph gives it (`expected`).
HostTensor tensor_from(const json& j, DType dtype, const Shape& expected, const std::string& what) {
  Shape shape(j.at("shape").get<Dims>());
  TL_CHECK_USER(shape == expected, what + ": shape " + shape.str() + ", but the record's graph needs " + expected.str());
  HostTensor t(dtype, shape);
  const json& hex = j.at("hex");
  TL_CHECK_USER(hex.is_array() && static_cast<int64_t>(hex.size()) == t.numel(),
                what + ": expected " + std::to_string(t.numel()) + " hex values");
  for (int64_t i = 0; i < t.numel(); ++i) {
    double v = parse_exact_float(hex[static_cast<std::size_t>(i)].get<std::string>(), dtype, what);
    t.set_from_double(i, v);
  }
  return t;
}

}  // namespace

ReplayCase read_replay(const std::string& path) {
  std::string text = read_file(path);
  try {
    json j = parse_json_strict(text, path);
    TL_CHECK_USER(j.is_object() && j.value("format", "") == "tl.discrepancy.v1",
                  path + ": not a tl.discrepancy.v1 record");
    ReplayCase r;
    r.backend = j.at("backend").get<std::string>();
    r.direction = j.at("direction").get<std::string>();
    r.case_seed = j.at("case_seed").get<uint64_t>();
    r.op_case.graph = graph_from_json(j.at("graph").dump(), path);
    const Graph& g = r.op_case.graph;
    TL_CHECK_USER(!g.outputs.empty(), path + ": the graph has no output");
    const Node& out = g.node(g.outputs[0].node);
    DType dtype = out.dtype;
    // The record's own description must be its graph's, or the replay would check something else.
    TL_CHECK_USER(j.at("op").get<std::string>() == op_name(out.op),
                  path + ": field 'op' is '" + j.at("op").get<std::string>() + "' but the graph's output is " + std::string(op_name(out.op)));
    TL_CHECK_USER(j.at("dtype").get<std::string>() == dtype_name(dtype),
                  path + ": field 'dtype' is '" + j.at("dtype").get<std::string>() + "' but the graph is " + std::string(dtype_name(dtype)));
    for (NodeId id : g.inputs()) {
      std::string name(node_name(g.node(id)));
      TL_CHECK_USER(j.at("inputs").contains(name), path + ": no value for input '" + name + "'");
      r.op_case.inputs.emplace(name, tensor_from(j.at("inputs").at(name), dtype, g.node(id).shape, path + ": input '" + name + "'"));
      r.op_case.input_ids.push_back(id);
    }
    if (!j.at("upstream_gradient").is_null())
      r.upstream = tensor_from(j.at("upstream_gradient"), dtype, out.shape, path + ": upstream_gradient");
    return r;
  } catch (const json::exception& e) {
    throw UserError(path + ": malformed discrepancy record: " + e.what());
  }
}

}  // namespace tl::oracle
