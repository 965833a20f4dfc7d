#pragma once

#include "alerts/alert_event.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <chrono>

class QSystemTrayIcon;
class QWidget;

namespace mm::ui {

/// The system tray message and the taskbar's attention, where the desktop has them. Messages are
/// rate-limited: within the window after one message, further ones are held and folded into one
/// summary at the window's end, so a cascade is one or two bubbles, never twenty.
class AlertTray : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kDefaultRateWindow{2000};

    /// `mainWindow` (may be null): its icon for the tray, and the window whose taskbar entry asks for attention.
    explicit AlertTray(QWidget* mainWindow, QObject* parent = nullptr);
    ~AlertTray() override;

    /// Whether a system tray exists (QSystemTrayIcon::isSystemTrayAvailable() when it was built).
    bool isAvailable() const { return m_icon != nullptr; }
    /// A message now; or, when one was shown within the rate window, held and folded into the summary.
    void announce(AlertLevel level, const QString& title, const QString& body);
    /// The summary shown at the window's end when messages were held: set by the Notifier as alerts change.
    void setSummary(AlertLevel worst, const QString& title, const QString& body);
    /// The tray icon is shown while alerts are live.
    void setActive(bool active);
    /// Asks the window manager to mark the main window's taskbar entry until the trader looks.
    void requestAttention();
    int messagesShown() const { return m_messagesShown; }

Q_SIGNALS:
    /// The trader clicked the tray icon or a message: bring the alerts up.
    void activated();

private:
    void show(AlertLevel level, const QString& title, const QString& body);

    QPointer<QWidget> m_mainWindow;
    QSystemTrayIcon* m_icon = nullptr;
    QTimer m_window;
    bool m_held = false;
    AlertLevel m_summaryLevel = AlertLevel::Warning;
    QString m_summaryTitle;
    QString m_summaryBody;
    int m_messagesShown = 0;
};

} // namespace mm::ui
