// Pieces of vmath shared by its translation units (not part of the kernels' API): the CPU check,
// the NaN quieting rule and the AVX-512 twin of exp_poly.
#pragma once

#include <immintrin.h>

namespace tl::fast {

bool has_avx512();  // AVX-512F and DQ, checked once by CPUID
float quiet(float x);  // a NaN with its quiet bit set, as the vector path's conversions return it
__attribute__((target("avx512f,avx512dq"))) __m512d exp_poly_v(__m512d x);  // exp_poly, 8 lanes

}  // namespace tl::fast
