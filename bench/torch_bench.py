#!/usr/bin/python3
"""PyTorch CPU peer for bench/compare-pytorch.sh: the same models, batches, optimizer (plain SGD,
lr 0.01) and thread count as bench/fast_bench.cpp. Prints "name value unit" lines."""
import sys
import time

import torch


def median_seconds(runs, f):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def mlp_steps_per_second(widths, batch, classifier, act, steps):
    torch.manual_seed(2)
    layers = []
    for i in range(1, len(widths)):
        layers.append(torch.nn.Linear(widths[i - 1], widths[i]))
        if i + 1 < len(widths):
            layers.append(act())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.rand(batch, widths[0]) * 2 - 1
    if classifier:
        target = torch.randint(0, widths[-1], (batch,))
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        target = torch.rand(batch, widths[-1]) * 2 - 1
        loss_fn = torch.nn.MSELoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), target)
        loss.backward()
        opt.step()

    for _ in range(20):
        step()
    return steps / median_seconds(5, lambda: [step() for _ in range(steps)])


def gemm_gflops(n, dtype, runs):
    a = torch.rand(n, n, dtype=dtype)
    b = torch.rand(n, n, dtype=dtype)
    c = torch.empty(n, n, dtype=dtype)
    torch.mm(a, b, out=c)
    return 2.0 * n ** 3 / median_seconds(runs, lambda: torch.mm(a, b, out=c)) / 1e9


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    print(f"torch_version {torch.__version__}")
    print(f"threads {threads}")
    print(f"sgemm_512 {gemm_gflops(512, torch.float32, 5):.1f} GFLOP/s")
    print(f"sgemm_1024 {gemm_gflops(1024, torch.float32, 3):.1f} GFLOP/s")
    print(f"dgemm_512 {gemm_gflops(512, torch.float64, 5):.1f} GFLOP/s")
    print(f"dgemm_1024 {gemm_gflops(1024, torch.float64, 3):.1f} GFLOP/s")
    print(f"tiny_mlp_2_16_1_steps {mlp_steps_per_second([2, 16, 1], 32, False, torch.nn.Tanh, 2000):.0f} steps/s")
    print(f"mlp_784_256_10_steps {mlp_steps_per_second([784, 256, 10], 64, True, torch.nn.ReLU, 50):.0f} steps/s")


main()
