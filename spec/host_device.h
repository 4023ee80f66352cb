// TL_RULE marks the small rules that every fast backend shares (kernel_rules/elementwise_rules.h,
// kernel_rules/norm_layout.h): inline functions callable on the host and, compiled by nvcc, on the device.
#pragma once

#if defined(__CUDACC__)
#define TL_RULE __host__ __device__ inline
#else
#define TL_RULE inline
#endif
