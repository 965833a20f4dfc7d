#include "sim/throwaway_certificates.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace mm::sim {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Certificate = std::unique_ptr<X509, decltype(&X509_free)>;

[[noreturn]] void fail(const char* step)
{
    char detail[256] = "unknown error";
    if (const unsigned long code = ERR_get_error(); code != 0) {
        ERR_error_string_n(code, detail, sizeof detail);
    }
    ERR_clear_error();
    throw std::runtime_error(std::string("throw-away TLS certificate: ") + step + " failed: " + detail);
}

Key newKey()
{
    Key key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    if (!key) {
        fail("generating an EC P-256 key");
    }
    return key;
}

/// A certificate for `subject`'s key, signed by `issuerKey` as `issuer` (itself when null).
Certificate newCertificate(EVP_PKEY* subjectKey, const char* commonName, X509* issuer, EVP_PKEY* issuerKey,
                           const std::vector<std::pair<int, const char*>>& extensions)
{
    Certificate certificate(X509_new(), X509_free);
    unsigned char serial[16];
    if (!certificate || X509_set_version(certificate.get(), 2) != 1 || RAND_bytes(serial, sizeof serial) != 1) {
        fail("creating a certificate");
    }
    serial[0] &= 0x7f; // a positive serial number
    BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
    const bool serialSet = number != nullptr && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate.get())) != nullptr;
    BN_free(number);
    if (!serialSet || X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -300) == nullptr ||
        X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 24 * 3600) == nullptr ||
        X509_set_pubkey(certificate.get(), subjectKey) != 1) {
        fail("filling in the certificate");
    }
    X509_NAME* name = X509_get_subject_name(certificate.get());
    if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Margin Monitor demo"), -1, -1, 0) != 1 ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(commonName), -1, -1, 0) != 1 ||
        X509_set_issuer_name(certificate.get(), issuer ? X509_get_subject_name(issuer) : name) != 1) {
        fail("naming the certificate");
    }
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer ? issuer : certificate.get(), certificate.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : extensions) {
        X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
        const bool added = extension != nullptr && X509_add_ext(certificate.get(), extension, -1) == 1;
        X509_EXTENSION_free(extension);
        if (!added) {
            fail("adding a certificate extension");
        }
    }
    if (X509_sign(certificate.get(), issuerKey, EVP_sha256()) == 0) {
        fail("signing the certificate");
    }
    return certificate;
}

template <typename Write> std::string pem(Write write)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || !write(bio.get())) {
        fail("writing PEM");
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

} // namespace

ThrowawayCertificates ThrowawayCertificates::make()
{
    const Key authorityKey = newKey();
    const Certificate authority = newCertificate(authorityKey.get(), "Margin Monitor demo CA (throw-away)", nullptr, authorityKey.get(),
                                                 {{NID_basic_constraints, "critical,CA:TRUE"},
                                                  {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                                  {NID_subject_key_identifier, "hash"}});
    const Key serverKey = newKey();
    const Certificate server = newCertificate(serverKey.get(), "127.0.0.1", authority.get(), authorityKey.get(),
                                              {{NID_basic_constraints, "critical,CA:FALSE"},
                                               {NID_key_usage, "critical,digitalSignature"},
                                               {NID_ext_key_usage, "serverAuth"},
                                               {NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                                               {NID_subject_key_identifier, "hash"},
                                               {NID_authority_key_identifier, "keyid"}});
    ThrowawayCertificates result;
    result.authorityPem = pem([&](BIO* bio) { return PEM_write_bio_X509(bio, authority.get()) == 1; });
    result.serverCertificatePem = pem([&](BIO* bio) { return PEM_write_bio_X509(bio, server.get()) == 1; });
    result.serverKeyPem = pem([&](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, serverKey.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    });
    return result;
}

} // namespace mm::sim
