#pragma once

#include "domain/venue.h"
#include "venues/server_time.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mm {

class HttpsClient;

/// One reading of a venue's clock, all in Unix ms: when the request left (this machine's clock),
/// the venue's time in the answer, when the answer came (this machine's clock).
struct ServerTimeSample {
    std::int64_t sentLocalMs = 0;
    std::int64_t serverMs = 0;
    std::int64_t receivedLocalMs = 0;
};

/// A venue's clock, measured from its server-time endpoint. Signed requests carry a timestamp the
/// venue accepts only within a window (Binance: recvWindow, 5 s by default, and never more than 1 s
/// ahead; Bybit: X-BAPI-RECV-WINDOW; OKX: 30 s) — a machine whose clock drifted gets every request
/// refused. So each venue's offset is measured and the timestamps are taken on its clock.
///
/// One sample: the local time the request left, the server's time in the answer, the local time the
/// answer came. The server read its clock somewhere in between; taking the midpoint, the error is at
/// most half the round trip. Of the last few samples the one with the shortest round trip is used.
class ServerClockOffset {
public:
    static constexpr std::size_t kSamplesKept = 8;

    void addSample(const ServerTimeSample& sample);

    /// Server time minus local time, in ms; nullopt before the first sample.
    [[nodiscard]] std::optional<std::int64_t> offsetMs() const;
    /// The round trip of the sample in use (the offset is right to within half of it).
    [[nodiscard]] std::optional<std::int64_t> roundTripMs() const;
    /// The venue's time now, given this machine's: local + offset (local before any sample).
    [[nodiscard]] std::int64_t serverTimeMs(std::int64_t localMs) const;

private:
    struct Sample {
        std::int64_t offset = 0;
        std::int64_t roundTrip = 0;
    };
    std::deque<Sample> m_samples;
};

/// GETs the venue's server time over `client` and reads it; `done` gets the sample, or nullopt and
/// the problem in words (a failed request, an answer in another shape). Called on the client's io
/// thread. Throws std::invalid_argument for a venue without a server-time endpoint.
void requestServerTime(HttpsClient& client, Venue venue,
                       std::function<void(std::optional<ServerTimeSample> sample, const std::string& problem)> done);

/// What to tell the trader when a venue refuses a signed request's timestamp, given the measured
/// offset: how far this machine's clock is off, and that it was corrected for (or that it cannot be).
std::string explainTimestampRefusal(Venue venue, std::optional<std::int64_t> offsetMs);

} // namespace mm
