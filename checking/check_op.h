// Checking one op case on one backend (DESIGN §3, local checking): the backend's forward output
// against the reference applied to the same inputs, and each VJP input's gradient against the
// reference VJP applied to the same inputs, the backend's own output y and the same upstream g.
// Every element is judged by the backend's contract for that op × dtype × direction.
#pragma once

#include "backend/backend.h"
#include "checking/case_result.h"

namespace tl::oracle {

// Checks a case; backend exceptions (UserError, InternalError) become FAIL with the message.
CaseResult check_case(backend::Backend& backend, const OpCase& c, const CaseOptions& options);

}  // namespace tl::oracle
