#include "clickhouse/clickhouse_spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace ithaca::tracker {
namespace fs = std::filesystem;

namespace {

constexpr const char* kSuffix = ".spool";

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::error(std::string("spool write failed: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::ok();
}

Status sync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Status::error("cannot open the spool folder " + dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::ok() : Status::error("cannot sync the spool folder");
}

// Writes `content` to `path` durably: temp file, fsync, rename, fsync of the folder.
Status write_durably(const std::string& dir, const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::error("cannot create " + tmp + ": " + std::strerror(errno));
  Status s = write_all(fd, content);
  if (s && ::fsync(fd) != 0) s = Status::error(std::string("spool fsync failed: ") + std::strerror(errno));
  ::close(fd);
  if (s && std::rename(tmp.c_str(), path.c_str()) != 0) s = Status::error("spool rename failed");
  if (!s) {
    ::unlink(tmp.c_str());
    return s;
  }
  return sync_dir(dir);
}

std::string content_of(const std::string& table, const std::string& batch, const std::vector<std::string>& rows,
                       const std::string& format) {
  std::string content =
      nlohmann::json{{"table", table}, {"batch", batch}, {"rows", rows.size()}, {"format", format}}.dump();
  content += '\n';
  for (const auto& r : rows) {
    content += r;
    content += '\n';
  }
  return content;
}

}  // namespace

ClickHouseSpool::ClickHouseSpool(std::string dir, std::uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}

Status ClickHouseSpool::open() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (!fs::is_directory(dir_, ec)) return Status::error("cannot create the spool folder " + dir_);
  std::lock_guard<std::mutex> lock(mutex_);
  bytes_ = 0;
  batches_ = 0;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 4 && name.substr(name.size() - 4) == ".tmp") {
      fs::remove(entry.path(), ec);  // never acknowledged: the rename did not happen
      continue;
    }
    if (entry.path().extension() != kSuffix) continue;
    bytes_ += entry.file_size(ec);
    ++batches_;
    next_ = std::max<std::uint64_t>(next_, std::strtoull(name.c_str(), nullptr, 10) + 1);
  }
  return Status::ok();
}

Status ClickHouseSpool::append(const std::string& table, const std::string& batch, const std::vector<std::string>& rows,
                               const std::string& format) {
  const std::string content = content_of(table, batch, rows, format);
  std::string path;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (bytes_ + content.size() > max_bytes_) {
      return Status::error("the ClickHouse spool is full (" + std::to_string(max_bytes_) + " bytes)");
    }
    char name[32];
    std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(next_++));
    path = (fs::path(dir_) / (std::string(name) + kSuffix)).string();
    bytes_ += content.size();  // reserved before the write, so concurrent appends respect the bound
    ++batches_;
  }
  Status s = write_durably(dir_, path, content);
  if (!s) {
    std::lock_guard<std::mutex> lock(mutex_);
    bytes_ -= content.size();
    --batches_;
  }
  return s;
}

std::vector<std::string> ClickHouseSpool::files() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.path().extension() == kSuffix) out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status ClickHouseSpool::read(const std::string& file, SpoolBatch& out) const {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::error("cannot read " + file);
  std::string header;
  if (!std::getline(in, header)) return Status::error("empty spool file " + file);
  nlohmann::json h = nlohmann::json::parse(header, nullptr, false);
  if (!h.is_object() || !h.contains("table") || !h.contains("batch")) return Status::error("bad spool file " + file);
  out = SpoolBatch{};
  out.file = file;
  out.table = h["table"].get<std::string>();
  out.batch = h["batch"].get<std::string>();
  if (h.contains("format")) out.format = h.value("format", "");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.rows.push_back(std::move(line));
  }
  if (out.table != "events" && out.table != "bot_events") return Status::error("bad spool table in " + file);
  if (out.format != "JSONEachRow" && out.format != "TabSeparated") return Status::error("bad spool format in " + file);
  return Status::ok();
}

Status ClickHouseSpool::remove(const std::string& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (!fs::remove(file, ec) || ec) return Status::error("cannot remove " + file);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    bytes_ -= std::min<std::uint64_t>(bytes_, size);
    if (batches_) --batches_;
  }
  return sync_dir(dir_);
}

Status ClickHouseSpool::rewrite(const SpoolBatch& batch) {
  if (batch.rows.empty()) return remove(batch.file);
  std::error_code ec;
  const auto old_size = fs::file_size(batch.file, ec);
  const std::string content = content_of(batch.table, batch.batch, batch.rows, batch.format);
  if (Status s = write_durably(dir_, batch.file, content); !s) return s;
  std::lock_guard<std::mutex> lock(mutex_);
  bytes_ = bytes_ - std::min<std::uint64_t>(bytes_, old_size) + content.size();
  return Status::ok();
}

std::uint64_t ClickHouseSpool::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

std::size_t ClickHouseSpool::batches() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return batches_;
}

}  // namespace ithaca::tracker
