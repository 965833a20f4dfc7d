#include "net/server_clock.h"

#include "net/https_client.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace mm {

void ServerClockOffset::addSample(const ServerTimeSample& sample)
{
    if (sample.receivedLocalMs < sample.sentLocalMs) {
        return; // the local clock stepped back mid-request: the sample means nothing
    }
    const std::int64_t roundTrip = sample.receivedLocalMs - sample.sentLocalMs;
    const std::int64_t midpoint = sample.sentLocalMs + roundTrip / 2;
    m_samples.push_back({sample.serverMs - midpoint, roundTrip});
    if (m_samples.size() > kSamplesKept) {
        m_samples.pop_front();
    }
}

std::optional<std::int64_t> ServerClockOffset::offsetMs() const
{
    if (m_samples.empty()) {
        return std::nullopt;
    }
    return std::min_element(m_samples.begin(), m_samples.end(), [](const Sample& a, const Sample& b) {
               return a.roundTrip < b.roundTrip;
           })->offset;
}

std::optional<std::int64_t> ServerClockOffset::roundTripMs() const
{
    if (m_samples.empty()) {
        return std::nullopt;
    }
    return std::min_element(m_samples.begin(), m_samples.end(), [](const Sample& a, const Sample& b) {
               return a.roundTrip < b.roundTrip;
           })->roundTrip;
}

std::int64_t ServerClockOffset::serverTimeMs(std::int64_t localMs) const
{
    return localMs + offsetMs().value_or(0);
}

void requestServerTime(HttpsClient& client, Venue venue,
                       std::function<void(std::optional<ServerTimeSample> sample, const std::string& problem)> done)
{
    const auto path = serverTimePath(venue);
    if (!path) {
        throw std::invalid_argument(std::string(venueName(venue)) + " has no server-time endpoint");
    }
    HttpRequest request;
    request.target = std::string(*path);
    request.timeout = std::chrono::seconds(5);
    client.request(std::move(request), [venue, done = std::move(done)](HttpResponse response) {
        const auto receivedLocal = std::chrono::system_clock::now();
        if (response.outcome != HttpOutcome::Ok) {
            done(std::nullopt, std::string(venueName(venue)) + " server time: " +
                                   (response.error.empty() ? std::string(httpOutcomeName(response.outcome)) : response.error));
            return;
        }
        std::string problem;
        const auto serverMs = parseServerTimeMs(venue, response.body, problem);
        if (!serverMs) {
            done(std::nullopt, std::string(venueName(venue)) + " server time: " + problem);
            return;
        }
        const auto toMs = [](std::chrono::system_clock::time_point time) {
            return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
        };
        const auto sentLocal = receivedLocal - std::chrono::duration_cast<std::chrono::system_clock::duration>(response.elapsed);
        done(ServerTimeSample{toMs(sentLocal), *serverMs, toMs(receivedLocal)}, {});
    });
}

std::string explainTimestampRefusal(Venue venue, std::optional<std::int64_t> offsetMs)
{
    const std::string name(venueName(venue));
    if (!offsetMs) {
        return name + " refused the request's timestamp, and its clock could not be measured (the server-time request failed). "
                      "Check that this computer's clock is set automatically (NTP).";
    }
    const double seconds = static_cast<double>(std::llabs(*offsetMs)) / 1000.0;
    std::string amount = std::to_string(seconds);
    amount.erase(amount.find('.') + 2); // one decimal
    return name + " refused the request's timestamp. This computer's clock is " + amount + " s " +
           (*offsetMs > 0 ? "behind" : "ahead of") + " " + name +
           "'s; requests are timed on its clock, so a refusal means the clock moved since it was measured or the "
           "network is slow. Setting the clock automatically (NTP) avoids it.";
}

} // namespace mm
