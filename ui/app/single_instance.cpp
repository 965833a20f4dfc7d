#include "app/single_instance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>

namespace mm::ui {

namespace {

constexpr char kActivate[] = "show\n";
constexpr char kShown[] = "shown\n";

/// The socket, per data folder, in the user's own runtime folder (XDG_RUNTIME_DIR, mode 0700): not
/// in the shared /tmp, where another user could take the name first. Hashed, because socket paths
/// are limited to about 100 bytes.
QString serverNameFor(const QString& folder)
{
    const QByteArray hash = QCryptographicHash::hash(QDir(folder).absolutePath().toUtf8(), QCryptographicHash::Sha256);
    const QString name = QStringLiteral("margin-monitor-") + QString::fromLatin1(hash.toHex().left(16));
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    return runtime.isEmpty() ? name : runtime + QLatin1Char('/') + name;
}

} // namespace

SingleInstance::SingleInstance(const QString& folder, QObject* parent)
    : QObject(parent), m_lock(QDir(folder).filePath(QStringLiteral("margin-monitor.lock"))), m_serverName(serverNameFor(folder))
{
    // Never stale while its process lives, however long the monitor runs; only a dead one's is.
    m_lock.setStaleLockTime(0);
    if (!QDir().mkpath(folder)) {
        m_first = true;
        m_problem = tr("cannot create %1, so a second copy of Margin Monitor is not prevented").arg(folder);
        return;
    }
    if (!m_lock.tryLock(0)) {
        if (m_lock.error() == QLockFile::LockFailedError) {
            QString host;
            QString application;
            m_lock.getLockInfo(&m_runningProcess, &host, &application);
            return;
        }
        m_first = true;
        m_problem = tr("cannot write the lock file in %1, so a second copy of Margin Monitor is not prevented").arg(folder);
        return;
    }
    m_first = true;
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    QLocalServer::removeServer(m_serverName); // a crashed copy's socket: the lock says it is gone
    if (!m_server->listen(m_serverName)) {
        m_problem = tr("a second copy cannot bring this window forward: %1").arg(m_server->errorString());
        return;
    }
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket* socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                if (!socket->canReadLine()) {
                    return;
                }
                if (socket->readLine(64) == kActivate) {
                    Q_EMIT activationRequested();
                    socket->write(kShown);
                    socket->flush();
                }
                socket->disconnectFromServer();
            });
        }
    });
}

SingleInstance::~SingleInstance() = default;

bool SingleInstance::activateRunning(int timeoutMs) const
{
    if (m_first) {
        return false;
    }
    QLocalSocket socket;
    socket.connectToServer(m_serverName);
    if (!socket.waitForConnected(timeoutMs)) {
        return false;
    }
    socket.write(kActivate);
    if (!socket.waitForBytesWritten(timeoutMs)) {
        return false;
    }
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(timeoutMs)) {
            return false;
        }
    }
    return socket.readLine(64) == kShown;
}

} // namespace mm::ui
