// One valid example per op (parent shapes, attributes, expected output shape) and op-specific
// invalid examples. A switch over OpId with no default builds the valid table, so a new row of
// spec/ops.def fails to compile here until it has an example.
#pragma once

#include <string>
#include <vector>

#include "spec/op.h"

namespace tl::oracle {

struct OpExample {
  std::vector<Shape> inputs;
  Attrs attrs;
  Shape declared;  // node shape for source ops; ignored otherwise
  Shape expected;
};

struct InvalidOpExample {
  OpId op;
  std::vector<Shape> inputs;
  Attrs attrs;
  std::string message_part;  // the UserError must contain this
};

OpExample valid_example(OpId op);
std::vector<InvalidOpExample> invalid_examples();

}  // namespace tl::oracle
