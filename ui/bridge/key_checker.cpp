#include "bridge/key_checker.h"

#include "net/https_client.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <thread>

namespace mm::ui {
namespace asio = boost::asio;

namespace {

/// Overwrites the secrets before the memory is given back.
void wipe(ApiCredentials& credentials)
{
    for (std::string* text : {&credentials.apiKey, &credentials.secret, &credentials.passphrase}) {
        std::fill(text->begin(), text->end(), '\0');
        text->clear();
    }
}

KeyCheckResult notUsable(std::string problem)
{
    KeyCheckResult result;
    result.problem = std::move(problem);
    return result;
}

} // namespace

/// The io_context, its thread and the clients of the checks under way (touched on that thread only,
/// and after it ended).
struct KeyChecker::Worker {
    struct Check {
        std::shared_ptr<HttpsClient> client;
        std::shared_ptr<HttpsClient> permissionsClient;
        std::shared_ptr<ApiCredentials> credentials;
    };

    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
    std::map<std::uint64_t, Check> checks;
    std::thread thread;

    Worker()
        : thread([this] {
              for (;;) {
                  try {
                      io.run();
                      return;
                  } catch (...) {
                      // A handler that threw must not end the thread that answers every check.
                  }
              }
          })
    {
    }
    ~Worker()
    {
        work.reset();
        io.stop();
        thread.join();
        for (auto& [id, check] : checks) {
            end(check);
        }
        checks.clear(); // the clients go while the io_context still exists
    }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    static void end(Check& check)
    {
        for (const auto& client : {check.client, check.permissionsClient}) {
            if (client) {
                client->close();
            }
        }
        if (check.credentials) {
            wipe(*check.credentials);
        }
    }

    /// On the io thread: the check is over (answered or given up).
    void finish(std::uint64_t id)
    {
        asio::post(io, [this, id] {
            const auto found = checks.find(id);
            if (found != checks.end()) {
                end(found->second);
                checks.erase(found);
            }
        });
    }
};

struct KeyChecker::Pending {
    QPointer<QObject> context;
    bool guarded = false; ///< a context was given: answer only while it exists
    Done done;
};

KeyChecker::KeyChecker(QObject* parent) : QObject(parent), m_worker(std::make_unique<Worker>()) {}

KeyChecker::~KeyChecker()
{
    m_worker.reset(); // joins the thread: no answer is posted after this, and those posted go with the QObject
}

void KeyChecker::check(const AccountSettings& account, ApiCredentials credentials, KeyPurpose purpose, QObject* context, Done done)
{
    const std::uint64_t id = m_nextId++;
    auto pending = std::make_unique<Pending>();
    pending->context = context;
    pending->guarded = context != nullptr;
    pending->done = std::move(done);
    m_pending.emplace(id, std::move(pending));
    ++m_running;

    auto shared = std::make_shared<ApiCredentials>(std::move(credentials));
    wipe(credentials);
    const auto answerLater = [this, id](KeyCheckResult result) {
        QMetaObject::invokeMethod(this, [this, id, result = std::move(result)]() mutable { deliver(id, std::move(result)); },
                                  Qt::QueuedConnection);
    };

    std::string problem;
    const auto endpoints = endpointsFor(account, problem);
    if (!endpoints) {
        wipe(*shared);
        answerLater(notUsable("the exchange's address: " + problem));
        return;
    }
    if (account.venue != Venue::BinanceUsdm && account.venue != Venue::BybitLinear && account.venue != Venue::OkxSwap) {
        wipe(*shared);
        answerLater(notUsable(std::string(venueName(account.venue)) + " accounts have no API key to check"));
        return;
    }
    HttpsOptions options;
    options.url = endpoints->rest;
    if (account.environment == VenueEnvironment::Custom) {
        options.trust = m_customTrust;
    }
    std::optional<HttpsOptions> permissionsOptions;
    if (account.venue == Venue::BinanceUsdm && account.environment == VenueEnvironment::Mainnet) {
        std::string ignored;
        if (auto spot = HttpUrl::parse("https://api.binance.com", ignored)) {
            permissionsOptions = HttpsOptions{*spot, {}, options.maxBodyBytes};
        }
    }

    const std::string host = endpoints->rest.toString();
    QTimer::singleShot(m_timeout, this, [this, id, host, seconds = std::chrono::duration_cast<std::chrono::seconds>(m_timeout).count()] {
        if (m_pending.count(id) == 0) {
            return;
        }
        m_worker->finish(id); // closes its connection: a late answer is dropped
        deliver(id, notUsable("no answer from " + host + " in " + std::to_string(seconds) +
                              " s: the exchange may be unreachable from here right now"));
    });

    Worker* worker = m_worker.get();
    const Venue venue = account.venue;
    asio::post(worker->io, [worker, id, venue, purpose, options = std::move(options),
                            permissionsOptions = std::move(permissionsOptions), shared, answerLater]() {
        Worker::Check& running = worker->checks[id];
        running.credentials = shared;
        try {
            running.client = HttpsClient::create(worker->io, options);
            if (permissionsOptions) {
                running.permissionsClient = HttpsClient::create(worker->io, *permissionsOptions);
            }
            checkApiKey(*running.client, venue, *shared, purpose,
                        [worker, id, answerLater](KeyCheckResult result) {
                            answerLater(std::move(result));
                            worker->finish(id);
                        },
                        running.permissionsClient.get());
        } catch (const std::exception& error) {
            answerLater(notUsable(std::string("the key cannot be checked: ") + error.what()));
            worker->finish(id);
        }
    });
}

void KeyChecker::deliver(std::uint64_t id, KeyCheckResult result)
{
    const auto found = m_pending.find(id);
    if (found == m_pending.end()) {
        return; // answered already (timed out, then the late answer came)
    }
    const std::unique_ptr<Pending> pending = std::move(found->second);
    m_pending.erase(found);
    --m_running;
    if (pending->guarded && pending->context.isNull()) {
        return;
    }
    pending->done(result);
}

} // namespace mm::ui
