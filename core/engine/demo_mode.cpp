#include "engine/demo_mode.h"

#include "sim/demo_portfolios.h"
#include "sim/throwaway_certificates.h"

#include <random>
#include <string>

namespace mm {

namespace {

/// A fresh random secret for a demo key: the demo's keys exist for this run only.
std::string randomSecret()
{
    std::random_device random;
    std::string secret;
    constexpr std::string_view kHex = "0123456789abcdef";
    for (int i = 0; i < 64; ++i) {
        secret += kHex[random() % kHex.size()];
    }
    return secret;
}

bool isKeyed(Venue venue)
{
    return venue == Venue::BinanceUsdm || venue == Venue::BybitLinear || venue == Venue::OkxSwap;
}

} // namespace

DemoMode DemoMode::start(double timeScale)
{
    DemoMode demo;
    const std::vector<Portfolio> accounts = sim::demoPortfolios();
    const auto certificates = sim::ThrowawayCertificates::make();
    sim::SimulatorOptions options;
    options.certificatePem = certificates.serverCertificatePem;
    options.privateKeyPem = certificates.serverKeyPem;
    demo.monitorOptions.trust.caPem = certificates.authorityPem;
    options.scenario = sim::Scenario::Crash;
    options.timeScale = timeScale;
    for (const Portfolio& portfolio : accounts) {
        for (const Position& position : portfolio.positions) {
            options.startPrices[position.symbol] = position.markPrice.toDouble(); // the walks start at the files' marks
        }
    }
    // Each demo account lives on the simulated exchange, behind a key made for this run (Hyperliquid:
    // a wallet address), and is read as a real account is: signed REST on the venue's clock.
    std::vector<AccountFeed::Options> reads;
    std::vector<std::optional<ApiCredentials>> tradeKeys;
    std::vector<sim::SimulatedApiKey> tradeSimKeys;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        const Portfolio& portfolio = accounts[i];
        sim::SimulatedApiKey key;
        key.venue = portfolio.account.venue;
        key.account = portfolio;
        AccountFeed::Options read;
        read.venue = portfolio.account.venue;
        read.label = portfolio.account.label;
        if (isKeyed(key.venue)) {
            key.apiKey = "demo-" + std::string(venueName(key.venue)) + "-" + std::to_string(i);
            key.secret = randomSecret();
            key.passphrase = key.venue == Venue::OkxSwap ? "demo-passphrase" : "";
            read.credentials = {key.apiKey, key.secret, key.passphrase};
            // A separate trade key on the same account, as a trader would make one for
            // deleveraging (which stays off, and dry-run, until switched on).
            sim::SimulatedApiKey trade;
            trade.venue = key.venue;
            trade.apiKey = key.apiKey + "-trade";
            trade.secret = randomSecret();
            trade.passphrase = key.passphrase;
            trade.permissions.trade = true;
            trade.sharesAccountOf = key.apiKey;
            tradeKeys.push_back(ApiCredentials{trade.apiKey, trade.secret, trade.passphrase});
            tradeSimKeys.push_back(std::move(trade));
        } else if (key.venue == Venue::Hyperliquid) {
            key.apiKey = "0x" + std::string(39, '0') + std::to_string(i % 10);
            read.walletAddress = key.apiKey;
            tradeKeys.emplace_back(); // Hyperliquid orders need a wallet signature: monitoring only
        } else {
            demo.monitorOptions.accounts.push_back(portfolio); // a generic account: from its file
            continue;
        }
        options.apiKeys.push_back(std::move(key));
        reads.push_back(std::move(read));
    }
    for (sim::SimulatedApiKey& trade : tradeSimKeys) {
        options.apiKeys.push_back(std::move(trade)); // after the read keys: theirs are the accounts
    }
    demo.simulator = std::make_unique<sim::ExchangeSimulator>(options);
    demo.simulator->start();
    std::string problem;
    const auto base = WsUrl::parse(demo.simulator->baseUrl(), problem);
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap, Venue::Hyperliquid}) {
        demo.monitorOptions.venueUrls[venue] = *base;
    }
    const auto rest = HttpUrl::parse("https://127.0.0.1:" + std::to_string(demo.simulator->port()), problem);
    for (std::size_t i = 0; i < reads.size(); ++i) {
        AccountFeed::Options& read = reads[i];
        read.rest.url = *rest;
        read.rest.trust.caPem = certificates.authorityPem;
        const bool keyed = !read.credentials.empty();
        demo.monitorOptions.exchangeAccounts.push_back(
            {std::move(read), keyed ? std::optional(*base) : std::nullopt, tradeKeys[i], std::chrono::seconds(10)});
    }
    return demo;
}

} // namespace mm
