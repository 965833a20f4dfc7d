// libFuzzer target: the accounts configuration from arbitrary bytes. Bad input must be a ConfigError;
// accounts that read must pass their own check and write back to text that reads the same.
#include "config/accounts_config.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::vector<mm::AccountSettings> accounts;
    try {
        accounts = mm::readAccountsConfig(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const mm::ConfigError&) {
        return 0;
    }
    for (const auto& account : accounts) {
        if (!mm::checkAccountSettings(account).empty()) {
            std::abort();
        }
    }
    try {
        if (mm::readAccountsConfig(mm::writeAccountsConfig(accounts)) != accounts) {
            std::abort();
        }
    } catch (const mm::ConfigError&) {
        std::abort();
    }
    return 0;
}
