#include "alerts/sound_file.h"

#include <cstdint>

namespace mm {

namespace {

std::uint32_t littleEndian32(std::string_view bytes, std::size_t at)
{
    return std::uint32_t(std::uint8_t(bytes[at])) | std::uint32_t(std::uint8_t(bytes[at + 1])) << 8 |
           std::uint32_t(std::uint8_t(bytes[at + 2])) << 16 | std::uint32_t(std::uint8_t(bytes[at + 3])) << 24;
}

} // namespace

std::string soundFileProblem(std::string_view bytes)
{
    if (bytes.size() < 12 || bytes.substr(0, 4) != "RIFF" || bytes.substr(8, 4) != "WAVE") {
        return "not a WAV file (no RIFF/WAVE header)";
    }
    bool format = false;
    std::size_t at = 12;
    while (at + 8 <= bytes.size()) {
        const std::string_view id = bytes.substr(at, 4);
        const std::uint64_t size = littleEndian32(bytes, at + 4);
        const std::uint64_t left = bytes.size() - at - 8;
        if (size > left) {
            return "truncated: the '" + std::string(id) + "' chunk needs " + std::to_string(size) + " bytes, " +
                   std::to_string(left) + " are left";
        }
        if (id == "fmt ") {
            format = size >= 16;
        } else if (id == "data") {
            if (!format) {
                return "no sample format before the samples";
            }
            return size > 0 ? std::string() : "no samples";
        }
        at += 8 + std::size_t(size) + std::size_t(size % 2); // chunks are padded to an even length
    }
    return "no samples (no data chunk)";
}

} // namespace mm
