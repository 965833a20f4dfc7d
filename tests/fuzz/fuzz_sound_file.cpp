// libFuzzer target: the alert sound file check from arbitrary bytes. It must never crash or read
// outside the bytes; what it accepts must start with a RIFF/WAVE header.
#include "alerts/sound_file.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (mm::soundFileProblem(bytes).empty() && (size < 44 || bytes.substr(0, 4) != "RIFF" || bytes.substr(8, 4) != "WAVE")) {
        std::abort();
    }
    return 0;
}
