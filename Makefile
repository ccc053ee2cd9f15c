# Ithaca's front door. `make demo` and `make test` do all the set-up on a fresh Debian 12 machine.
.PHONY: all deps build native wasm fuzz-build test test-native test-fuzz test-node demo bench clean

JOBS        ?= $(shell nproc)
NATIVE_DIR  := build/native
WASM_DIR    := build/wasm
FUZZ_DIR    := build/fuzz
FUZZ_SECONDS ?= 20
# Debian's Emscripten needs Debian's acorn at link time (see ../shared/toolchain.md).
export NODE_PATH := /usr/share/nodejs

all: build

deps:
	@bash scripts/deps.sh

build: native wasm

native:
	cmake -S . -B $(NATIVE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(NATIVE_DIR) -j $(JOBS)

wasm:
	@if [ -f wasm_sdk/CMakeLists.txt ]; then \
	  emcmake cmake -S . -B $(WASM_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release && \
	  cmake --build $(WASM_DIR) -j $(JOBS) && \
	  node wasm_sdk/scripts/package.mjs $(WASM_DIR); \
	fi

fuzz-build:
	CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DITHACA_FUZZ=ON
	cmake --build $(FUZZ_DIR) -j $(JOBS)

test: deps build
	$(MAKE) --no-print-directory test-native test-fuzz test-node

test-native:
	ctest --test-dir $(NATIVE_DIR) --output-on-failure -j $(JOBS)

test-fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh $(FUZZ_DIR)/bin

test-node:
	node --test --test-concurrency=1 tests/js/

demo: deps build
	@bash scripts/demo.sh

bench: deps build
	@bash scripts/bench.sh

clean:
	rm -rf build wasm_sdk/dist
