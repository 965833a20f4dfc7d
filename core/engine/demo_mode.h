#pragma once

#include "engine/live_monitor.h"
#include "sim/exchange_simulator.h"

#include <memory>

namespace mm {

/// The embedded demo: the exchange simulator started in this process (the crash scenario, the demo
/// accounts on all four venues) and the live monitor's options pointing at it. The monitor connects
/// through the same networking code as to a real exchange — TLS verified against a certificate
/// authority made in memory for this run only.
struct DemoMode {
    std::unique_ptr<sim::ExchangeSimulator> simulator; ///< running; stops when destroyed
    LiveMonitorOptions monitorOptions;                  ///< the demo accounts, URLs and trust

    /// Throws std::runtime_error when the simulator cannot start.
    static DemoMode start(double timeScale = 1.0);
};

} // namespace mm
