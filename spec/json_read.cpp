// Reading tl.ir.v1: JSON text -> Graph, then validate(). Every error names the source, the node
// and the field.
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "spec/file_io.h"
#include "spec/json_io.h"
#include "spec/json_strict.h"

namespace tl {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& problem) {
  throw UserError(where + ": " + problem);
}

// Rejects nesting deeper than kMaxJsonDepth before nlohmann sees the text.
void check_depth(std::string_view text, const std::string& source) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > kMaxJsonDepth) {
        fail(source, "JSON nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      }
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
}

void check_keys(const json& obj, std::initializer_list<std::string_view> allowed,
                const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (std::string_view k : allowed) known = known || it.key() == k;
    if (!known) fail(where, "unknown field '" + it.key() + "'");
  }
}

const json& field(const json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) fail(where, std::string("missing field '") + key + "'");
  return *it;
}

int64_t as_int(const json& v, const std::string& what) {
  if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<int64_t>();
  if (v.is_number_unsigned() && v.get<uint64_t>() <= uint64_t(INT64_MAX)) {
    return static_cast<int64_t>(v.get<uint64_t>());
  }
  fail(what, "expected an integer, got " + v.dump());
}

Dims as_dims(const json& v, const std::string& what) {
  if (!v.is_array()) fail(what, "expected an array of integers, got " + v.dump());
  Dims dims;
  for (const json& d : v) dims.push_back(as_int(d, what));
  return dims;
}

// Reads one attribute field of each kind; absent fields keep their defaults.
struct AttrReader {
  const json& obj;
  DType dtype;
  std::string where;

  const json* find(std::string_view key) const {
    auto it = obj.find(std::string(key));
    return it == obj.end() ? nullptr : &*it;
  }
  std::string what(std::string_view key) const { return where + " attribute '" + std::string(key) + "'"; }

  void operator()(std::string_view key, double& x) const {
    const json* v = find(key);
    if (!v) return;
    if (v->is_number()) x = v->get<double>();
    else if (v->is_string()) x = parse_exact_float(v->get<std::string>(), DType::f64, what(key));
    else fail(what(key), "expected a number, got " + v->dump());
    if (!std::isfinite(x)) fail(what(key), "must be finite");
  }
  void operator()(std::string_view key, int64_t& x) const {
    if (const json* v = find(key)) x = as_int(*v, what(key));
  }
  void operator()(std::string_view key, uint64_t& x) const {
    const json* v = find(key);
    if (!v) return;
    if (!v->is_number_unsigned()) fail(what(key), "expected a non-negative integer, got " + v->dump());
    x = v->get<uint64_t>();
  }
  void operator()(std::string_view key, bool& x) const {
    const json* v = find(key);
    if (!v) return;
    if (!v->is_boolean()) fail(what(key), "expected true or false, got " + v->dump());
    x = v->get<bool>();
  }
  void operator()(std::string_view key, std::string& x) const {
    const json* v = find(key);
    if (!v) return;
    if (!v->is_string()) fail(what(key), "expected a string, got " + v->dump());
    x = v->get<std::string>();
  }
  void operator()(std::string_view key, Dims& x) const {
    if (const json* v = find(key)) x = as_dims(*v, what(key));
  }
  template <class E> void read_enum(std::string_view key, E& x, std::initializer_list<E> options,
                                    std::string_view (*name)(E)) const {
    const json* v = find(key);
    if (!v) return;
    std::string expected;
    for (E e : options) {
      if (v->is_string() && v->get<std::string>() == name(e)) { x = e; return; }
      expected += (expected.empty() ? "" : " or ") + std::string(name(e));
    }
    fail(what(key), "expected " + expected + ", got " + v->dump());
  }
  void operator()(std::string_view key, Reduction& x) const {
    read_enum(key, x, {Reduction::mean, Reduction::sum}, reduction_name);
  }
  void operator()(std::string_view key, InputRole& x) const {
    read_enum(key, x, {InputRole::data, InputRole::param}, input_role_name);
  }
};

// Collects field names so unknown attribute keys can be rejected.
struct FieldNames {
  std::vector<std::string> names;
  template <class T> void operator()(std::string_view key, T&) { names.emplace_back(key); }
};

