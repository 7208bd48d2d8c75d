// The one exception type fcnet throws for bad input: its message names the source and the problem.
#pragma once

#include <stdexcept>
#include <string>

namespace fcnet {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace fcnet
