// libFuzzer target: the exact JSON parser on arbitrary bytes. Malformed input must be a
// JsonSyntaxError; every number it keeps must read as a Decimal or be refused with DecimalError.
#include "money/exact_json.h"

#include <cstdint>
#include <string_view>

namespace {

void readNumbers(const nlohmann::json& value)
{
    if (value.is_structured()) {
        for (const auto& item : value) {
            readNumbers(item);
        }
    } else if (mm::holdsDecimal(value) && !value.is_string()) {
        try {
            (void)mm::decimalFromJson(value);
        } catch (const mm::DecimalError&) { // out of Decimal's range
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        readNumbers(mm::parseExactJson(std::string_view(reinterpret_cast<const char*>(data), size)));
    } catch (const mm::JsonSyntaxError&) {
    }
    return 0;
}
