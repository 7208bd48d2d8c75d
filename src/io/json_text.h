// JSON string literals for the app's and the module's C APIs, which carry no JSON library.
#pragma once

#include <string>

namespace fcnet {

// `text` as a JSON string: quotes, backslashes and control characters escaped, UTF-8 passed
// through unchanged.
std::string json_string(const std::string& text);

}  // namespace fcnet
