// Serving a folder read-only at a URL prefix. A request can never reach outside the folder:
// dot segments, backslashes and NULs are refused before any file-system call, and the
// resolved path (symlinks followed) must still lie under the folder's canonical path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "ithaca/tracker/http_types.hpp"

namespace ithaca::tracker {

class StaticFiles {
 public:
  // Null when `folder` does not exist or is not a directory.
  static std::unique_ptr<StaticFiles> open(const std::string& folder);

  // `relative` is the request path below the mount point ("" or "/" for the index). Answers
  // 200, 304 (If-None-Match), 404 or 400; HEAD gets headers only.
  HttpResponse serve(const HttpRequest& request, std::string_view relative) const;

  const std::filesystem::path& root() const noexcept { return root_; }

 private:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;
};

std::string_view content_type_for(std::string_view extension) noexcept;

}  // namespace ithaca::tracker
