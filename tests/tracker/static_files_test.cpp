#include "static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

namespace ithaca::tracker {
namespace {

using testing::fixture;
using testing::request;

TEST(StaticFiles, ServesFilesIndexesAndRevalidation) {
  auto files = StaticFiles::open(fixture("static"));
  ASSERT_TRUE(files);
  auto index = files->serve(request("GET", "/"), "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("index"), std::string::npos);
  auto css = files->serve(request("GET", "/site.css"), "/site.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  auto nested = files->serve(request("GET", "/sub/"), "/sub/");
  EXPECT_NE(nested.body.find("nested"), std::string::npos);
  auto nested_no_slash = files->serve(request("GET", "/sub"), "/sub");
  EXPECT_EQ(nested_no_slash.status, 200);

  const std::string etag(css.header("ETag"));
  ASSERT_FALSE(etag.empty());
  auto again = files->serve(request("GET", "/site.css", "", {{"if-none-match", etag}}), "/site.css");
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST(StaticFiles, NothingOutsideTheFolderIsReachable) {
  auto files = StaticFiles::open(fixture("static"));
  ASSERT_TRUE(files);
  for (const char* path : {"/../secret.txt", "/sub/../../secret.txt", "/..", "/./index.html", "/..\\secret.txt",
                           "/sub/..", "/%2e%2e/secret.txt", "/missing.html",
                           "/C:/windows", "//etc/passwd", "/sub/../index.html"}) {
    auto response = files->serve(request("GET", path), path);
    EXPECT_TRUE(response.status == 400 || response.status == 404) << path << " → " << response.status;
    EXPECT_EQ(response.body.find("secret outside"), std::string::npos) << path;
  }
  const std::string with_nul("/index.html\0.txt", 16);
  EXPECT_EQ(files->serve(request("GET", with_nul), with_nul).status, 400);
}

TEST(StaticFiles, HiddenFilesAreNotServed) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "root" / ".git");
  testing::write_text(dir.str("root/.env"), "SECRET=1");
  testing::write_text(dir.str("root/.git/config"), "[core]");
  testing::write_text(dir.str("root/shown.txt"), "ok");
  auto files = StaticFiles::open(dir.str("root"));
  ASSERT_TRUE(files);
  EXPECT_EQ(files->serve(request("GET", "/shown.txt"), "/shown.txt").status, 200);
  for (const char* path : {"/.env", "/.git/config", "/.git/"}) {
    auto response = files->serve(request("GET", path), path);
    EXPECT_TRUE(response.status == 400 || response.status == 404) << path << " → " << response.status;
  }
}

TEST(StaticFiles, SymlinksOutOfTheFolderAreRefused) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "root");
  std::filesystem::create_symlink(fixture("secret.txt"), dir.path() / "root" / "link.txt");
  auto files = StaticFiles::open(dir.str("root"));
  ASSERT_TRUE(files);
  EXPECT_EQ(files->serve(request("GET", "/link.txt"), "/link.txt").status, 404);
}

TEST(StaticFiles, AMissingFolderServesNothing) {
  EXPECT_FALSE(StaticFiles::open("/no/such/folder"));
  EXPECT_FALSE(StaticFiles::open(""));
}

}  // namespace
}  // namespace ithaca::tracker
