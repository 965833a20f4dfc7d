#pragma once

#include "deleverage/deleverage_market_view.h"
#include "engine/monitor.h"
#include "money/clock.h"

#include <map>
#include <string>
#include <utility>

namespace mm {

/// The executor's view of a Monitor: positions at their latest marks, the mark feed's state and
/// age, the age of the venue's last account read. Lot rules are not in the Monitor (the Instrument
/// holds only the margin math's needs): the caller sets them per symbol from the venue's filters.
/// Single-threaded, like the Monitor.
class MonitorMarketView final : public DeleverageMarketView {
public:
    MonitorMarketView(const Monitor& monitor, const Clock& clock) : m_monitor(monitor), m_clock(clock) {}

    void setLotRules(Venue venue, std::string symbol, LotRules rules)
    {
        m_lotRules[{venue, std::move(symbol)}] = std::move(rules);
    }

    [[nodiscard]] const Portfolio* portfolio(std::size_t account) const override;
    [[nodiscard]] DataFreshness freshness(std::size_t account, const Position& position) const override;
    [[nodiscard]] std::optional<LotRules> lotRules(std::size_t account, const Position& position) const override;

private:
    const Monitor& m_monitor;
    const Clock& m_clock;
    std::map<std::pair<Venue, std::string>, LotRules, std::less<>> m_lotRules;
};

} // namespace mm
