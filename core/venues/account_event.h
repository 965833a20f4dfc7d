#pragma once

#include "domain/venue.h"
#include "venues/account_snapshot.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mm {

/// What one frame of a keyed venue's private account stream (Binance user data stream, Bybit
/// `/v5/private`, OKX `/ws/v5/private`) turned out to be. The positions reuse the REST snapshot's
/// shape; a venue that leaves a figure out leaves it unset (Binance's ACCOUNT_UPDATE has no mark,
/// liquidation price or maintenance margin — those come from the mark stream and REST).
struct AccountEvent {
    enum class Kind {
        PositionsSnapshot, ///< the whole list of open positions: replaces what the account held
        PositionsUpdate,   ///< only the positions given change; a zero quantity closes that one
        BalancesUpdate,    ///< the wallet and the account-wide figures
        MarginCall,        ///< the venue's own margin call: shown and journaled, NEVER a trigger —
                           ///< it may arrive at the moment of liquidation, long after our own alert
        ListenKeyExpired,  ///< Binance: the listenKey died; POST a new one and reconnect
        AuthAck,           ///< the venue accepted the key (Bybit `auth`, OKX `login`)
        AuthRefused,       ///< the venue refused the key: `code` and `detail` are its own words
        SubscribeAck,      ///< the venue confirmed a subscription
        Pong,              ///< the answer to our keep-alive
        VenueError,        ///< any other error the venue reported: `code` and `detail`
        Ignored,           ///< valid, but nothing the monitor needs (orders, fills, other channels)
        Malformed,         ///< not what the venue sends: `detail` names the field at fault
    };

    Kind kind = Kind::Ignored;
    Venue venue = Venue::Generic;
    /// PositionsSnapshot / PositionsUpdate: the positions; a closed one has quantity 0 (its symbol and
    /// positionSide say which). MarginCall: the positions the venue warns about, as far as it
    /// describes them (entry prices may be missing, i.e. zero).
    std::vector<SnapshotPosition> positions;
    /// BalancesUpdate, and a PositionsUpdate that carried balances too (Binance's ACCOUNT_UPDATE).
    std::optional<AccountBalances> balances;
    std::string code;   ///< the venue's code (AuthRefused, VenueError), "" when it gives none
    std::string detail; ///< in words: the venue's message, or what is malformed
    std::int64_t eventTimeMs = 0; ///< the venue's event time, 0 when the frame has none
};

/// "positions snapshot", "margin call", … for logs.
std::string_view accountEventKindName(AccountEvent::Kind kind);

/// A margin call in the trader's words, for the journal and the banner: "Binance margin call:
/// ETHUSDT long 1.327 at mark 187.17127 (margin ratio …)".
std::string describeMarginCall(const AccountEvent& event);

} // namespace mm
