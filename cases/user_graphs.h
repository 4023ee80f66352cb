// A user's tl.ir.v1 graph as a whole-graph case for tl-check (--graph FILE, --inputs DIR): every
// input gets the values of DIR/<graph file stem>/<input name>.npy or else DIR/<input name>.npy when
// that file exists, else seeded values that its
// consumers accept (the first that takes it as an index or label decides, else the first) (valid labels and row indices, positive values for sqrt/log/..., bce targets
// in [0, 1], small dyadics otherwise). The end-to-end target is the graph's first single-element
// output (its loss), else its first output; parameter gradients are compared for a single-element
// target.
#pragma once

#include <string>

#include "cases/random_graphs.h"

namespace tl::oracle {

// UserError naming the file for an unreadable or invalid graph, a missing consumer-valid value, or
// an .npy file whose dtype or shape is not the input's.
GraphCase load_graph_case(const std::string& path, const std::string& inputs_dir, uint64_t seed);
// The same for a graph already read; `path` names it in errors and picks DIR/<stem>/ (may be "").
GraphCase graph_case_of(Graph graph, const std::string& path, const std::string& inputs_dir, uint64_t seed);
// UserError for an .npy file of `inputs_dir` that no input would read: DIR/<name>.npy where no graph
// has an input <name>, or DIR/<stem>/<name>.npy where graph <stem> has none (a misnamed file would
// otherwise leave its input seeded). The message names the file and the inputs it could be for.
// `graphs` are the files' graphs, already read.
void check_inputs_folder(const std::vector<std::string>& graph_files, const std::vector<const Graph*>& graphs,
                         const std::string& inputs_dir);

}  // namespace tl::oracle
