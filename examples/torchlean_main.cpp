// The `torchlean` command. Subcommands so far:
//   torchlean graph check FILE...    validate tl.ir.v1 files (exit 2 if any is invalid)
//   torchlean graph show FILE...     validate and print each graph node by node
//   torchlean graph dot FILE [-o F]  Graphviz DOT of a graph
//   torchlean graph fmt FILE [-o F]  rewrite a graph in canonical tl.ir.v1 form
//   torchlean ops                    the op table: arity, gradients, traits
//   torchlean reference_tour         a lesson: a tiny MLP exactly, as enclosures, in float32
//   torchlean quickstart_tensors | quickstart_autograd | quickstart_mlp | quickstart_minibatch_mlp |
//             quickstart_cnn | mlp | digits [FLAGS]   the examples (examples/examples.h, runtime/cli.h)
// Exit status: 0 success, 2 usage or input error (DESIGN §8/§9), 1 internal error, 3 --cuda
// without a usable CUDA backend.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "examples/examples.h"
#include "examples/reference_tour.h"
#include "spec/file_io.h"
#include "spec/json_io.h"
#include "spec/print.h"

namespace {

using namespace tl;

std::string traits_text(OpId op) {
  std::string out;
  auto add = [&](OpTrait t, const char* name) {
    if (op_has(op, t)) out += (out.empty() ? "" : ",") + std::string(name);
  };
  add(kElementwise, "elementwise");
  add(kCommutative, "commutative");
  add(kLinear, "linear");
  add(kRational, "rational");
  add(kStructural, "structural");
  if (op_differentiable(op)) out += (out.empty() ? "" : ",") + std::string("differentiable");
  return out.empty() ? "-" : out;
}

void print_ops() {
  std::printf("%-18s %-7s %s\n", "op", "arity", "traits");
  for (const OpInfo& info : kOpInfo) {
    std::string arity = std::to_string(info.min_arity);
    if (info.max_arity == kVariadic) arity += "+";
    else if (info.max_arity != info.min_arity) arity += "-" + std::to_string(info.max_arity);
    std::printf("%-18s %-7s %s\n", std::string(info.json_name).c_str(), arity.c_str(),
                traits_text(info.id).c_str());
  }
  std::printf("%d ops\n", kNumOps);
}

std::string summary(const Graph& g) {
  int data = 0, params = 0, consts = 0;
  for (const Node& n : g.nodes) {
    if (const auto* a = std::get_if<InputAttrs>(&n.attrs)) (a->role == InputRole::param ? params : data)++;
    if (n.op == OpId::constant) consts++;
  }
  return std::to_string(g.size()) + " nodes, " + std::to_string(data) + " data inputs, " +
         std::to_string(params) + " parameters, " + std::to_string(consts) + " constants, " +
         std::to_string(g.outputs.size()) + " outputs";
}

// Validates each file; prints "ok" lines or the error. Returns 0 or 2.
int check_files(const std::vector<std::string>& files, bool show) {
  int status = 0;
  for (const std::string& file : files) {
    try {
      Graph g = read_graph(file);
      std::printf("ok   %s: '%s', %s\n", file.c_str(), g.name.c_str(), summary(g).c_str());
      if (show) std::printf("%s\n", graph_to_text(g).c_str());
    } catch (const UserError& e) {
      std::printf("FAIL %s\n", e.what());
      status = 2;
    }
  }
  return status;
}

void emit(const std::string& text, const std::string& out_path) {
  if (out_path.empty()) std::fwrite(text.data(), 1, text.size(), stdout);
  else write_file_atomic(out_path, text);
}

}  // namespace

