#pragma once

#include <stdexcept>
#include <string>

namespace mm {

/// Input a replay cannot use — a recording that cannot be read, a row that is not a mark, a symbol no
/// portfolio holds, a journal that is not one, no marks at all — in words that name the file (and the
/// line, where there is one) and the problem. Thrown before anything is replayed, so that a caller
/// never shows half a report.
class ReplayInputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace mm
