// The `ithaca` command (shared/cli/main.cpp), run as a program: what docs/cli.md promises about
// exit statuses and messages.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct CliRun {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CliRun run_cli(const std::string& args) {
  const std::string base = ::testing::TempDir() + "cli_test_" + std::to_string(::getpid());
  const int raw = std::system((std::string(ITHACA_CLI) + " " + args + " >" + base + ".out 2>" + base + ".err").c_str());
  CliRun r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

// A directory used to read as empty text: `check DIR` blamed the JSON, `eval --context DIR` ran
// with no context at all.
TEST(Cli, FilesThatCannotBeReadAreReportedWithWhy) {
  const std::string dir = ::testing::TempDir();
  const std::string missing = dir + "no_such_file.json";
  struct Case {
    std::string args, message;
  };
  for (const Case& c : {
           Case{"check " + dir, "ithaca: cannot read rule set '" + dir + "': Is a directory\n"},
           Case{"check " + missing, "ithaca: cannot read rule set '" + missing + "': No such file or directory\n"},
           Case{"compile " + dir + " -o " + missing, "ithaca: cannot read rule set '" + dir + "': Is a directory\n"},
           Case{"eval true --context " + dir, "ithaca: cannot read context file '" + dir + "': Is a directory\n"},
           Case{"decide " + dir + " --batch </dev/null", "ithaca: cannot read rule set '" + dir + "': Is a directory\n"},
       }) {
    const CliRun r = run_cli(c.args);
    EXPECT_EQ(r.status, 1) << c.args;
    EXPECT_EQ(r.out, "") << c.args;
    EXPECT_EQ(r.err, c.message) << c.args;
  }
}

TEST(Cli, ReadableFilesStillWork) {
  const std::string ctx = ::testing::TempDir() + "cli_test_ctx.json";
  std::ofstream(ctx) << R"({"n": 2})";
  const CliRun r = run_cli("eval 'n + 1' --context " + ctx);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "{\"value\":3}\n");
  std::remove(ctx.c_str());
}

}  // namespace
