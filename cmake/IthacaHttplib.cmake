# cpp-httplib for the tracker, its tests and its load-test ceiling: `ithaca::httplib`.
#
# Debian 12's libcpp-httplib-dev ships 0.11.4 compiled into a shared library, and that build makes
# every idle keep-alive connection wake every 10 ms and sleep 1 ms while it waits for the next
# request: measured at 38-53% of the request threads' CPU at half of peak load (docs/performance.md,
# Tracker). It also uses select(), which misreads sockets numbered 1024 and above. So we build the
# same release from Debian's own source tarball, header-only, with poll() and one patch
# (third_party/cpp-httplib/keep-alive-wait.patch): an idle connection waits in poll() and wakes
# only every 100 ms to see whether the server is stopping. Later upstream releases made this
# interval a setting (cpp-httplib issues #1959, #1969); 0.11.4 has none.
include_guard(GLOBAL)
include(FetchContent)
find_package(Threads REQUIRED)

set(ITHACA_HTTPLIB_TARBALL cpp-httplib_0.11.4+ds.orig.tar.xz)
FetchContent_Declare(ithaca_cpp_httplib
  URL "http://deb.debian.org/debian/pool/main/c/cpp-httplib/${ITHACA_HTTPLIB_TARBALL}"
      "http://snapshot.debian.org/archive/debian/20250520T000000Z/pool/main/c/cpp-httplib/${ITHACA_HTTPLIB_TARBALL}"
  URL_HASH SHA256=8b1a5df569003b6a4f24c68489bbda5c64aec94697bdc9ebba5d79408b2ae7eb
  PATCH_COMMAND patch -p1 --quiet -i ${CMAKE_CURRENT_LIST_DIR}/../third_party/cpp-httplib/keep-alive-wait.patch
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE)
FetchContent_GetProperties(ithaca_cpp_httplib)
if(NOT ithaca_cpp_httplib_POPULATED)
  # Populate only: the tarball's own CMakeLists.txt would look for OpenSSL, zlib and Brotli.
  FetchContent_Populate(ithaca_cpp_httplib)
endif()

add_library(ithaca_httplib INTERFACE)
add_library(ithaca::httplib ALIAS ithaca_httplib)
# SYSTEM: the library's own warnings are not ours to fix.
target_include_directories(ithaca_httplib SYSTEM INTERFACE ${ithaca_cpp_httplib_SOURCE_DIR})
target_compile_definitions(ithaca_httplib INTERFACE CPPHTTPLIB_USE_POLL)
target_link_libraries(ithaca_httplib INTERFACE Threads::Threads)
