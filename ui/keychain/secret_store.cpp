#include "keychain/secret_store.h"

#include <qt6keychain/keychain.h>

#include <QUuid>

namespace mm::ui {
namespace {

SecretStore::Status statusOf(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return SecretStore::Status::Ok;
    case QKeychain::EntryNotFound:
        return SecretStore::Status::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return SecretStore::Status::NoKeychain;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return SecretStore::Status::AccessDenied;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    return SecretStore::Status::Failed;
}

QString problemOf(SecretStore::Status status, const QString& detail)
{
    switch (status) {
    case SecretStore::Status::Ok:
        return {};
    case SecretStore::Status::NotFound:
        return QObject::tr("no secret is stored in the keychain for this account");
    case SecretStore::Status::NoKeychain:
        return QObject::tr("no keychain is available (on Linux: a Secret Service such as GNOME Keyring or KWallet); "
                           "API keys cannot be stored, so accounts with keys are not watched — manual positions, "
                           "public prices and Hyperliquid addresses work without one (%1)")
            .arg(detail);
    case SecretStore::Status::AccessDenied:
        return QObject::tr("the keychain refused access (%1)").arg(detail);
    case SecretStore::Status::Failed:
        break;
    }
    return QObject::tr("the keychain failed: %1").arg(detail);
}

/// Starts a job and answers `done` once it finished, if the store still exists.
void run(QKeychain::Job* job, SecretStore* store, std::function<void(QKeychain::Job&)> finish)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plaintext file instead of the keychain
    QObject::connect(job, &QKeychain::Job::finished, store,
                     [finish = std::move(finish)](QKeychain::Job* finished) { finish(*finished); });
    job->start();
}

SecretStore::Result resultOf(const QKeychain::Job& job)
{
    const SecretStore::Status status = statusOf(job.error());
    return {status, {}, problemOf(status, job.errorString())};
}

} // namespace

SecretStore::SecretStore(QString service, QObject* parent) : QObject(parent), m_service(std::move(service)) {}

void SecretStore::write(const QString& key, const QString& secret, Callback done)
{
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setTextData(secret);
    run(job, this, [done = std::move(done)](QKeychain::Job& finished) { done(resultOf(finished)); });
}

void SecretStore::read(const QString& key, Callback done)
{
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    run(job, this, [done = std::move(done)](QKeychain::Job& finished) {
        Result result = resultOf(finished);
        if (result.status == Status::Ok) {
            result.secret = static_cast<QKeychain::ReadPasswordJob&>(finished).textData();
        }
        done(result);
    });
}

void SecretStore::remove(const QString& key, Callback done)
{
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    run(job, this, [done = std::move(done)](QKeychain::Job& finished) {
        Result result = resultOf(finished);
        if (result.status == Status::NotFound) {
            result = {Status::Ok, {}, {}};
        }
        done(result);
    });
}

void SecretStore::checkAvailable(Callback done)
{
    // A keychain that cannot be reached shows in many ways (no backend; "Could not connect"; a
    // Secret Service without a login collection): whatever stops the probe means no working keychain.
    const auto unavailable = [](const Result& failed) {
        return failed.status == Status::NoKeychain || failed.status == Status::AccessDenied
                   ? failed
                   : Result{Status::NoKeychain, {}, problemOf(Status::NoKeychain, failed.problem)};
    };
    const QString key = QStringLiteral("probe/") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString value = QUuid::createUuid().toString();
    write(key, value, [this, key, value, done, unavailable](const Result& written) {
        if (written.status != Status::Ok) {
            done(unavailable(written));
            return;
        }
        read(key, [this, key, value, done](const Result& read) {
            remove(key, [read, value, done](const Result& removed) {
                if (read.status != Status::Ok) {
                    done({read.status, {}, read.problem});
                } else if (read.secret != value) {
                    done({Status::Failed, {}, problemOf(Status::Failed, QObject::tr("a secret read back differs from the one written"))});
                } else {
                    done({removed.status, {}, removed.problem});
                }
            });
        });
    });
}

QString secretKey(const QString& accountId, const QString& what)
{
    return accountId + QLatin1Char('/') + what;
}

} // namespace mm::ui
