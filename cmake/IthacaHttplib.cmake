# cpp-httplib for the tracker, its tests and its load-test ceiling: `ithaca::httplib`.
#
# Debian 12's libcpp-httplib-dev ships 0.11.4 compiled into a shared library, and that build makes
# every idle keep-alive connection wake every 10 ms and sleep 1 ms while it waits for the next
# request: measured at 38-53% of the request threads' CPU at half of peak load (docs/performance.md,
# Tracker). It also uses select(), which misreads sockets numbered 1024 and above. So we build the
# same release from Debian's own source tarball, header-only, with poll() and five patches
# (third_party/cpp-httplib/), applied in this order:
# - keep-alive-wait.patch: an idle connection waits in poll() and wakes only every 100 ms to see
#   whether the server is stopping. Later upstream releases made this interval a setting
#   (cpp-httplib issues #1959, #1969); 0.11.4 has none.
# - per-request-costs.patch: no poll() before each recv() and send() (the sockets' own
#   SO_RCVTIMEO / SO_SNDTIMEO time them out the same way), a small response body sent with its
#   headers in one send() (one TCP segment per response instead of two), and header names
#   compared with an inline ASCII fold instead of ::tolower() per character (as upstream's later
#   releases do): a quarter less CPU in the request threads per small request (docs/performance.md,
#   Tracker, round 7).
# - late-reply.patch: Server::answer_later() lets a handler answer after it returns, from another
#   thread, while the connection's thread goes back to waiting for the next request (which it
#   reads only once that answer is out). The tracker's writer answers each collect request when
#   its group commit is durable, so a request thread sleeps once per request instead of twice
#   (docs/performance.md, Tracker, round 9). It also gives a connection one SocketStream for its
#   whole life instead of one per request, so the bytes of a pipelined request that a read took
#   with the one before are no longer dropped, and no 4 KB read buffer is allocated per request;
#   a request whose end is unknown (unparsable headers, a URI or body over the limit) therefore
#   closes its connection after the error instead of reading on from the middle of it.
#   A late reply can also be given as its parts (status, header pairs, type, body) and is then
#   formatted straight into one buffer, without an httplib::Response and its header map: the
#   writer's CPU per collect request, 2-3 µs less (docs/performance.md, Tracker, round 11).
# - request-time-limits.patch: deadlines for a whole request, which 0.11.4 lacks (its read
#   timeout is per read, so a client trickling a header line every few seconds kept a thread
#   for as long as it liked): the request line and headers within a set time of the request's
#   first byte, a body at a minimum average rate after a grace period (408 for a request that
#   misses either), and a cap on the number of header fields (431 beyond it, and for one field
#   over the length limit; before, a client could send header lines without end).
#   Later upstream releases cap the header count the same way (CPPHTTPLIB_HEADER_MAX_COUNT, 100).
# - request-body-framing.patch: a request without Content-Length or Transfer-Encoding has no
#   body (RFC 9112 6.3). 0.11.4 read one for every POST, PUT, PATCH and DELETE until the client
#   closed or the 5 s read timeout, so `curl -X POST` without data waited 5 s for a 400.
include_guard(GLOBAL)
include(FetchContent)
find_package(Threads REQUIRED)

set(ITHACA_HTTPLIB_TARBALL cpp-httplib_0.11.4+ds.orig.tar.xz)
FetchContent_Declare(ithaca_cpp_httplib
  URL "http://deb.debian.org/debian/pool/main/c/cpp-httplib/${ITHACA_HTTPLIB_TARBALL}"
      "http://snapshot.debian.org/archive/debian/20250520T000000Z/pool/main/c/cpp-httplib/${ITHACA_HTTPLIB_TARBALL}"
  URL_HASH SHA256=8b1a5df569003b6a4f24c68489bbda5c64aec94697bdc9ebba5d79408b2ae7eb
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE)
FetchContent_GetProperties(ithaca_cpp_httplib)
if(NOT ithaca_cpp_httplib_POPULATED)
  # Populate only: the tarball's own CMakeLists.txt would look for OpenSSL, zlib and Brotli.
  FetchContent_Populate(ithaca_cpp_httplib)
