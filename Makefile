# Front door. `make run` and `make test` install the Debian packages they need, configure, build
# and run; the README's first lines are exactly these two commands.
BUILD ?= build
JOBS ?= 2
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: deps configure build run baseline test sanitize fuzz clean bench-reference cuda-check

deps:
	scripts/install-deps.sh
	scripts/fetch-datasets.sh data

configure: deps
	@if [ ! -f $(BUILD)/CMakeCache.txt ]; then cmake -S . -B $(BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Release; fi

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# Main job: tl-check on every available backend and both dtypes (unavailable ones, e.g. cuda without a
# GPU, are reported as skipped), random graphs included; report in reports/latest/, summary line last.
run: build
	$(BUILD)/oracle/tl-check --backend all --dtype all --graphs 8 --out reports/latest

# The committed baseline agreement reports: the CPU backends (reports/baseline/) and the CUDA kernels
# through the emulated engine (reports/cuda/emulated/: host loops, not a GPU).
baseline: build
	$(BUILD)/oracle/tl-check --backend eager,compiled --dtype all --tier unit --cases 600 --graphs 16 --quiet --out reports/baseline
	$(BUILD)/oracle/tl-check --backend cuda-emulated --dtype all --tier unit --cases 600 --graphs 16 --quiet --out reports/cuda/emulated

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# spec/, reference/, fast/, oracle/, runtime/ and cuda/ (emulated engine) tests under AddressSanitizer + UndefinedBehaviorSanitizer (clang), incl. the malformed corpus.
sanitize: deps
	@if [ ! -f build-asan/CMakeCache.txt ]; then cmake -S . -B build-asan $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_COMPILER=clang++ -DTL_SANITIZE=ON; fi
	cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j$(JOBS) -L "spec|reference|fast|oracle|runtime|cuda"

# libFuzzer (clang, ASan + UBSan) on the tl.ir.v1 reader and on graph evaluation, FUZZ_SECONDS each,
# starting from the seed corpus; new inputs go to build-fuzz/corpus-*, crashes to build-fuzz/ (commit
# a crash reproducer into fuzz/corpus/ir so CI replays it).
FUZZ_SECONDS ?= 60
fuzz: deps
	@if [ ! -f build-fuzz/CMakeCache.txt ]; then cmake -S . -B build-fuzz $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++ -DTL_FUZZ=ON -DTL_STRENGTH_CHECK=OFF -DTL_ENABLE_CUDA=OFF; fi
	cmake --build build-fuzz -j$(JOBS) --target fuzz_ir_parser fuzz_graph_eval
	for t in ir_parser graph_eval; do mkdir -p build-fuzz/corpus-$$t && \
	  build-fuzz/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=build-fuzz/ \
	  build-fuzz/corpus-$$t fuzz/corpus/ir examples/graphs tests/data/malformed || exit 1; done

# On a machine with a usable GPU (exit 3 from each step without one): the CUDA tests, the cuda
# backend's agreement report (reports/cuda/float32/, to commit with GPU, driver and toolkit named),
# compute-sanitizer over the device tests, and the GPU benchmarks beside PyTorch CUDA.
cuda-check: build
	ctest --test-dir $(BUILD) --output-on-failure -L cuda
	$(BUILD)/oracle/tl-check --backend cuda --dtype float32 --graphs 8 --quiet --out reports/cuda/float32
	scripts/cuda-sanitize.sh $(BUILD)
	bench/compare-pytorch-cuda.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-asan build-fuzz

# Reference benchmarks (results go to reports/perf.md by hand, with the machine named).
bench-reference: build
	$(BUILD)/bench/reference_bench
