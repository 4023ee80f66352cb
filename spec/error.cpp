// Out-of-line pieces of the error kinds: formatting of internal errors with their location.
#include "spec/error.h"

namespace tl {

void throw_internal(const std::string& message, const char* file, int line) {
  throw InternalError(std::string("internal error at ") + file + ":" + std::to_string(line) + ": " +
                      message);
}

}  // namespace tl
