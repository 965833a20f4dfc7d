#pragma once
// A plain-HTTP server on loopback for the client suites (HttpsClient, the webhook).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace mm::test {

/// A plain-HTTP server on loopback that records each request and answers on the same connection —
/// 200 "{}", or the statuses given, one per request, before that; it accepts one connection only, so a client that opens a second one times out.
class RecordingServer {
public:
    explicit RecordingServer(std::vector<int> statuses = {})
        : m_statuses(std::move(statuses)), m_acceptor(m_io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0))
    {
        m_acceptor.async_accept([this](boost::beast::error_code error, boost::asio::ip::tcp::socket socket) {
            if (!error) {
                ++m_connections;
                m_stream.emplace(std::move(socket));
                read();
            }
        });
        m_thread = std::thread([this] { m_io.run(); });
    }
    ~RecordingServer()
    {
        boost::asio::post(m_io, [this] { m_io.stop(); });
        m_thread.join();
    }
    RecordingServer(const RecordingServer&) = delete;
    RecordingServer& operator=(const RecordingServer&) = delete;

    std::uint16_t port() const { return m_acceptor.local_endpoint().port(); }
    int connections() const { return m_connections; }
    std::vector<boost::beast::http::request<boost::beast::http::string_body>> requests() const
    {
        const std::lock_guard lock(m_mutex);
        return m_requests;
    }

private:
    void read()
    {
        m_request = {};
        boost::beast::http::async_read(*m_stream, m_buffer, m_request, [this](boost::beast::error_code error, std::size_t) {
            if (error) {
                return;
            }
            std::size_t index = 0;
            {
                const std::lock_guard lock(m_mutex);
                index = m_requests.size();
                m_requests.push_back(m_request);
            }
            const int status = index < m_statuses.size() ? m_statuses[index] : 200;
            m_response = {static_cast<boost::beast::http::status>(status), 11};
            m_response.set(boost::beast::http::field::content_type, "application/json");
            m_response.body() = "{}";
            m_response.keep_alive(true);
            m_response.prepare_payload();
            boost::beast::http::async_write(*m_stream, m_response, [this](boost::beast::error_code writeError, std::size_t) {
                if (!writeError) {
                    read();
                }
            });
        });
    }

    std::vector<int> m_statuses;
    boost::asio::io_context m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    std::optional<boost::beast::tcp_stream> m_stream;
    boost::beast::flat_buffer m_buffer;
    boost::beast::http::request<boost::beast::http::string_body> m_request;
    boost::beast::http::response<boost::beast::http::string_body> m_response;
    std::atomic<int> m_connections{0};
    mutable std::mutex m_mutex;
    std::vector<boost::beast::http::request<boost::beast::http::string_body>> m_requests;
    std::thread m_thread;
};

} // namespace mm::test
