#!/usr/bin/env python3
"""PyTorch CUDA peer for bench/compare-pytorch-cuda.sh: SGEMM 1024^3 and 4096^3 (TF32 off, as the
cuda backend's contract), DGEMM 4096^3, and the same MLP training steps as bench/cuda_bench.cu, on
the same GPU. Prints "name value unit" lines; exit 3 when this PyTorch has no usable CUDA."""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_bench import gemm_gflops, mlp_steps_per_second  # noqa: E402  (the CPU peer's functions)

GPU = "cuda"


def main():
    if not torch.cuda.is_available():
        print(f"torch_cuda_bench: PyTorch {torch.__version__} has no usable CUDA", file=sys.stderr)
        sys.exit(3)
    torch.backends.cuda.matmul.allow_tf32 = False
    print(f"torch_version {torch.__version__} cuda {torch.version.cuda} gpu {torch.cuda.get_device_name(0)}")
    print(f"cuda_sgemm_1024 {gemm_gflops(1024, torch.float32, 5, GPU):.1f} GFLOP/s")
    print(f"cuda_sgemm_4096 {gemm_gflops(4096, torch.float32, 3, GPU):.1f} GFLOP/s")
    print(f"cuda_dgemm_4096 {gemm_gflops(4096, torch.float64, 3, GPU):.1f} GFLOP/s")
    print(f"cuda_tiny_mlp_2_16_1_steps {mlp_steps_per_second([2, 16, 1], 32, False, torch.nn.Tanh, 200, GPU):.0f} steps/s")
    print(f"cuda_mlp_784_256_10_steps {mlp_steps_per_second([784, 256, 10], 64, True, torch.nn.ReLU, 100, GPU):.0f} steps/s")


main()
