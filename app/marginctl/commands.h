#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace marginctl {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

int evalCommand(const std::vector<std::string>& args);
int simCommand(const std::vector<std::string>& args);
int watchCommand(const std::vector<std::string>& args);
int replayCommand(const std::vector<std::string>& args);

/// Reads a whole file ('-' for stdin); throws std::runtime_error naming the file and the reason.
std::string readInput(const std::string& path);

} // namespace marginctl
