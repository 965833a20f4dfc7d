#include "net/venue_order_gateway.h"

#include "venues/order_protocol.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mm {

namespace {

using Done = std::function<void(const OrderOutcome&)>;

std::int64_t systemNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

HttpMethod httpMethod(OrderHttpMethod method)
{
    return method == OrderHttpMethod::Post ? HttpMethod::Post : HttpMethod::Get;
}

OrderOutcome refused(const OrderRequest& request, std::string message)
{
    OrderOutcome outcome;
    outcome.status = OrderOutcome::Status::Rejected;
    outcome.clientOrderId = request.clientOrderId;
    outcome.message = std::move(message);
    return outcome;
}

bool isKeyed(Venue venue)
{
    return venue == Venue::BinanceUsdm || venue == Venue::BybitLinear || venue == Venue::OkxSwap;
}

} // namespace

struct VenueOrderGateway::State : std::enable_shared_from_this<State> {
    boost::asio::io_context& io;
    Options options;
    bool ownsClient = false; ///< a client of its own is closed with the gateway; a shared one is not

    State(boost::asio::io_context& context, Options given) : io(context), options(std::move(given)) {}

    [[nodiscard]] std::string name() const { return std::string(venueName(options.venue)); }

    /// Answers on the io thread, later: `done` is never called from inside place() or lookup().
    void answerLater(Done done, OrderOutcome outcome)
    {
        boost::asio::post(io, [done = std::move(done), outcome = std::move(outcome)] { done(outcome); });
    }

    [[nodiscard]] OrderVenueDetails details(const OrderRequest& request) const
    {
        OrderVenueDetails details;
        if (options.venue == Venue::OkxSwap && options.contractValue) {
            details.contractValue = options.contractValue(request.symbol);
        }
        return details;
    }

    /// The venue refuses what this gateway cannot send, before anything is built.
    [[nodiscard]] std::optional<std::string> venueProblem(const OrderRequest& request) const
    {
        if (options.venue == Venue::Hyperliquid) {
            return std::string("Hyperliquid orders must be signed with EIP-712 / secp256k1, which Margin Monitor "
                               "does not do: nothing was sent — reduce the position on Hyperliquid itself");
        }
        if (!isKeyed(options.venue)) {
            return std::string(venueName(options.venue)) + " has no exchange to send an order to";
        }
        if (request.venue != options.venue) {
            return "an order for " + std::string(venueName(request.venue)) + " cannot go to " + name();
        }
        return std::nullopt;
    }

    /// Signs and sends one request; `answered` gets the response on the io thread, or a problem
    /// (nothing sent) at once.
    bool send(const OrderHttpRequest& order, std::function<void(HttpResponse)> answered, std::string& problem)
    {
        try {
            const std::int64_t now = options.serverNowMs ? options.serverNowMs() : systemNowMs();
            HttpRequest request = signedRequest(options.venue, httpMethod(order.method), order.path, order.query,
                                                order.body, options.credentials, now);
            request.timeout = options.requestTimeout;
            options.client->request(std::move(request), std::move(answered));
            return true;
        } catch (const std::exception& error) {
            problem = error.what();
            return false;
        }
    }

    /// The transport's verdict, when it decides without a body.
    [[nodiscard]] std::optional<OrderOutcome> transport(const HttpResponse& response, const OrderRequest& request,
                                                        bool lookup) const
    {
        OrderOutcome outcome;
        outcome.clientOrderId = request.clientOrderId;
        switch (response.outcome) {
        case HttpOutcome::Timeout:
            outcome.status = OrderOutcome::Status::Unknown;
            outcome.message = "no answer from " + name() + " within " + std::to_string(options.requestTimeout.count()) +
                              " ms: the order may or may not exist — look it up before anything is resent";
            return outcome;
        case HttpOutcome::NetworkError:
            if (response.sent || lookup) {
                outcome.status = OrderOutcome::Status::Unknown;
                outcome.message = "the connection to " + name() + " failed (" + response.error +
                                  "): the order may or may not exist — look it up before anything is resent";
            } else {
                outcome.status = OrderOutcome::Status::Rejected;
                outcome.message = "not sent: " + response.error;
            }
            return outcome;
        case HttpOutcome::Ok:
        case HttpOutcome::RateLimited:
        case HttpOutcome::Banned:
        case HttpOutcome::Unavailable:
        case HttpOutcome::HttpError:
            break;
        }
        return std::nullopt;
    }

    void place(const OrderRequest& request, Done done)
    {
        if (auto problem = venueProblem(request)) {
            return answerLater(std::move(done), refused(request, *problem));
        }
        const OrderVenueDetails venueDetails = details(request);
        std::string problem;
        const auto order = buildPlaceOrderRequest(request, venueDetails, problem);
        if (!order) {
            return answerLater(std::move(done), refused(request, "not sent: " + problem));
        }
        auto answered = [weak = weak_from_this(), request, venueDetails, done](HttpResponse response) mutable {
            const auto self = weak.lock();
            if (!self) {
                OrderOutcome gone;
                gone.clientOrderId = request.clientOrderId;
                gone.message = "the gateway closed before the answer: the order may or may not exist";
                return done(gone);
            }
            self->placed(request, venueDetails, response, std::move(done));
        };
        if (!send(*order, std::move(answered), problem)) {
            answerLater(std::move(done), refused(request, "not sent: " + problem));
        }
    }

