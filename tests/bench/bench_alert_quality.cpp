// Benchmark: what the alerts are worth in a crash (issue 15, item 4). The ladder of positions
// (alert_ladder.h) on every symbol of a recording is replayed through the real Monitor on the
// recording's own time (core/replay), once with the pre-issue-15 engine kept in baseline/ and once
// with today's AlertEngine, and the two are printed side by side with issue 15's targets.
//
//   bench_alert_quality [--marks CSV | --demo-crash [--seed N] [--demo-calm-minutes M]] [--rules alerts.json]
//                       [--require-targets] [--list]
//
// --marks: a recording in the simulator's replay format (default: the 2021-05-19 sell-off in
// ../shared/data/crashes). --demo-crash: the demo's crash scenario (core/sim: the random walk with
// jumps of the demo, seed 1, and crashMarketFactor: −12 % over 90 s, back to −6 % by 165 s) sampled
// once a second on BTCUSDT, ETHUSDT and SOLUSDT, after a calm lead-in (15 min by default — a ladder
// opened 15 s before a crash could not be warned 2 minutes ahead) and for 10 minutes after.
// --require-targets: exit 1 when today's engine misses a target (the baseline is only shown).
// --list: every subject's liquidation, first critical and sounding count under both engines, and
// every emergency and critical that was not justified.
#include "alert_ladder.h"
#include "baseline/baseline_alert_engine.h"
#include "baseline/baseline_policy.h"

#include "alerts/alert_engine.h"
#include "config/alert_settings.h"
#include "replay/alert_quality.h"
#include "replay/alert_replay.h"
#include "replay/replay_error.h"
#include "sim/price_book.h"
#include "sim/scenario.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Steady = std::chrono::steady_clock;

struct Options {
    std::string marks = MM_CRASH_RECORDING;
    bool demoCrash = false;
    std::uint64_t seed = 1;
    int demoCalmMinutes = 15;
    std::string rules;
    bool requireTargets = false;
    bool listSubjects = false;
    std::string writeMarks; ///< also write the recording as a replay CSV here
};

mm::MarkRecording demoCrashRecording(const Options& options)
{
    constexpr std::int64_t kOriginMs = 1'700'000'000'000; // 2023-11-14 22:13:20 UTC: any fixed moment
    constexpr int kMinutesAfterCrash = 10;
    const std::vector<std::string> symbols{"BTCUSDT", "ETHUSDT", "SOLUSDT"};
    mm::sim::PriceBook book(options.seed);
    mm::sim::MarketScenario walk(mm::sim::Scenario::RandomWalk, mm::sim::WalkOptions{}, std::nullopt);
    mm::MarkRecording recording("the demo's crash (seed " + std::to_string(options.seed) + ")");
    const int calmSeconds = options.demoCalmMinutes * 60;
    const int totalSeconds = calmSeconds + 165 + kMinutesAfterCrash * 60;
    for (int second = 0; second <= totalSeconds; ++second) {
        walk.advanceTo(second, book);
        book.setMarketFactor(mm::sim::crashMarketFactor(std::max(0, second - calmSeconds)));
        for (const std::string& symbol : symbols) {
            recording.append(kOriginMs + second * 1000LL, symbol, book.mark(symbol));
        }
    }
    return recording;
}