endif()

# The patched header is written next to the pristine source, and again only when a patch changes
# (a stamp holds their hashes), so a re-configure does not rebuild everything that includes it.
set(ITHACA_HTTPLIB_PATCH_DIR ${CMAKE_CURRENT_LIST_DIR}/../third_party/cpp-httplib)
set(ITHACA_HTTPLIB_PATCHES ${ITHACA_HTTPLIB_PATCH_DIR}/keep-alive-wait.patch
                           ${ITHACA_HTTPLIB_PATCH_DIR}/per-request-costs.patch
                           ${ITHACA_HTTPLIB_PATCH_DIR}/late-reply.patch
                           ${ITHACA_HTTPLIB_PATCH_DIR}/request-time-limits.patch
                           ${ITHACA_HTTPLIB_PATCH_DIR}/request-body-framing.patch)
set(ITHACA_HTTPLIB_DIR ${CMAKE_BINARY_DIR}/third_party/cpp-httplib)
set(ITHACA_HTTPLIB_PATCH_HASH "")
foreach(patch_file IN LISTS ITHACA_HTTPLIB_PATCHES)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${patch_file})
  file(SHA256 ${patch_file} patch_hash)
  string(APPEND ITHACA_HTTPLIB_PATCH_HASH "${patch_hash}\n")
endforeach()
set(ITHACA_HTTPLIB_STAMP ${ITHACA_HTTPLIB_DIR}/patched-with.sha256)
if(EXISTS ${ITHACA_HTTPLIB_STAMP})
  file(READ ${ITHACA_HTTPLIB_STAMP} ITHACA_HTTPLIB_STAMPED)
endif()
if(NOT EXISTS ${ITHACA_HTTPLIB_DIR}/httplib.h OR NOT ITHACA_HTTPLIB_STAMPED STREQUAL ITHACA_HTTPLIB_PATCH_HASH)
  file(REMOVE_RECURSE ${ITHACA_HTTPLIB_DIR})
  file(COPY ${ithaca_cpp_httplib_SOURCE_DIR}/httplib.h DESTINATION ${ITHACA_HTTPLIB_DIR})
  foreach(patch_file IN LISTS ITHACA_HTTPLIB_PATCHES)
    execute_process(COMMAND patch -p1 --quiet --no-backup-if-mismatch -i ${patch_file}
                    WORKING_DIRECTORY ${ITHACA_HTTPLIB_DIR} RESULT_VARIABLE patched)
    if(NOT patched EQUAL 0)
      message(FATAL_ERROR "cpp-httplib: ${patch_file} does not apply to "
                          "${ithaca_cpp_httplib_SOURCE_DIR}/httplib.h (is `patch` installed? make deps)")
    endif()
  endforeach()
  file(WRITE ${ITHACA_HTTPLIB_STAMP} ${ITHACA_HTTPLIB_PATCH_HASH})
endif()

add_library(ithaca_httplib INTERFACE)
add_library(ithaca::httplib ALIAS ithaca_httplib)
# SYSTEM: the library's own warnings are not ours to fix.
target_include_directories(ithaca_httplib SYSTEM INTERFACE ${ITHACA_HTTPLIB_DIR})
# MSG_NOSIGNAL: a send() to a reset connection fails instead of raising SIGPIPE, also in a
# process that has no httplib::Server (which ignores SIGPIPE) but a client.
target_compile_definitions(ithaca_httplib INTERFACE CPPHTTPLIB_USE_POLL CPPHTTPLIB_SEND_FLAGS=MSG_NOSIGNAL)
target_link_libraries(ithaca_httplib INTERFACE Threads::Threads)