    void placed(const OrderRequest& request, const OrderVenueDetails& venueDetails, const HttpResponse& response,
                Done done)
    {
        OrderOutcome outcome;
        if (auto decided = transport(response, request, false)) {
            outcome = std::move(*decided);
        } else {
            outcome = parsePlaceOrderAnswer(options.venue, {response.status, response.body}, request, venueDetails);
        }
        if (outcome.status != OrderOutcome::Status::Accepted || !options.lookUpAcceptedOrders ||
            options.venue == Venue::BinanceUsdm) {
            return done(outcome);
        }
        // Bybit and OKX said only that they took it: ask once what became of it.
        lookup(request, [accepted = outcome, done = std::move(done)](const OrderOutcome& found) {
            if (found.status == OrderOutcome::Status::Filled || found.status == OrderOutcome::Status::PartiallyFilled ||
                found.status == OrderOutcome::Status::Accepted) {
                OrderOutcome merged = found;
                if (merged.venueOrderId.empty()) {
                    merged.venueOrderId = accepted.venueOrderId;
                }
                return done(merged);
            }
            done(accepted); // the look-up did not tell: what the placement said stands
        });
    }

    void lookup(const OrderRequest& request, Done done)
    {
        if (auto problem = venueProblem(request)) {
            return answerLater(std::move(done), refused(request, *problem));
        }
        std::string problem;
        std::vector<OrderHttpRequest> requests = buildLookupOrderRequests(request, problem);
        if (requests.empty()) {
            return answerLater(std::move(done), refused(request, "not sent: " + problem));
        }
        lookupFrom(request, details(request), std::move(requests), 0, std::move(done));
    }

    /// Tries requests[index]; a NotFound there goes on to the next (Bybit: realtime, then history).
    void lookupFrom(const OrderRequest& request, const OrderVenueDetails& venueDetails,
                    std::vector<OrderHttpRequest> requests, std::size_t index, Done done)
    {
        const OrderHttpRequest order = requests[index];
        auto answered = [weak = weak_from_this(), request, venueDetails, requests = std::move(requests), index,
                         done](HttpResponse response) mutable {
            const auto self = weak.lock();
            if (!self) {
                OrderOutcome gone;
                gone.clientOrderId = request.clientOrderId;
                gone.message = "the gateway closed before the answer";
                return done(gone);
            }
            OrderOutcome outcome;
            if (auto decided = self->transport(response, request, true)) {
                outcome = std::move(*decided);
            } else {
                outcome = parseLookupOrderAnswer(self->options.venue, {response.status, response.body}, request,
                                                 venueDetails);
            }
            if (outcome.status == OrderOutcome::Status::NotFound && index + 1 < requests.size()) {
                return self->lookupFrom(request, venueDetails, std::move(requests), index + 1, std::move(done));
            }
            done(outcome);
        };
        std::string problem;
        if (!send(order, std::move(answered), problem)) {
            OrderOutcome outcome;
            outcome.clientOrderId = request.clientOrderId;
            outcome.message = "the look-up could not be sent: " + problem;
            answerLater(std::move(done), outcome); // Unknown: nothing was learnt
        }
    }
};

VenueOrderGateway::VenueOrderGateway(boost::asio::io_context& io, Options options)
{
    if (isKeyed(options.venue)) {
        if (options.credentials.empty() || (options.venue == Venue::OkxSwap && options.credentials.passphrase.empty())) {
            throw std::invalid_argument(std::string(venueName(options.venue)) +
                                        " orders need a trade key with its secret" +
                                        (options.venue == Venue::OkxSwap ? " and passphrase" : ""));
        }
    }
    const bool ownsClient = isKeyed(options.venue) && !options.client;
    if (ownsClient) {
        options.client = HttpsClient::create(io, options.rest);
    }
    m_state = std::make_shared<State>(io, std::move(options));
    m_state->ownsClient = ownsClient;
}

VenueOrderGateway::~VenueOrderGateway()
{
    close();
}

void VenueOrderGateway::place(const OrderRequest& request, std::function<void(const OrderOutcome&)> done)
{
    m_state->place(request, std::move(done));
}

void VenueOrderGateway::lookup(const OrderRequest& request, std::function<void(const OrderOutcome&)> done)
{
    m_state->lookup(request, std::move(done));
}

Venue VenueOrderGateway::venue() const
{
    return m_state->options.venue;
}

void VenueOrderGateway::close()
{
    if (m_state && m_state->ownsClient && m_state->options.client) {
        m_state->options.client->close();
    }
}

} // namespace mm
