#pragma once

#include "engine/monitor.h"
#include "replay/replay_result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace mm {

/// The replay's own eye on the Monitor's evaluations: for every subject (each position, each
/// account's cross margin) the first recorded moment at or beyond liquidation, and optionally its
/// distance to liquidation at every evaluation. The one definition of "liquidated" that the replay
/// report and the alert-quality benchmark share.
///
/// Subscribe it before the alert engine, so that a tick's liquidation is known when its alerts come.
class LiquidationWatch {
public:
    /// One subject per position of every account of `monitor`, and one per account holding cross
    /// positions.
    LiquidationWatch(const Monitor& monitor, bool keepDistances);

    /// A risk snapshot published at `unixMs` of the recording.
    void onRisk(const RiskSnapshot& snapshot, std::int64_t unixMs);

    /// The subject an alert is about (a cross margin subject is added for an account that had none).
    std::size_t subjectOf(const AlertSubject& who);
    [[nodiscard]] std::vector<ReplaySubject>& subjects() { return m_subjects; }

private:
    struct AccountSubjects {
        std::size_t firstPosition = 0;          ///< index of its first position's subject
        std::optional<std::size_t> crossMargin; ///< index of its cross margin's subject
        std::vector<std::size_t> crossPositions;
        std::vector<std::optional<double>> latestDistance; ///< per position, as last evaluated
    };
    static void liquidatedAt(ReplaySubject& subject, std::int64_t unixMs);
    void trackCrossMargin(const AccountSubjects& account, std::optional<double> marketMovePct, std::int64_t unixMs);

    bool m_keepDistances;
    std::vector<ReplaySubject> m_subjects;
    std::vector<AccountSubjects> m_accounts;
};

} // namespace mm
