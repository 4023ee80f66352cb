// Shape inference: the one function that says what shape every op produces (DESIGN §5).
#pragma once

#include <span>
#include <string_view>

#include "spec/op.h"

namespace tl {

// Output shape of `op` with `attrs` applied to parents of shapes `in`. Checks arity and every
// attribute range. `declared` is the node's own shape, used by source ops (input, const,
// rand_uniform, bernoulli_mask), whose shape is not computed from parents. `where` names the node
// in messages ("node 7 (reduce_sum)"). Throws UserError naming the op, the node and the offending
// dimension.
Shape infer_shape(OpId op, const Attrs& attrs, std::span<const Shape> in, const Shape& declared,
                  std::string_view where);

}  // namespace tl
