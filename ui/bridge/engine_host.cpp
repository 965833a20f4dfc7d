#include "bridge/engine_host.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <QMetaObject>
#include <QPointer>

namespace mm::ui {

/// What lives on the core thread besides the monitor: the display timer, the subscriptions.
struct EngineHost::CoreState {
    explicit CoreState(boost::asio::io_context& io) : displayTimer(io) {}
    boost::asio::steady_timer displayTimer;
    std::vector<std::unique_ptr<Subscription>> subscriptions;
    bool changed = true; ///< something moved since the last board
    MonotonicTime lastBoardAt{};
    std::uint64_t sequence = 0;
    bool running = false;
};

EngineHost::EngineHost(EngineOptions options, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_io(std::make_unique<boost::asio::io_context>())
{
    LiveMonitorOptions monitorOptions = m_options.monitor;
    if (m_options.demo) {
        m_demo = DemoMode::start(m_options.demoTimeScale);
        monitorOptions = m_demo->monitorOptions;
    }
    m_live = std::make_unique<LiveMonitor>(*m_io, m_clock, std::move(monitorOptions));
    m_core = std::make_unique<CoreState>(*m_io);

    // Subscriptions are made here, before the core thread starts; from then on only it uses them.
    m_core->subscriptions.push_back(m_live->monitor().onRisk([this](const RiskSnapshot&) { m_core->changed = true; }));
    m_core->subscriptions.push_back(m_live->monitor().onFeed([this](const FeedStatus&) { m_core->changed = true; }));
    m_core->subscriptions.push_back(m_live->onConnection([this](Venue, const WsStats&) { m_core->changed = true; }));
    m_core->subscriptions.push_back(m_live->onProblem([this](Venue venue, const std::string& detail) {
        // Passed on at once: a queued call carrying the strings, never a QObject touched here.
        QMetaObject::invokeMethod(
            this,
            [this, venue = QString::fromUtf8(venueName(venue).data()), text = QString::fromStdString(detail)] {
                Q_EMIT venueProblem(venue, text);
            },
            Qt::QueuedConnection);
    }));
}

EngineHost::~EngineHost()
{
    stop();
}

void EngineHost::start()
{
    if (m_thread.joinable() || m_core->running) {
        return;
    }
    m_core->running = true;
    m_live->start();
    boost::asio::post(*m_io, [this] {
        takeBoard(); // the first board at once: the table fills before the first tick
        scheduleDisplay();
    });
    m_thread = std::thread([this] { runCore(); });
}

void EngineHost::stop()
{
    if (!m_thread.joinable()) {
        return;
    }
    boost::asio::post(*m_io, [this] {
        m_core->running = false;
        m_core->displayTimer.cancel();
        m_core->subscriptions.clear();
        m_live->stop();
        boost::asio::post(*m_io, [this] { m_io->stop(); }); // after the feeds have closed
    });
    m_thread.join();
    m_live.reset();
    m_demo.reset();
}

void EngineHost::runCore()
{
    m_io->run();
}

void EngineHost::scheduleDisplay()
{
    m_core->displayTimer.expires_after(m_options.displayInterval);
    m_core->displayTimer.async_wait([this](boost::system::error_code error) {
        if (error || !m_core->running) {
            return;
        }
        // Only when something moved — and once a second regardless, so that data ages count on.
        if (m_core->changed || m_clock.now() - m_core->lastBoardAt >= std::chrono::seconds(1)) {
            takeBoard();
        }
        scheduleDisplay();
    });
}

void EngineHost::takeBoard()
{
    const MonotonicTime now = m_clock.now();
    auto board = std::make_shared<const RiskBoard>(takeRiskBoard(m_live->monitor(), m_live.get(), now, ++m_core->sequence));
    m_core->changed = false;
    m_core->lastBoardAt = now;
    ++m_boardsTaken;
    {
        const std::lock_guard lock(m_slotMutex);
        m_slot = std::move(board);
    }
    if (!m_wakeUpPending.exchange(true)) {
        ++m_wakeUpsPosted;
        QMetaObject::invokeMethod(this, &EngineHost::deliverBoard, Qt::QueuedConnection);
    }
}

void EngineHost::deliverBoard()
{
    m_wakeUpPending = false;
    std::shared_ptr<const RiskBoard> board;
    {
        const std::lock_guard lock(m_slotMutex);
        board = std::move(m_slot);
    }
    if (!board) {
        return;
    }
    m_board = board;
    Q_EMIT boardArrived(std::move(board));
}

} // namespace mm::ui