Attrs read_attrs(OpId op, const json* obj, DType dtype, const std::string& where) {
  Attrs attrs = default_attrs(op);
  round_float_attrs(op, attrs, dtype);  // defaults only; explicit values must be exact
  if (!obj) return attrs;
  if (!obj->is_object()) fail(where, "field 'attrs' must be an object");
  std::visit([&](auto& a) {
    FieldNames names;
    a.visit_fields(names);
    for (auto it = obj->begin(); it != obj->end(); ++it) {
      bool known = std::find(names.names.begin(), names.names.end(), it.key()) != names.names.end();
      if (!known) fail(where, "unknown attribute '" + it.key() + "' for op " +
                                  std::string(op_json_name(op)));
    }
    AttrReader reader{*obj, dtype, where};
    a.visit_fields(reader);
  }, attrs);
  return attrs;
}

std::shared_ptr<const HostTensor> read_value(const json& v, DType dtype, const Shape& shape,
                                             const std::string& where) {
  std::string what = where + " value";
  if (!v.is_object()) fail(what, "must be an object with 'encoding' and 'data'");
  check_keys(v, {"encoding", "data"}, what);
  const json& enc = field(v, "encoding", what);
  const json& data = field(v, "data", what);
  // The payload's size is checked against the shape before the tensor is allocated: a 2^31-element
  // shape with one value must not allocate 8 GiB first.
  int64_t numel = shape.numel();
  std::size_t nbytes = static_cast<std::size_t>(numel) * dtype_size(dtype);
  std::shared_ptr<HostTensor> t;
  if (enc == "base64") {
    if (!data.is_string()) fail(what, "base64 data must be a string");
    std::string bytes = base64_decode(data.get<std::string>(), what);
    if (bytes.size() != nbytes) {
      fail(what, "payload has " + std::to_string(bytes.size()) + " bytes but shape " +
                     shape.str() + " of " + std::string(dtype_name(dtype)) + " needs " + std::to_string(nbytes));
    }
    t = std::make_shared<HostTensor>(dtype, shape);
    if (!bytes.empty()) std::memcpy(t->bytes(), bytes.data(), bytes.size());
  } else if (enc == "hex") {
    if (!data.is_array()) fail(what, "hex data must be an array");
    if (static_cast<int64_t>(data.size()) != numel) {
      fail(what, "payload has " + std::to_string(data.size()) + " values but shape " +
                     shape.str() + " needs " + std::to_string(numel));
    }
    t = std::make_shared<HostTensor>(dtype, shape);
    for (std::size_t i = 0; i < data.size(); ++i) {
      std::string item_what = what + " element " + std::to_string(i);
      double x = data[i].is_string() ? parse_exact_float(data[i].get<std::string>(), dtype, item_what)
                 : data[i].is_number() ? data[i].get<double>()
                                       : (fail(item_what, "expected a number or hex-float string"), 0.0);
      if (!representable_in(x, dtype)) fail(item_what, "not exactly representable in " + std::string(dtype_name(dtype)));
      if (dtype == DType::f32) t->values<float>()[i] = static_cast<float>(x);
      else t->values<double>()[i] = x;
    }
  } else {
    fail(what, "encoding must be \"hex\" or \"base64\", got " + enc.dump());
  }
  return t;
}

Node read_node(const json& v, std::size_t index, const std::string& source) {
  std::string where = source + ": node " + std::to_string(index);
  if (!v.is_object()) fail(where, "must be an object");
  check_keys(v, {"id", "op", "parents", "dtype", "shape", "attrs", "value"}, where);
  if (as_int(field(v, "id", where), where + " field 'id'") != static_cast<int64_t>(index)) {
    fail(where, "field 'id' must equal the node's position " + std::to_string(index));
  }
  const json& op_text = field(v, "op", where);
  if (!op_text.is_string()) fail(where, "field 'op' must be a string");
  std::optional<OpId> op = op_from_json_name(op_text.get<std::string>());
  if (!op) fail(where, "unknown op '" + op_text.get<std::string>() + "'");
  where = source + ": " + node_label(static_cast<NodeId>(index), *op);
  Node n;
  n.op = *op;
  const json& dtype_text = field(v, "dtype", where);
  if (!dtype_text.is_string()) fail(where, "field 'dtype' must be a string");
  n.dtype = parse_dtype(dtype_text.get<std::string>(), where + " field 'dtype'");
  n.shape = Shape(as_dims(field(v, "shape", where), where + " field 'shape'"), where + " shape");
  if (auto it = v.find("parents"); it != v.end()) {
    for (int64_t p : as_dims(*it, where + " field 'parents'")) {
      if (p > INT32_MAX) fail(where, "parent " + std::to_string(p) + " is out of range");
      n.parents.push_back(static_cast<NodeId>(p));
    }
  }
  auto attrs_it = v.find("attrs");
  n.attrs = read_attrs(n.op, attrs_it == v.end() ? nullptr : &*attrs_it, n.dtype, where);
  if (auto it = v.find("value"); it != v.end()) {
    if (n.op != OpId::constant) fail(where, "only const nodes may have a 'value'");
    n.value = read_value(*it, n.dtype, n.shape, where);
  }
  return n;
}

