// Geometry of conv2d and pooling windows on NCHW tensors (zero padding, floor mode): which input
// cell each kernel position of each output position reads. Shared by every backend and the reference;
// the index rules are TL_RULE (callable in CUDA kernel bodies).
#pragma once

#include "spec/attrs.h"
#include "spec/host_device.h"
#include "spec/shape.h"

namespace tl {

struct Window {
  int64_t N, C, H, W, OH, OW, KH, KW, SH, SW, PH, PW;
  TL_RULE int64_t x_at(int64_t n, int64_t c, int64_t h, int64_t w) const { return ((n * C + c) * H + h) * W + w; }
  TL_RULE bool inside(int64_t h, int64_t w) const { return h >= 0 && h < H && w >= 0 && w < W; }
  // Input row/column read by output (i, j) at kernel position (kh, kw).
  TL_RULE int64_t row(int64_t i, int64_t kh) const { return i * SH - PH + kh; }
  TL_RULE int64_t col(int64_t j, int64_t kw) const { return j * SW - PW + kw; }
};

inline Window conv_window(const Shape& x, const Shape& w, const Shape& y, const Conv2dAttrs& a) {
  return {x.dim(0), x.dim(1), x.dim(2), x.dim(3), y.dim(2), y.dim(3), w.dim(2), w.dim(3),
          a.stride_h, a.stride_w, a.pad_h, a.pad_w};
}

inline Window pool_window(const Shape& x, const Shape& y, const Pool2dAttrs& a) {
  return {x.dim(0), x.dim(1), x.dim(2), x.dim(3), y.dim(2), y.dim(3), a.kernel_h, a.kernel_w,
          a.stride_h, a.stride_w, a.pad_h, a.pad_w};
}

}  // namespace tl
