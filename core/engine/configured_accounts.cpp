#include "engine/configured_accounts.h"

namespace mm {

namespace {

bool isKeyed(Venue venue)
{
    return venue == Venue::BinanceUsdm || venue == Venue::BybitLinear || venue == Venue::OkxSwap;
}

} // namespace

void addConfiguredAccounts(LiveMonitorOptions& options, const std::vector<ConfiguredAccount>& accounts,
                           std::vector<std::string>& problems)
{
    for (const ConfiguredAccount& configured : accounts) {
        const AccountSettings& settings = configured.settings;
        const std::string name = std::string(venueName(settings.venue)) + " account \"" + settings.label + "\"";
        if (const std::string problem = checkAccountSettings(settings); !problem.empty()) {
            problems.push_back(name + ": " + problem);
            continue;
        }
        std::string problem;
        const auto endpoints = endpointsFor(settings, problem);
        if (!endpoints) {
            problems.push_back(name + ": " + problem);
            continue;
        }
        ExchangeAccountOptions account;
        account.reads.venue = settings.venue;
        account.reads.label = settings.label;
        account.reads.rest.url = endpoints->rest;
        account.reads.rest.trust = options.trust;
        if (isKeyed(settings.venue)) {
            if (configured.readKey.empty() || (settings.venue == Venue::OkxSwap && configured.readKey.passphrase.empty())) {
                problems.push_back(name + ": its read key is not in the keychain; enter it again in Settings → Exchanges");
                continue;
            }
            account.reads.credentials = configured.readKey;
            account.privateStream = endpoints->privateStream;
            if (settings.hasTradeKey && configured.tradeKey && !configured.tradeKey->empty()) {
                account.tradeKey = configured.tradeKey;
            } else if (settings.hasTradeKey) {
                problems.push_back(name + ": its trade key is not in the keychain; deleveraging cannot send orders until it is entered again");
            }
        } else {
            account.reads.walletAddress = settings.walletAddress;
        }
        const auto [stream, added] = options.venueUrls.try_emplace(settings.venue, endpoints->publicStream);
        if (!added && stream->second.toString() != endpoints->publicStream.toString()) {
            problems.push_back(name + ": " + std::string(venueName(settings.venue)) + "'s mark prices come from " +
                               stream->second.toString() + " (another account's environment), not " +
                               endpoints->publicStream.toString());
        }
        options.exchangeAccounts.push_back(std::move(account));
    }
}

} // namespace mm
