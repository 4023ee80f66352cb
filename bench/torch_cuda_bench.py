#!/usr/bin/env python3
"""PyTorch CUDA peer for bench/compare-pytorch-cuda.sh: SGEMM 1024^3 and 4096^3 (TF32 off, as the
cuda backend's contract), DGEMM 4096^3, and the same MLP training steps as bench/cuda_bench.cu, on
the same GPU. Prints "name value unit" lines; exit 3 when this PyTorch has no usable CUDA."""
import sys
import time

import torch


def sync_median_seconds(runs, f):
    times = []
    for _ in range(runs):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        f()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def gemm_gflops(n, dtype, runs):
    a = torch.rand(n, n, dtype=dtype, device="cuda")
    b = torch.rand(n, n, dtype=dtype, device="cuda")
    c = torch.empty(n, n, dtype=dtype, device="cuda")
    torch.mm(a, b, out=c)
    return 2.0 * n ** 3 / sync_median_seconds(runs, lambda: torch.mm(a, b, out=c)) / 1e9


def mlp_steps_per_second(widths, batch, classifier, act, steps):
    torch.manual_seed(2)
    layers = []
    for i in range(1, len(widths)):
        layers.append(torch.nn.Linear(widths[i - 1], widths[i]))
        if i + 1 < len(widths):
            layers.append(act())
    model = torch.nn.Sequential(*layers).cuda()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = (torch.rand(batch, widths[0]) * 2 - 1).cuda()
    if classifier:
        target = torch.randint(0, widths[-1], (batch,)).cuda()
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        target = (torch.rand(batch, widths[-1]) * 2 - 1).cuda()
        loss_fn = torch.nn.MSELoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), target)
        loss.backward()
        opt.step()

    for _ in range(20):
        step()
    return steps / sync_median_seconds(5, lambda: [step() for _ in range(steps)])


def main():
    if not torch.cuda.is_available():
        print(f"torch_cuda_bench: PyTorch {torch.__version__} has no usable CUDA", file=sys.stderr)
        sys.exit(3)
    torch.backends.cuda.matmul.allow_tf32 = False
    print(f"torch_version {torch.__version__} cuda {torch.version.cuda} gpu {torch.cuda.get_device_name(0)}")
    print(f"cuda_sgemm_1024 {gemm_gflops(1024, torch.float32, 5):.1f} GFLOP/s")
    print(f"cuda_sgemm_4096 {gemm_gflops(4096, torch.float32, 3):.1f} GFLOP/s")
    print(f"cuda_dgemm_4096 {gemm_gflops(4096, torch.float64, 3):.1f} GFLOP/s")
    print(f"cuda_tiny_mlp_2_16_1_steps {mlp_steps_per_second([2, 16, 1], 32, False, torch.nn.Tanh, 200):.0f} steps/s")
    print(f"cuda_mlp_784_256_10_steps {mlp_steps_per_second([784, 256, 10], 64, True, torch.nn.ReLU, 100):.0f} steps/s")


main()