std::string readText(const std::string& file)
{
    std::ifstream in(file);
    if (!in) {
        throw mm::ReplayInputError("cannot open " + file);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Measured {
    mm::AlertQuality quality;
    mm::ReplayResult result;
    double seconds = 0;
};

template <class Engine>
Measured measure(const std::vector<mm::Portfolio>& ladder, const mm::MarkRecording& recording, mm::AlertPolicy policy)
{
    mm::ReplayOptions replayOptions;
    replayOptions.keepDistanceTracks = true;
    const auto started = Steady::now();
    mm::AlertReplay replay(ladder, recording, replayOptions);
    mm::ReplayResult result = replay.run<Engine>(std::move(policy));
    Measured measured;
    measured.quality = mm::measureAlertQuality(result);
    measured.result = std::move(result);
    measured.seconds = std::chrono::duration<double>(Steady::now() - started).count();
    return measured;
}

std::string percentText(std::size_t part, std::size_t whole)
{
    char text[64];
    if (whole == 0) {
        std::snprintf(text, sizeof text, "none sounded");
    } else {
        std::snprintf(text, sizeof text, "%.0f %% (%zu/%zu)",
                      100.0 * static_cast<double>(part) / static_cast<double>(whole), part, whole);
    }
    return text;
}

std::string secondsText(std::optional<double> seconds)
{
    if (!seconds) {
        return "-";
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.0f s", *seconds);
    return text;
}

/// Seconds from the recording's start, or "-".
std::string sinceStart(const std::optional<std::int64_t>& unixMs, std::int64_t startMs)
{
    return unixMs ? std::to_string((*unixMs - startMs) / 1000) : std::string("-");
}

/// The emergencies and criticals of one engine that were not worth hearing.
void listUnjustified(const char* engine, const Measured& measured)
{
    const mm::ReplayResult& result = measured.result;
    std::printf("\n  %s: emergencies and criticals not justified\n", engine);
    for (const std::size_t index : measured.quality.unjustified) {
        const mm::ReplayedAlert& alert = result.alerts[index];
        std::printf("    %6lld s  %-34s %-9s %-9s %s\n", static_cast<long long>((alert.unixMs - result.startMs) / 1000),
                    alert.event.subject.accountLabel.c_str(),
                    std::string(mm::alertLevelName(alert.event.level)).c_str(),
                    std::string(mm::alertChangeName(alert.event.change)).c_str(), alert.event.message.c_str());
    }
}

/// Per subject, both engines: when it was liquidated, its first critical and its sounding count.
void listSubjects(const mm::ReplayResult& baseline, const mm::ReplayResult& current)
{
    std::printf("\n  %-34s %-8s %12s | %-24s | %-24s\n", "subject", "symbol", "liquidated",
                "baseline: 1st crit, sounding", "current: 1st crit, sounding");
    for (std::size_t i = 0; i < current.subjects.size() && i < baseline.subjects.size(); ++i) {
        const mm::ReplaySubject& subject = current.subjects[i];
        const mm::SubjectSummary b = mm::summarise(baseline, baseline.subjects[i]);
        const mm::SubjectSummary c = mm::summarise(current, subject);
        std::printf("  %-34s %-8s %12s | %10s s %10zu | %10s s %10zu\n", subject.accountLabel.c_str(),
                    subject.position ? subject.symbol.c_str() : "(margin)",
                    sinceStart(c.liquidatedAtMs, current.startMs).c_str(),
                    sinceStart(b.firstCriticalMs, baseline.startMs).c_str(), b.sounding,
                    sinceStart(c.firstCriticalMs, current.startMs).c_str(), c.sounding);
    }
    std::printf("  (times in seconds from the recording's start)\n");
}

void row(const char* what, const std::string& baseline, const std::string& current)
{
    std::printf("  %-58s %-22s %s\n", what, baseline.c_str(), current.c_str());
}

} // namespace

int main(int argc, char** argv)
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string option = argv[i];
        const bool hasValue = i + 1 < argc;
        if (option == "--demo-crash") {
            options.demoCrash = true;
        } else if (option == "--require-targets") {
            options.requireTargets = true;
        } else if (option == "--list") {
            options.listSubjects = true;
        } else if (option == "--marks" && hasValue) {
            options.marks = argv[++i];
        } else if (option == "--rules" && hasValue) {
            options.rules = argv[++i];
        } else if (option == "--seed" && hasValue) {
            options.seed = std::stoull(argv[++i]);
        } else if (option == "--write-marks" && hasValue) {
            options.writeMarks = argv[++i];
        } else if (option == "--demo-calm-minutes" && hasValue) {
            options.demoCalmMinutes = std::stoi(argv[++i]);
        } else {
            std::cerr << "bench_alert_quality: unknown option or missing value: " << option << "\n";
            return 2;
        }
    }

    try {
        const mm::MarkRecording recording =
            options.demoCrash ? demoCrashRecording(options) : mm::MarkRecording::readCsvFile(options.marks);
        if (!options.writeMarks.empty()) {
            // The recording as the simulator's replay CSV, for `marginctl replay --marks` on the same marks.
            std::ofstream out(options.writeMarks);
            out << "time,symbol,mark\n";
            for (const mm::RecordedMark& mark : recording.marks()) {
                char text[64];
                std::snprintf(text, sizeof text, "%.3f", static_cast<double>(mark.unixMs) / 1000.0);
                out << text << ',' << recording.series().at(mark.series).symbol << ',' << mark.mark.toString() << '\n';
            }
        }
        mm::AlertPolicy currentPolicy = mm::defaultAlertPolicy();
        mm::AlertPolicy baselinePolicy = mm::bench::baselineDefaultPolicy();
        if (!options.rules.empty()) {
            const std::string text = readText(options.rules);
            currentPolicy = mm::readAlertSettings(text).policy;
            baselinePolicy = mm::bench::baselinePolicyFrom(currentPolicy, text);
        }
        const std::vector<mm::Portfolio> ladder = mm::bench::makeAlertLadder(recording);
        std::size_t positions = 0;
        for (const mm::Portfolio& account : ladder) {
            positions += account.positions.size();
        }

        std::printf("alert quality on %s: %zu marks of %zu symbol(s) over %.1f min; the ladder: %zu positions in %zu "
                    "accounts%s\n",
                    recording.sourceName().c_str(), recording.marks().size(), recording.series().size(),
                    static_cast<double>(recording.endMs() - recording.startMs()) / 60'000.0, positions, ladder.size(),
                    options.rules.empty() ? ", default rules" : (", rules " + options.rules).c_str());

        const Measured baseline = measure<mm::bench::BaselineAlertEngine>(ladder, recording, std::move(baselinePolicy));
        const Measured current = measure<mm::AlertEngine>(ladder, recording, std::move(currentPolicy));
        const mm::AlertQuality& b = baseline.quality;
        const mm::AlertQuality& c = current.quality;
        const auto count = [](std::size_t n) { return std::to_string(n); };
        const auto meanMax = [](const mm::AlertQuality& q) {
            char text[48];
            std::snprintf(text, sizeof text, "%.1f / %zu", q.meanSounding, q.maxSounding);
            return std::string(text);
        };

        std::printf("\n  %-58s %-22s %s\n", "", "baseline (pre-#15)", "current");
        row("subjects (positions + cross margins)", count(b.subjects), count(c.subjects));
        row("liquidations", count(b.liquidations), count(c.liquidations));
        row("  within 2 min of the start (cannot be warned 2 min ahead)", count(b.liquidationsTooSoonToWarn),
            count(c.liquidationsTooSoonToWarn));
        row("  others without a critical >= 2 min before", count(b.liquidationsWithoutTimelyCritical),
            count(c.liquidationsWithoutTimelyCritical));
        row("lead of the first critical: median", secondsText(b.medianLeadSeconds()),
            secondsText(c.medianLeadSeconds()));
        row("lead of the first critical: minimum", secondsText(b.minimumLeadSeconds()),
            secondsText(c.minimumLeadSeconds()));
        row("sounding alerts per subject: mean / max", meanMax(b), meanMax(c));
        row("emergency precision (justified / sounded)", percentText(b.justifiedEmergencies, b.emergencies),
            percentText(c.justifiedEmergencies, c.emergencies));
        row("critical precision (justified / sounded)", percentText(b.justifiedCriticals, b.criticals),
            percentText(c.justifiedCriticals, c.criticals));
        row("alert changes published", count(baseline.result.alerts.size()), count(current.result.alerts.size()));
        char took[2][32];
        std::snprintf(took[0], sizeof took[0], "%.2f s", baseline.seconds);
        std::snprintf(took[1], sizeof took[1], "%.2f s", current.seconds);
        row("replay time", took[0], took[1]);

        std::printf("\n  targets (issue 15)%41s %-22s %s\n", "", "baseline", "current");
        const auto baselineChecks = mm::checkAlertQuality(b);
        const auto currentChecks = mm::checkAlertQuality(c);
        bool currentMeetsAll = true;
        for (std::size_t i = 0; i < currentChecks.size(); ++i) {
            row(currentChecks[i].target.c_str(), baselineChecks[i].met ? "met" : "MISSED",
                currentChecks[i].met ? "met" : "MISSED");
            currentMeetsAll = currentMeetsAll && currentChecks[i].met;
        }
        if (options.listSubjects) {
            listSubjects(baseline.result, current.result);
            listUnjustified("baseline", baseline);
            listUnjustified("current", current);
        }
        std::printf(
            "\n  Counted per subject (each position and each cross margin), nothing after its liquidation. A cross\n"
            "  position is warned by its own alert or its cross margin's. Liquidations within 2 min of the start\n"
            "  (where the ladder opens) are left out of the critical-lead measures. Precision: an emergency is\n"
            "  justified within 3 %% of liquidation as it sounded, or liquidated or within 1 %% in the next\n"
            "  30 min; a critical within 7 %%, or liquidated or within 3 %%.\n");
        return options.requireTargets && !currentMeetsAll ? 1 : 0;
    } catch (const std::exception& error) {
        std::cerr << "bench_alert_quality: " << error.what() << "\n";
        return 2;
    }
}
