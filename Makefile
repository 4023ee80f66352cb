# Front door. `make run` and `make test` install the Debian packages they need, configure, build
# and run; the README's first lines are exactly these two commands.
BUILD ?= build
JOBS ?= 2
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: deps configure build run test sanitize clean bench-reference

deps:
	scripts/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD)/CMakeCache.txt ]; then cmake -S . -B $(BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Release; fi

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# Main job (until tl-check exists): validate and print the example graphs, then the reference tour.
run: build
	$(BUILD)/examples/torchlean graph show examples/graphs/*.json
	$(BUILD)/examples/torchlean reference_tour

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# spec/, reference/ and fast/ tests under AddressSanitizer + UndefinedBehaviorSanitizer (clang), incl. the malformed corpus.
sanitize: deps
	@if [ ! -f build-asan/CMakeCache.txt ]; then cmake -S . -B build-asan $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_COMPILER=clang++ -DTL_SANITIZE=ON; fi
	cmake --build build-asan -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j$(JOBS) -L "spec|reference|fast"

clean:
	rm -rf $(BUILD) build-asan

# Reference benchmarks (results go to reports/perf.md by hand, with the machine named).
bench-reference: build
	$(BUILD)/bench/reference_bench
