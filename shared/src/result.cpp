#include "ithaca/result.hpp"

namespace ithaca {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Parse: return "parse";
    case ErrorKind::Eval: return "eval";
    case ErrorKind::Load: return "load";
    case ErrorKind::Json: return "json";
    case ErrorKind::Limit: return "limit";
  }
  return "unknown";
}

}  // namespace ithaca
