#include "venues/account_event.h"

namespace mm {

std::string_view accountEventKindName(AccountEvent::Kind kind)
{
    switch (kind) {
    case AccountEvent::Kind::PositionsSnapshot:
        return "positions snapshot";
    case AccountEvent::Kind::PositionsUpdate:
        return "positions update";
    case AccountEvent::Kind::BalancesUpdate:
        return "balances update";
    case AccountEvent::Kind::MarginCall:
        return "margin call";
    case AccountEvent::Kind::ListenKeyExpired:
        return "listenKey expired";
    case AccountEvent::Kind::AuthAck:
        return "authenticated";
    case AccountEvent::Kind::AuthRefused:
        return "authentication refused";
    case AccountEvent::Kind::SubscribeAck:
        return "subscribed";
    case AccountEvent::Kind::Pong:
        return "pong";
    case AccountEvent::Kind::VenueError:
        return "venue error";
    case AccountEvent::Kind::Ignored:
        return "ignored";
    case AccountEvent::Kind::Malformed:
        return "malformed";
    }
    return "unknown";
}

namespace {

std::string_view venueTitle(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        return "Binance";
    case Venue::BybitLinear:
        return "Bybit";
    case Venue::OkxSwap:
        return "OKX";
    case Venue::Hyperliquid:
        return "Hyperliquid";
    case Venue::Generic:
        break;
    }
    return "The exchange";
}

} // namespace

std::string describeMarginCall(const AccountEvent& event)
{
    std::string text = std::string(venueTitle(event.venue)) + " margin call";
    if (event.positions.empty()) {
        return text + (event.detail.empty() ? "" : ": " + event.detail);
    }
    text += ":";
    bool first = true;
    for (const SnapshotPosition& snapshot : event.positions) {
        const Position& position = snapshot.position;
        text += first ? " " : "; ";
        first = false;
        text += position.symbol + (position.side == Side::Long ? " long " : " short ") + position.quantity.toString();
        if (position.markPrice.isPositive()) {
            text += " at mark " + position.markPrice.toString();
        }
        if (snapshot.exchangeMarginRatio) {
            text += ", margin ratio " + snapshot.exchangeMarginRatio->toString();
        }
        if (snapshot.exchangeMaintenanceMargin) {
            text += ", maintenance margin " + snapshot.exchangeMaintenanceMargin->toString();
        }
    }
    return text;
}

} // namespace mm
