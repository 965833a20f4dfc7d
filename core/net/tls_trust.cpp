#include "net/tls_trust.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>

#include <openssl/err.h>

#include <stdexcept>

namespace mm {

std::shared_ptr<boost::asio::ssl::context> makeClientTlsContext(const TlsTrust& trust)
{
    namespace ssl = boost::asio::ssl;
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    context->set_verify_mode(ssl::verify_peer);
    boost::system::error_code error;
    std::string source;
    if (!trust.caPem.empty()) {
        source = " given as PEM text";
        context->add_certificate_authority(boost::asio::buffer(trust.caPem), error);
    } else if (!trust.caFile.empty()) {
        source = " from " + trust.caFile;
        context->load_verify_file(trust.caFile, error);
    } else {
        source = " of the system store";
        context->set_default_verify_paths(error);
    }
    if (error) {
        throw std::invalid_argument("cannot load the trusted certificates" + source + ": " + error.message());
    }
    return context;
}

bool isIpAddress(const std::string& host)
{
    boost::system::error_code error;
    (void)boost::asio::ip::make_address(host, error);
    return !error;
}

std::string describeTlsError(const boost::system::error_code& error)
{
    if (error.category() == boost::asio::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(error.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
        return "the server's certificate is not trusted or is not for this host (" + error.message() + ")";
    }
    return error.message();
}

} // namespace mm
