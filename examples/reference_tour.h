// The reference's teaching mode (torchlean reference_tour).
#pragma once

namespace tl {
int run_reference_tour();
}