Graph graph_from_parsed(const json& doc, const std::string& source) {
  if (!doc.is_object()) fail(source, "top level must be a JSON object");
  check_keys(doc, {"format", "name", "nodes", "outputs"}, source);
  const json& format = field(doc, "format", source);
  if (format != kIrFormat) {
    fail(source, "field 'format' is " + format.dump() + ", expected \"" + std::string(kIrFormat) + "\"");
  }
  Graph g;
  if (auto it = doc.find("name"); it != doc.end()) {
    if (!it->is_string()) fail(source, "field 'name' must be a string");
    g.name = it->get<std::string>();
  }
  const json& nodes = field(doc, "nodes", source);
  if (!nodes.is_array()) fail(source, "field 'nodes' must be an array");
  for (std::size_t i = 0; i < nodes.size(); ++i) g.nodes.push_back(read_node(nodes[i], i, source));
  const json& outputs = field(doc, "outputs", source);
  if (!outputs.is_array()) fail(source, "field 'outputs' must be an array");
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    std::string where = source + ": output " + std::to_string(k);
    if (!outputs[k].is_object()) fail(where, "must be an object {\"name\", \"node\"}");
    check_keys(outputs[k], {"name", "node"}, where);
    const json& name = field(outputs[k], "name", where);
    if (!name.is_string()) fail(where, "field 'name' must be a string");
    int64_t node = as_int(field(outputs[k], "node", where), where + " field 'node'");
    if (node < 0 || node >= g.size()) fail(where, "node " + std::to_string(node) + " does not exist");
    g.outputs.push_back({name.get<std::string>(), static_cast<NodeId>(node)});
  }
  return g;
}

// A parser callback that refuses an object repeating a key (nlohmann keeps the last one silently,
// so "format" given twice would pass whichever came last).
json::parser_callback_t refuse_duplicate_keys(const std::string& source) {
  auto open = std::make_shared<std::vector<std::set<std::string>>>();
  return [open, source](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open->emplace_back();
    if (event == json::parse_event_t::object_end && !open->empty()) open->pop_back();
    if (event == json::parse_event_t::key && !open->empty() && !open->back().insert(parsed.get<std::string>()).second)
      fail(source, "malformed JSON: the key \"" + parsed.get<std::string>() + "\" appears twice in one object");
    return true;
  };
}

}  // namespace

json parse_json_strict(std::string_view text, const std::string& source) {
  check_depth(text, source);
  if (std::size_t nul = text.find('\0'); nul != std::string_view::npos)
    fail(source, "malformed JSON: a NUL byte at offset " + std::to_string(nul));
  try {
    return json::parse(text.begin(), text.end(), refuse_duplicate_keys(source));
  } catch (const json::exception& e) {
    fail(source, std::string("malformed JSON: ") + e.what());
  }
}

Graph graph_from_json(std::string_view text, std::string_view source_view) {
  std::string source(source_view);
  json doc = parse_json_strict(text, source);
  Graph g;
  try {
    g = graph_from_parsed(doc, source);
  } catch (const json::exception& e) {
    fail(source, std::string("unexpected JSON content: ") + e.what());
  }
  try {
    validate(g);
  } catch (const UserError& e) {
    fail(source, e.what());
  }
  return g;
}

Graph read_graph(const std::string& path) {
  return graph_from_json(read_file(path, std::size_t{1} << 30), path);
}

}  // namespace tl
