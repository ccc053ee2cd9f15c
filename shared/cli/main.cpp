// `ithaca`: the rules core on the command line (see docs/cli.md). Every verb prints JSON; the
// exit status is 0 on success, 1 when the input was invalid, 2 on a usage error.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "ithaca/api.hpp"
#include "ithaca/compiled_ruleset.hpp"
#include "ithaca/context.hpp"
#include "ithaca/ruleset.hpp"

namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  ithaca eval EXPR [--context FILE]   print the value of a CEL expression as JSON\n"
    "  ithaca eval --batch                 JSON lines {\"expr\", \"context\"} on stdin -> one JSON line each\n"
    "  ithaca check RULES.json             validate a rule set; every error with its JSON path\n"
    "  ithaca compile RULES.json -o FILE   validate, then write the compiled rule set a page loads\n"
    "  ithaca decide RULES --context FILE  decisions with explanations (RULES: JSON or compiled)\n"
    "  ithaca decide RULES --batch         JSON lines of contexts on stdin -> one decision line each\n"
    "  ithaca context                      JSON lines of raw signals on stdin -> one context per line\n";

int usage(const char* problem) {
  std::fprintf(stderr, "ithaca: %s\n%s", problem, kUsage);
  return 2;
}

// The whole file, or false with a message on stderr naming `what` ("rule set 'x'") and why. Not
// through an ifstream: on a directory, it opens and then reads as empty text.
bool read_file(const std::string& path, std::string& out, const char* what) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  int problem = f ? 0 : errno;
  if (f) {
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    if (std::ferror(f)) problem = errno ? errno : EIO;
    std::fclose(f);
  }
  if (problem == 0) return true;
  std::fprintf(stderr, "ithaca: cannot read %s '%s': %s\n", what, path.c_str(), std::strerror(problem));
  return false;
}

bool is_error(const std::string& json) { return json.rfind("{\"error\":", 0) == 0; }

// Finds "--name VALUE" in args; returns false on a missing value.
bool option(std::vector<std::string>& args, const char* name, std::string& value, bool& found) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == name) {
      if (i + 1 >= args.size()) return false;
      value = args[i + 1];
      found = true;
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      return true;
    }
  }
  return true;
}

// Reads stdin line by line and writes exactly one output line per input line, in order.
template <typename F>
int each_line(F&& f) {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string out = f(line);
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  std::fflush(stdout);
  return 0;
}

int eval_command(std::vector<std::string> args) {
  std::string context_path, context;
  bool has_context = false;
  if (!option(args, "--context", context_path, has_context)) return usage("--context needs a file");
  if (args.size() == 1 && args[0] == "--batch") {
    if (has_context) return usage("--batch reads each context from its input line");
    return each_line([](const std::string& line) { return ithaca::evaluate_batch_line(line); });
  }
  if (args.size() != 1) return usage("eval takes one expression");
  if (has_context && !read_file(context_path, context, "context file")) return 1;
  std::string out = ithaca::evaluate_json(args[0], context);
  std::puts(out.c_str());
  return is_error(out) ? 1 : 0;
}

int check_command(std::vector<std::string> args) {
  if (args.size() != 1) return usage("check takes one rule-set file");
  std::string rules;
  if (!read_file(args[0], rules, "rule set")) return 1;
  std::string out = ithaca::check_rules_json(rules);
  std::puts(out.c_str());
  return out.rfind("{\"ok\":true", 0) == 0 ? 0 : 1;
}

// `compile RULES.json -o FILE`: the rule set as `check` validates it, written in the compiled form
// (docs/compiled-rules.md). Prints what `check` prints; writes FILE only when the rules load.
int compile_command(std::vector<std::string> args) {
  std::string out_path;
  bool has_out = false;
  if (!option(args, "-o", out_path, has_out) || !has_out) return usage("compile needs -o FILE");
  if (args.size() != 1) return usage("compile takes one rule-set file and -o FILE");
  std::string rules;
  if (!read_file(args[0], rules, "rule set")) return 1;
  const ithaca::LoadResult loaded = ithaca::load_ruleset(rules);
  std::string report = ithaca::check_rules_json(rules);
  if (!loaded.ok()) {
    std::puts(report.c_str());
    return 1;
  }
  const std::string bytes = ithaca::compile_ruleset(*loaded.rules);
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "ithaca: cannot write '%s'\n", out_path.c_str());
    return 1;
  }
  report.pop_back();  // the closing brace: the size follows
  report += ",\"bytes\":" + std::to_string(bytes.size()) + "}";
  std::puts(report.c_str());
  return 0;
}

// `decide RULES.json --batch`: the rule set is loaded once; each stdin line gets exactly what
// `decide RULES.json --context` prints for it (so the wasm engine's loaded-rules path can be
// compared against many contexts in one process). Exit 1 when the rule set does not load.
int decide_batch(const std::string& rules) {
  const ithaca::LoadResult loaded = ithaca::load_ruleset_or_compiled(rules);
  if (!loaded.ok()) {
    each_line([&](const std::string& line) { return ithaca::decide_json(rules, line); });
    return 1;
  }
  return each_line([&](const std::string& line) { return ithaca::decide_json(*loaded.rules, line); });
}

int decide_command(std::vector<std::string> args) {
  std::string context_path, context, rules;
  bool has_context = false;
  if (!option(args, "--context", context_path, has_context)) return usage("--context needs a file");
  bool batch = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--batch") {
      batch = true;
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  if (batch && has_context) return usage("--batch reads each context from its input line");
  if (args.size() != 1) return usage("decide takes one rule-set file and --context FILE or --batch");
  if (!read_file(args[0], rules, "rule set")) return 1;
  if (batch) return decide_batch(rules);
  if (has_context && !read_file(context_path, context, "context file")) return 1;
  std::string out = ithaca::decide_json(rules, has_context ? context : std::string("{}"));
  std::puts(out.c_str());
  return is_error(out) ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage("missing verb");
  const std::string verb = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (verb == "eval") return eval_command(std::move(args));
  if (verb == "check") return check_command(std::move(args));
  if (verb == "compile") return compile_command(std::move(args));
  if (verb == "decide") return decide_command(std::move(args));
  if (verb == "context") {
    if (!args.empty()) return usage("context reads JSON lines of raw signals on stdin");
    return each_line([](const std::string& line) { return ithaca::derive_context_json(line); });
  }
  if (verb == "--help" || verb == "-h" || verb == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  return usage(("unknown verb '" + verb + "'").c_str());
}
