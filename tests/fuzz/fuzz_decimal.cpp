// libFuzzer target: Decimal::parse on arbitrary text. Whatever it accepts must print canonically and
// read back to the same value; arithmetic on it may throw DecimalError but never crash or wrap.
#include "money/decimal.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto value = mm::Decimal::tryParse(text);
    if (!value) {
        return 0;
    }
    const std::string canonical = value->toString();
    if (mm::Decimal::parse(canonical) != *value || mm::Decimal::parse(canonical).toString() != canonical) {
        std::abort();
    }
    try {
        const mm::Decimal tick = mm::Decimal::parse("0.01");
        (void)(*value * *value);
        (void)(*value + *value);
        (void)(*value / tick);
        (void)value->roundToStep(tick, mm::Decimal::Rounding::HalfEven);
        if (!value->isZero()) {
            (void)(tick / *value);
        }
    } catch (const mm::DecimalError&) { // out of range: refused, as documented
    }
    return 0;
}
