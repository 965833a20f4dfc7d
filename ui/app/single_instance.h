#pragma once

#include <QLockFile>
#include <QObject>
#include <QString>

class QLocalServer;

namespace mm::ui {

/// One Margin Monitor per data folder (per user). A second copy — the menu entry clicked again —
/// would raise every alert twice and, with automatic deleveraging on, could reduce a position twice:
/// its alert episodes, and so its client order ids, are its own.
///
/// The first copy holds a lock file in the data folder (released on exit; a crashed copy's lock is
/// taken over, since its process is gone) and listens on a local socket. A later copy finds the
/// lock, asks the first to bring its window forward, and ends. The socket lives in the user's
/// runtime folder (XDG_RUNTIME_DIR), never in the shared /tmp.
class SingleInstance : public QObject {
    Q_OBJECT
public:
    /// Tries to become the one for `folder` (created if missing).
    explicit SingleInstance(const QString& folder, QObject* parent = nullptr);
    ~SingleInstance() override;

    /// Whether this process holds the lock (also true when the folder cannot hold one: then
    /// `problem()` says why and nothing is guarded).
    [[nodiscard]] bool isFirst() const { return m_first; }
    /// The running copy's process id, when another holds the lock.
    [[nodiscard]] qint64 runningProcess() const { return m_runningProcess; }
    /// Where the running copy listens (a socket in the user's runtime folder).
    [[nodiscard]] QString socketPath() const { return m_serverName; }
    /// Why the lock could not be used ("" when it works).
    [[nodiscard]] QString problem() const { return m_problem; }

    /// Not the first: asks the running copy to show its window; whether it confirmed in time.
    bool activateRunning(int timeoutMs = 2000) const;

Q_SIGNALS:
    /// Another copy was started and asked this one to show itself.
    void activationRequested();

private:
    QLockFile m_lock;
    QString m_serverName;
    QLocalServer* m_server = nullptr;
    bool m_first = false;
    qint64 m_runningProcess = 0;
    QString m_problem;
};

} // namespace mm::ui