namespace {

// The example programs take their own flags (runtime/cli.h): argv from the example's name on.
struct Example {
  const char* name;
  int (*main)(int, char**);
  const char* summary;
};
constexpr Example kExamples[] = {
    {"quickstart_tensors", tl::examples::quickstart_tensors, "ops run eagerly on a tape, values as hex floats"},
    {"quickstart_autograd", tl::examples::quickstart_autograd,
     "explicit gradients, the tape printed, the compiled plan's same bits"},
    {"quickstart_mlp", tl::examples::quickstart_mlp, "a 2-8-1 ReLU MLP trained with Adam, one sample per step"},
    {"quickstart_minibatch_mlp", tl::examples::quickstart_minibatch_mlp,
     "a 2-input MLP in shuffled batches of 5 (--csv PATH: your own table)"},
    {"quickstart_cnn", tl::examples::quickstart_cnn, "conv, ReLU, max-pool, linear on 6x6 bar images, cross-entropy"},
    {"mlp", tl::examples::mlp, "the diabetes table (10 features), a 10-32-1 MLP"},
    {"digits", tl::examples::digits, "1797 8x8 handwritten digits, a 64-128-10 MLP with dropout"}};

std::string examples_help() {
  std::string text = "Examples (each takes --help; the common flags --dtype, --backend, --cpu|--cuda, ...):\n";
  for (const Example& e : kExamples) {
    std::string name = e.name;
    text += "  " + name + std::string(name.size() < 26 ? 26 - name.size() : 1, ' ') + e.summary + "\n";
  }
  return text;
}

int run_example(int argc, char** argv) {
  for (const Example& e : kExamples) {
    if (argc >= 2 && std::string(argv[1]) == e.name) {
      try {
        return e.main(argc - 1, argv + 1);
      } catch (const UserError& err) {
        std::fprintf(stderr, "torchlean %s: error: %s\n", e.name, err.what());
        return 2;
      } catch (const std::exception& err) {
        std::fprintf(stderr, "torchlean %s: internal error: %s\n", e.name, err.what());
        return 1;
      }
    }
  }
  return -1;
}

// The names of app's subcommands, comma separated.
std::string subcommand_names(CLI::App& app) {
  std::string names;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    names += (names.empty() ? "" : ", ") + sub->get_name();
  return names;
}

// "" when argv names subcommands the app has, else why not (CLI11 alone says "A subcommand is
// required").
std::string unknown_command(CLI::App& app, CLI::App& graph, int argc, char** argv) {
  auto has = [](CLI::App& parent, const std::string& name) {
    return !parent.get_subcommands([&](CLI::App* sub) { return sub->get_name() == name; }).empty();
  };
  if (argc < 2 || argv[1][0] == '-') return "";
  std::string command = argv[1];
  if (!has(app, command)) return "unknown command '" + command + "' (torchlean --help lists the commands and examples)";
  if (command != graph.get_name() || argc < 3 || argv[2][0] == '-') return "";
  if (!has(graph, argv[2])) return "unknown graph command '" + std::string(argv[2]) + "' (" + subcommand_names(graph) + ")";
  return "";
}

int run_command(int argc, char** argv) {
  if (int status = run_example(argc, argv); status >= 0) return status;
  CLI::App app{"TorchLean C++: graphs, reference semantics and checked backends"};
  app.require_subcommand(1);
  auto* graph = app.add_subcommand("graph", "work with tl.ir.v1 graph files");
  graph->require_subcommand(1);
  std::vector<std::string> files;
  std::string file, out_path;
  auto* check = graph->add_subcommand("check", "validate graph files");
  check->add_option("files", files, "tl.ir.v1 files")->required();
  auto* show = graph->add_subcommand("show", "validate and print graph files");
  show->add_option("files", files, "tl.ir.v1 files")->required();
  auto* dot = graph->add_subcommand("dot", "print a graph as Graphviz DOT");
  dot->add_option("file", file, "tl.ir.v1 file")->required();
  dot->add_option("-o,--out", out_path, "write to this file instead of stdout");
  auto* fmt = graph->add_subcommand("fmt", "rewrite a graph in canonical form");
  fmt->add_option("file", file, "tl.ir.v1 file")->required();
  fmt->add_option("-o,--out", out_path, "write to this file instead of stdout");
  auto* ops = app.add_subcommand("ops", "list the op table");
  auto* tour = app.add_subcommand("reference_tour", "what a tiny MLP computes: exactly, as enclosures, in float32");
  app.footer(examples_help());  // after the subcommands, which would inherit it
  if (std::string why = unknown_command(app, *graph, argc, argv); !why.empty()) {
    std::fprintf(stderr, "torchlean: error: %s\n", why.c_str());
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    if (check->parsed()) return check_files(files, false);
    if (show->parsed()) return check_files(files, true);
    if (dot->parsed()) emit(graph_to_dot(read_graph(file)), out_path);
    if (fmt->parsed()) emit(graph_to_json(read_graph(file)), out_path);
    if (ops->parsed()) print_ops();
    if (tour->parsed()) return run_reference_tour();
    return 0;
  } catch (const UserError& e) {
    std::fprintf(stderr, "torchlean: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "torchlean: internal error: %s\n", e.what());
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) { return tl::exit_status_after_stdout(run_command(argc, argv), "torchlean"); }
