# Every external dependency, all from Debian packages (scripts/install-deps.sh installs them).
# See ../shared/notes/deps-perf.md for the facts behind each line.
find_package(Boost 1.74 REQUIRED CONFIG)          # Boost::headers (multiprecision)
find_package(GTest 1.12 REQUIRED CONFIG)          # GTest::gtest_main, GTest::gmock
find_package(rapidcheck REQUIRED CONFIG)          # no version file; targets rapidcheck, rapidcheck_gtest
find_package(nlohmann_json 3.11 REQUIRED CONFIG)
find_package(fmt 9 REQUIRED CONFIG)
find_package(CLI11 2.1 REQUIRED CONFIG)

find_package(PkgConfig REQUIRED)
pkg_check_modules(MPFR REQUIRED IMPORTED_TARGET mpfr>=4.1)   # PkgConfig::MPFR
pkg_check_modules(GMP REQUIRED IMPORTED_TARGET gmp)          # PkgConfig::GMP

# MPFI ships neither a .pc file nor a CMake config.
find_path(MPFI_INCLUDE_DIR mpfi.h REQUIRED)
find_library(MPFI_LIBRARY mpfi REQUIRED)
add_library(MPFI::MPFI UNKNOWN IMPORTED)
set_target_properties(MPFI::MPFI PROPERTIES
  IMPORTED_LOCATION "${MPFI_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${MPFI_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "PkgConfig::MPFR;PkgConfig::GMP")

# CUDA: built when nvcc is found, cleanly skipped otherwise.
set(TL_HAVE_CUDA OFF)
if(TL_ENABLE_CUDA AND NOT TL_SANITIZE)
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 90)   # H100/H200; never "native" (fails without a GPU)
    endif()
    enable_language(CUDA)
    # CMake 3.25 knows no CUDA20 flag for nvcc; CUDA_STANDARD falls back to CXX_STANDARD (20).
    if(NOT DEFINED CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
      set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
      set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
    endif()
    set(CMAKE_CUDA_STANDARD 20)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    find_package(CUDAToolkit REQUIRED)
    set(TL_HAVE_CUDA ON)
  endif()
endif()
message(STATUS "TorchLean: CUDA backend ${TL_HAVE_CUDA}")

# CUDA's libdevice compiled for the host (cuda/libdevice/): an x86-64 host, the toolkit's bitcode and
# LLVM 14's opt, llc, llvm-as, llvm-dis, llvm-nm (Debian package llvm-14). Independent of nvcc being
# usable. retarget.sh runs here, at configure time: if it fails (another CUDA version's bitcode, a
# missing tool), the build stays on glibc's functions and says why.
set(TL_HAVE_LIBDEVICE_HOST OFF)
set(TL_LIBDEVICE_FUNCTIONS __nv_exp,__nv_log,__nv_log1p,__nv_sin,__nv_cos,__nv_tanh,__nv_cosh)
set(TL_LIBDEVICE_OBJECT ${PROJECT_BINARY_DIR}/cuda/libdevice/libdevice_host.o)
find_file(TL_LIBDEVICE_BC libdevice.10.bc PATHS ${CUDAToolkit_LIBRARY_ROOT}/nvvm/libdevice /usr/local/cuda/nvvm/libdevice
          NO_DEFAULT_PATH)
find_program(TL_LLVM_OPT opt PATHS /usr/lib/llvm-14/bin NO_DEFAULT_PATH)
set(TL_LIBDEVICE_WHY "not an x86-64 host")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
  set(TL_LIBDEVICE_WHY "libdevice.10.bc or LLVM 14 (/usr/lib/llvm-14/bin) not found")
  if(TL_LIBDEVICE_BC AND TL_LLVM_OPT)
    get_filename_component(TL_LLVM_BIN ${TL_LLVM_OPT} DIRECTORY)
    set(retarget ${PROJECT_SOURCE_DIR}/cuda/libdevice/retarget.sh)
    set(intrinsics ${PROJECT_SOURCE_DIR}/cuda/libdevice/host_intrinsics.cpp)
    file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/cuda/libdevice)
    execute_process(COMMAND ${retarget} ${TL_LIBDEVICE_BC} ${TL_LLVM_BIN} ${intrinsics} ${TL_LIBDEVICE_OBJECT}
                            ${TL_LIBDEVICE_FUNCTIONS}
                    RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
    if(rc EQUAL 0)
      set(TL_HAVE_LIBDEVICE_HOST ON)
      set(TL_LIBDEVICE_WHY "${TL_LIBDEVICE_BC}")
    else()
      string(STRIP "${err}" err)
      set(TL_LIBDEVICE_WHY "retarget.sh failed: ${err}")
    endif()
    # Configure again when the script, the intrinsics or the bitcode change.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${retarget} ${intrinsics} ${TL_LIBDEVICE_BC})
  endif()
endif()
message(STATUS "TorchLean: CUDA libdevice on the host ${TL_HAVE_LIBDEVICE_HOST} (${TL_LIBDEVICE_WHY})")
