#include "engine/demo_mode.h"

#include "sim/demo_portfolios.h"
#include "sim/throwaway_certificates.h"

namespace mm {

DemoMode DemoMode::start(double timeScale)
{
    DemoMode demo;
    demo.monitorOptions.accounts = sim::demoPortfolios();
    const auto certificates = sim::ThrowawayCertificates::make();
    sim::SimulatorOptions options;
    options.certificatePem = certificates.serverCertificatePem;
    options.privateKeyPem = certificates.serverKeyPem;
    demo.monitorOptions.trust.caPem = certificates.authorityPem;
    options.scenario = sim::Scenario::Crash;
    options.timeScale = timeScale;
    for (const Portfolio& portfolio : demo.monitorOptions.accounts) {
        for (const Position& position : portfolio.positions) {
            options.startPrices[position.symbol] = position.markPrice.toDouble(); // the walks start at the files' marks
        }
    }
    demo.simulator = std::make_unique<sim::ExchangeSimulator>(options);
    demo.simulator->start();
    std::string problem;
    const auto base = WsUrl::parse(demo.simulator->baseUrl(), problem);
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap, Venue::Hyperliquid}) {
        demo.monitorOptions.venueUrls[venue] = *base;
    }
    return demo;
}

} // namespace mm
