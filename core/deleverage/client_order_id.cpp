#include "deleverage/client_order_id.h"

#include <algorithm>
#include <cctype>

namespace mm {

std::string deleverageClientOrderId(std::string_view runId, const DeleverageAction& action)
{
    std::string id = "mm";
    for (const char c : runId) {
        if (std::isalnum(static_cast<unsigned char>(c)) && id.size() < 2 + 16) {
            id += c;
        }
    }
    id += action.origin == DeleverageAction::Origin::Alert ? 'e' : 'm';
    std::string digits;
    std::uint64_t number = action.number;
    do {
        digits += "0123456789abcdefghijklmnopqrstuvwxyz"[number % 36];
        number /= 36;
    } while (number > 0);
    std::reverse(digits.begin(), digits.end());
    return id + digits; // ≤ 2 + 16 + 1 + 13 = 32
}

} // namespace mm
