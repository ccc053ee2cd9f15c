# Per-target settings (warnings, sanitizers, determinism), applied explicitly rather than through
# global CMAKE_CXX_FLAGS.

# Warnings for the project's own code.
function(ithaca_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
      -Wno-missing-field-initializers)
  endif()
  # GCC 12 (Debian 12's) reports -Wrestrict inside libstdc++ for `"x" + std::string` once
  # inlined: a false positive (GCC bugs 105329, 105651) that gave 21 warnings a build, all of
  # that shape. Later GCCs keep the warning.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
     AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()

# The core must give bit-identical results native and in wasm: no fused multiply-add
# contraction (box2d pins its cross-platform determinism the same way).
function(ithaca_deterministic_fp target)
  target_compile_options(${target} PRIVATE -ffp-contract=off)
endfunction()

function(ithaca_sanitize target)
  if(ITHACA_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# A libFuzzer target: only in a clang build with ITHACA_FUZZ=ON.
function(ithaca_fuzzer name source)
  add_executable(${name} ${source})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined -g -O1)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(${name} PRIVATE ${ARGN})
endfunction()
