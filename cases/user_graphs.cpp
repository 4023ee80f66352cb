// Whole-graph cases from users' graph files (cases/user_graphs.h).
#include "cases/user_graphs.h"

#include <cctype>
#include <filesystem>
#include <set>

#include "cases/op_cases.h"
#include "spec/error.h"
#include "spec/json_io.h"
#include "spec/npy.h"

namespace tl::oracle {
namespace {

// The node whose needs decide `input`'s values, and at which position: the first that takes it as an
// index or label, else the first that takes it at all; none when it is unused.
std::pair<const Node*, std::size_t> deciding_consumer(const Graph& g, NodeId input) {
  std::pair<const Node*, std::size_t> first{nullptr, 0};
  for (const Node& n : g.nodes) {
    for (std::size_t k = 0; k < n.parents.size(); ++k) {
      if (n.parents[k] != input) continue;
      if (op_input_is_index(n.op, k)) return {&n, k};
      if (first.first == nullptr) first = {&n, k};
    }
  }
  return first;
}

HostTensor seeded_input(const Graph& g, NodeId id, SplitMix64& rng) {
  const Node& in = g.node(id);
  HostTensor t(in.dtype, in.shape);
  auto [consumer, position] = deciding_consumer(g, id);
  if (consumer == nullptr) return t;  // unused: zeros
  std::vector<Shape> shapes;
  for (NodeId p : consumer->parents) shapes.push_back(g.node(p).shape);
  fill_consumed_input(*consumer, position, shapes, t, ValueKind::dyadic, rng);
  return t;
}

HostTensor npy_input(const std::string& file, const Node& in, const std::string& name) {
  HostTensor t = read_npy(file);
  TL_CHECK_USER(t.dtype() == in.dtype, file + ": input '" + name + "' is " + std::string(dtype_name(in.dtype)) +
                                           " but the file holds " + std::string(dtype_name(t.dtype())));
  TL_CHECK_USER(t.shape() == in.shape,
                file + ": input '" + name + "' has shape " + in.shape.str() + " but the file holds " + t.shape().str());
  return t;
}

}  // namespace

namespace {

std::set<std::string> input_names(const Graph& g) {
  std::set<std::string> names;
  for (const Node& n : g.nodes)
    if (n.op == OpId::input) names.insert(std::get<InputAttrs>(n.attrs).name);
  return names;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every *.npy directly in `folder` must be <name>.npy for a name of `names`.
void check_npy_names(const std::filesystem::path& folder, const std::set<std::string>& names, const std::string& whose) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const std::filesystem::path& f = entry.path();
    if (f.extension() != ".npy" || names.count(f.stem().string())) continue;
    std::string list, guess;
    for (const std::string& n : names) {
      list += (list.empty() ? "" : ", ") + n;
      if (lower(n) == lower(f.stem().string())) guess = " (did you mean '" + n + ".npy'?)";
    }
    throw UserError("--inputs: '" + f.string() + "' matches no input of " + whose + guess + "; the inputs are " +
                    (list.empty() ? std::string("none") : list));
  }
}

}  // namespace

void check_inputs_folder(const std::vector<std::string>& graph_files, const std::vector<const Graph*>& graphs,
                         const std::string& inputs_dir) {
  if (inputs_dir.empty() || graph_files.empty()) return;
  std::set<std::string> all;
  for (std::size_t i = 0; i < graph_files.size(); ++i) {
    const std::string& path = graph_files[i];
    std::set<std::string> names = input_names(*graphs[i]);
    all.insert(names.begin(), names.end());
    std::filesystem::path own = std::filesystem::path(inputs_dir) / std::filesystem::path(path).stem();
    if (std::filesystem::is_directory(own)) check_npy_names(own, names, "'" + path + "'");
  }
  check_npy_names(inputs_dir, all, graph_files.size() == 1 ? "'" + graph_files[0] + "'" : "the graph files");
}

GraphCase load_graph_case(const std::string& path, const std::string& inputs_dir, uint64_t seed) {
  return graph_case_of(read_graph(path), path, inputs_dir, seed);
}

GraphCase graph_case_of(Graph graph, const std::string& path, const std::string& inputs_dir, uint64_t seed) {
  GraphCase gc;
  gc.graph = std::move(graph);
  TL_CHECK_USER(!gc.graph.outputs.empty(), path + ": the graph has no outputs to check");
  SplitMix64 rng(seed);
  for (NodeId id = 0; id < gc.graph.size(); ++id) {
    const Node& n = gc.graph.node(id);
    if (n.op != OpId::input) continue;
    const auto& attrs = std::get<InputAttrs>(n.attrs);
    // DIR/<graph file stem>/<name>.npy first (values for one of several graphs), then DIR/<name>.npy.
    std::filesystem::path file = std::filesystem::path(inputs_dir) / std::filesystem::path(path).stem() / (attrs.name + ".npy");
    if (!std::filesystem::exists(file)) file = std::filesystem::path(inputs_dir) / (attrs.name + ".npy");
    bool given = !inputs_dir.empty() && std::filesystem::exists(file);
    gc.input_sources.push_back({attrs.name, given ? file.string() : ""});
    try {
      gc.inputs.emplace(attrs.name, given ? npy_input(file.string(), n, attrs.name) : seeded_input(gc.graph, id, rng));
    } catch (const UserError& e) {
      if (given) throw;  // names the .npy file already
      throw UserError(path + ": input '" + attrs.name + "': " + e.what());
    }
    if (attrs.role == InputRole::param) gc.params.push_back(id);
  }
  gc.loss = gc.graph.outputs.front().node;
  for (const GraphOutput& out : gc.graph.outputs) {  // the first single-element output (a loss), if any
    if (gc.graph.node(out.node).shape.numel() == 1) {
      gc.loss = out.node;
      break;
    }
  }
  return gc;
}

}  // namespace tl::oracle
