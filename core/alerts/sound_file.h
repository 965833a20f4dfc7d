#pragma once

#include <string>
#include <string_view>

namespace mm {

/// Why these bytes cannot be an alert sound ("" when they can): a RIFF/WAVE file whose chunks all
/// fit in it, with a sample format (`fmt `) before a non-empty `data` chunk. Checked before a sound
/// file is handed to the audio library: a truncated WAV can leave Qt's sample loader waiting for
/// ever, and the program with it. Never throws; any bytes are a valid input.
[[nodiscard]] std::string soundFileProblem(std::string_view bytes);

} // namespace mm
