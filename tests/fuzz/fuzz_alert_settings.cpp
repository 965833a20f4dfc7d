// libFuzzer target: the alerts configuration from arbitrary bytes. Bad input must be a ConfigError;
// settings that read must have no rule problem and write back to text that reads back the same.
#include "config/accounts_config.h"
#include "config/alert_settings.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    mm::AlertSettings settings;
    try {
        settings = mm::readAlertSettings(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const mm::ConfigError&) {
        return 0;
    }
    if (!settings.policy.problems().empty()) {
        std::abort();
    }
    try {
        const std::string written = mm::writeAlertSettings(settings);
        if (mm::writeAlertSettings(mm::readAlertSettings(written)) != written) {
            std::abort();
        }
    } catch (const mm::ConfigError&) {
        std::abort();
    }
    return 0;
}
