#include "notify/alert_tray.h"

#include <QApplication>
#include <QIcon>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QWidget>

namespace mm::ui {

namespace {

constexpr int kMessageMs = 15'000;

} // namespace

AlertTray::AlertTray(QWidget* mainWindow, QObject* parent)
    : QObject(parent)
    , m_mainWindow(mainWindow)
{
    m_window.setSingleShot(true);
    m_window.setInterval(kDefaultRateWindow);
    connect(&m_window, &QTimer::timeout, this, [this] {
        if (m_held && !m_summaryTitle.isEmpty()) {
            m_held = false;
            show(m_summaryLevel, m_summaryTitle, m_summaryBody);
        }
        m_held = false;
    });
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        return;
    }
    QIcon icon = mainWindow ? mainWindow->windowIcon() : QIcon();
    if (icon.isNull()) {
        icon = QApplication::windowIcon();
    }
    if (icon.isNull()) {
        icon = QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    }
    m_icon = new QSystemTrayIcon(icon, this);
    m_icon->setToolTip(QStringLiteral("Margin Monitor"));
    connect(m_icon, &QSystemTrayIcon::activated, this, &AlertTray::activated);
    connect(m_icon, &QSystemTrayIcon::messageClicked, this, &AlertTray::activated);
}

AlertTray::~AlertTray() = default;

void AlertTray::announce(AlertLevel level, const QString& title, const QString& body)
{
    if (m_window.isActive()) {
        m_held = true;
        return;
    }
    show(level, title, body);
}

void AlertTray::setSummary(AlertLevel worst, const QString& title, const QString& body)
{
    m_summaryLevel = worst;
    m_summaryTitle = title;
    m_summaryBody = body;
}

void AlertTray::show(AlertLevel level, const QString& title, const QString& body)
{
    m_window.start();
    ++m_messagesShown;
    if (!m_icon) {
        return;
    }
    m_icon->show();
    m_icon->showMessage(title, body, level == AlertLevel::Warning ? QSystemTrayIcon::Warning : QSystemTrayIcon::Critical, kMessageMs);
}

void AlertTray::setActive(bool active)
{
    if (!active) {
        // Nothing live: a held summary would announce alerts that are already over.
        m_held = false;
    }
    if (m_icon) {
        m_icon->setVisible(active);
    }
}

void AlertTray::requestAttention()
{
    if (m_mainWindow) {
        QApplication::alert(m_mainWindow, 0);
    }
}

} // namespace mm::ui
