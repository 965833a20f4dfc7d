#include "app/about_dialog.h"

#include "app/app_files.h"
#include "version.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <QtGlobal>

namespace mm::ui {

namespace {

QString folder(const QString& path)
{
    return path.isEmpty() ? QObject::tr("(none on this system)") : QDir::toNativeSeparators(path).toHtmlEscaped();
}

} // namespace

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Margin Monitor"));

    auto* icon = new QLabel(this);
    icon->setPixmap(AppFiles::appIcon().pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);

    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("aboutText"));
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setWordWrap(true);
    const QString shared = AppFiles::sharedFolder();
    m_text->setText(tr("<h2>Margin Monitor %1</h2>"
                       "<p>Watches leveraged crypto-derivatives positions on several exchanges against live mark "
                       "prices: the distance to liquidation on every tick, alerts early enough to act, and — only "
                       "where you opted in — a guarded reduction before the exchange liquidates.</p>"
                       "<p>Built with Qt %2, running on Qt %3.</p>"
                       "<p><b>Your settings</b> (exchange accounts, alert rules): %4<br>"
                       "<b>Your data</b> (manual positions, the alert and action journal): %5<br>"
                       "API keys are kept in the system keychain, never in these files. Uninstalling Margin "
                       "Monitor leaves both folders as they are.</p>"
                       "<p><b>Program files</b>: %6</p>")
                        .arg(QStringLiteral(MM_VERSION), QStringLiteral(QT_VERSION_STR),
                             QString::fromLatin1(qVersion()), folder(AppFiles::configFolder()),
                             folder(AppFiles::dataFolder()),
                             shared.isEmpty() ? tr("embedded in the executable") : folder(shared)));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* row = new QHBoxLayout;
    row->addWidget(icon);
    row->addWidget(m_text, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

QString AboutDialog::text() const
{
    return m_text->text();
}

} // namespace mm::ui
