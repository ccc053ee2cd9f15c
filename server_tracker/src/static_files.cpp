#include "static_files.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "ascii.hpp"

namespace ithaca::tracker {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 64u << 20;

bool safe_relative(std::string_view relative) {
  std::size_t start = 0;
  while (start <= relative.size()) {
    std::size_t end = relative.find('/', start);
    if (end == std::string_view::npos) end = relative.size();
    std::string_view segment = relative.substr(start, end - start);
    // Hidden files and folders too (.git, .env): a folder served whole may hold them.
    if (!segment.empty() && segment[0] == '.') return false;
    for (char c : segment) {
      if (c == '\\' || c == '\0' || c == ':' || static_cast<unsigned char>(c) < 0x20) return false;
    }
    start = end + 1;
  }
  return true;
}

bool under(const fs::path& root, const fs::path& candidate) {
  auto r = root.begin();
  auto c = candidate.begin();
  for (; r != root.end(); ++r, ++c) {
    if (c == candidate.end() || *r != *c) return false;
  }
  return true;
}

}  // namespace

std::string_view content_type_for(std::string_view extension) noexcept {
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".json", "application/json"},
      {".map", "application/json"},          {".wasm", "application/wasm"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".jpg", "image/jpeg"},                {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},                 {".webp", "image/webp"},
      {".ico", "image/x-icon"},              {".txt", "text/plain; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"}, {".ts", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},              {".woff", "font/woff"},
  };
  for (const auto& entry : kTypes) {
    if (iequals(entry.ext, extension)) return entry.type;
  }
  return "application/octet-stream";
}

std::unique_ptr<StaticFiles> StaticFiles::open(const std::string& folder) {
  std::error_code ec;
  if (folder.empty() || !fs::is_directory(folder, ec)) return nullptr;
  fs::path root = fs::canonical(folder, ec);
  if (ec) return nullptr;
  return std::unique_ptr<StaticFiles>(new StaticFiles(std::move(root)));
}

HttpResponse StaticFiles::serve(const HttpRequest& request, std::string_view relative) const {
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  if (!safe_relative(relative)) return json_error(400, "bad_path", "the path is not allowed");

  std::error_code ec;
  fs::path target = root_ / fs::path(std::string(relative));
  if (relative.empty() || relative.back() == '/' || fs::is_directory(target, ec)) {
    target /= "index.html";
  }
  fs::path resolved = fs::canonical(target, ec);
  if (ec || !under(root_, resolved) || !fs::is_regular_file(resolved, ec)) {
    return json_error(404, "not_found", "no such file");
  }
  struct stat info {};
  if (::stat(resolved.c_str(), &info) != 0 || static_cast<std::uintmax_t>(info.st_size) > kMaxFileBytes) {
    return json_error(404, "not_found", "no such file");
  }
  std::ostringstream tag;
  tag << "\"" << std::hex << static_cast<unsigned long long>(info.st_size) << "-"
      << static_cast<unsigned long long>(info.st_mtim.tv_sec) << "-"
      << static_cast<unsigned long long>(info.st_mtim.tv_nsec) << "\"";
  const std::string etag = tag.str();

  HttpResponse response;
  response.set_header("ETag", etag);
  response.set_header("Cache-Control", "no-cache");
  if (request.header("if-none-match") == etag) {
    response.status = 304;
    return response;
  }
  std::ifstream in(resolved, std::ios::binary);
  if (!in) return json_error(404, "not_found", "no such file");
  std::ostringstream content;
  content << in.rdbuf();
  response.status = 200;
  response.content_type = std::string(content_type_for(resolved.extension().string()));
  response.body = content.str();
  return response;
}

}  // namespace ithaca::tracker
