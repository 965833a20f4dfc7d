#include "domain/instrument.h"

#include <stdexcept>

namespace mm {
namespace {

template <typename Number, typename ToNumber>
const RiskTier& findTier(const std::vector<RiskTier>& tiers, const std::string& symbol, Number size, ToNumber toNumber)
{
    if (tiers.empty()) {
        throw std::logic_error("instrument " + symbol + " has no risk tiers");
    }
    // Tables have at most a few dozen rows: a linear scan beats a binary search's branches.
    for (const RiskTier& tier : tiers) {
        if (!tier.cap || size < toNumber(*tier.cap)) {
            return tier;
        }
    }
    return tiers.back();
}

} // namespace

const RiskTier& Instrument::tierFor(const Decimal& notional, const Decimal& quantity) const
{
    const Decimal size = tierBasis == TierBasis::Notional ? notional : quantity / contractSize;
    return findTier(riskTiers, symbol, size, [](const Decimal& bound) -> const Decimal& { return bound; });
}

const RiskTier& Instrument::tierFor(double notional, double quantity) const
{
    const double size = tierBasis == TierBasis::Notional ? notional : quantity / contractSize.toDouble();
    return findTier(riskTiers, symbol, size, [](const Decimal& bound) { return bound.toDouble(); });
}

} // namespace mm
