#!/usr/bin/python3
"""PyTorch CPU peer for bench/compare-pytorch.sh: the same models, batches, optimizer (plain SGD,
lr 0.01) and thread count as bench/fast_bench.cpp. Prints "name value unit" lines. Its timing and
MLP step also serve the CUDA peer (bench/torch_cuda_bench.py), with device="cuda"."""
import sys
import time

import torch


def median_seconds(runs, f, sync=lambda: None):
    """Median wall time of f; sync() before and after each run (CUDA: wait for queued kernels)."""
    times = []
    for _ in range(runs):
        sync()
        t0 = time.perf_counter()
        f()
        sync()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def mlp_steps_per_second(widths, batch, classifier, act, steps, device="cpu"):
    torch.manual_seed(2)
    layers = []
    for i in range(1, len(widths)):
        layers.append(torch.nn.Linear(widths[i - 1], widths[i]))
        if i + 1 < len(widths):
            layers.append(act())
    model = torch.nn.Sequential(*layers).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = (torch.rand(batch, widths[0]) * 2 - 1).to(device)
    if classifier:
        target = torch.randint(0, widths[-1], (batch,)).to(device)
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        target = (torch.rand(batch, widths[-1]) * 2 - 1).to(device)
        loss_fn = torch.nn.MSELoss()
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), target)
        loss.backward()
        opt.step()

    for _ in range(20):
        step()
    return steps / median_seconds(5, lambda: [step() for _ in range(steps)], sync)


def gemm_gflops(n, dtype, runs, device="cpu"):
    a = torch.rand(n, n, dtype=dtype, device=device)
    b = torch.rand(n, n, dtype=dtype, device=device)
    c = torch.empty(n, n, dtype=dtype, device=device)
    torch.mm(a, b, out=c)
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    return 2.0 * n ** 3 / median_seconds(runs, lambda: torch.mm(a, b, out=c), sync) / 1e9


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


if __name__ == "__main__":
    main()
