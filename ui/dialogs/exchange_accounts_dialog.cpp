#include "dialogs/exchange_accounts_dialog.h"

#include "bridge/key_checker.h"
#include "dialogs/account_secrets.h"
#include "keychain/secret_store.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mm::ui {
namespace {

enum Column { NameColumn, ExchangeColumn, EnvironmentColumn, KeyColumn, ColumnCount };

QString shortAddress(const std::string& address)
{
    const QString text = QString::fromStdString(address);
    return text.size() > 12 ? text.left(6) + QStringLiteral("…") + text.right(4) : text;
}

} // namespace

ExchangeAccountsDialog::ExchangeAccountsDialog(const QString& configPath, SecretStore* secrets, KeyChecker* checker,
                                               QWidget* parent)
    : QDialog(parent), m_store(configPath)
{
    setObjectName(QStringLiteral("exchangeAccountsDialog"));
    setWindowTitle(tr("Exchanges — accounts and API keys"));
    m_secrets = secrets != nullptr ? secrets : new SecretStore(QStringLiteral("margin-monitor"), this);
    m_checker = checker != nullptr ? checker : new KeyChecker(this);

    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("The exchange accounts whose positions and balances are read with an API key — or, on "
                                "Hyperliquid, by wallet address. Keys are kept in the system keychain, never in a "
                                "file; give the read key read permission only. The list is kept in %1.")
                                 .arg(QDir::toNativeSeparators(m_store.path())),
                             this);
    intro->setWordWrap(true);
    intro->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(intro);

    m_loadBanner = new QLabel(this);
    m_loadBanner->setObjectName(QStringLiteral("loadProblem"));
    m_loadBanner->setWordWrap(true);
    m_loadBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_loadBanner->setStyleSheet(QStringLiteral(
        "QLabel { background: #4a0d0d; color: #ffd7d5; border: 1px solid #f85149; padding: 6px; font-weight: bold; }"));
    m_loadBanner->hide();
    layout->addWidget(m_loadBanner);

    m_keychainBanner = new QLabel(this);
    m_keychainBanner->setObjectName(QStringLiteral("keychainMessage"));
    m_keychainBanner->setWordWrap(true);
    m_keychainBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_keychainBanner->setStyleSheet(QStringLiteral(
        "QLabel { background: #5a3a00; color: #ffe3a3; border: 1px solid #d29922; padding: 6px; }"));
    m_keychainBanner->setTextFormat(Qt::RichText);
    m_keychainBanner->hide();
    layout->addWidget(m_keychainBanner);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("accounts"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Exchange"), tr("Environment"), tr("Key")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);
    m_emptyHint = new QLabel(tr("No exchange account yet. Add… one with a read-only API key — or, for Hyperliquid, "
                                "just the wallet address."),
                             this);
    m_emptyHint->setObjectName(QStringLiteral("emptyHint"));
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setStyleSheet(QStringLiteral("QLabel { background: #1f3a5a; color: #dcecff; padding: 6px; }"));
    layout->addWidget(m_emptyHint);

    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add…"), this);
    add->setObjectName(QStringLiteral("add"));
    m_edit = new QPushButton(tr("Edit…"), this);
    m_edit->setObjectName(QStringLiteral("edit"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("remove"));
    m_remove->setToolTip(tr("Remove the account and delete its keys from the keychain"));
    buttons->addWidget(add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(close);

    connect(add, &QPushButton::clicked, this, &ExchangeAccountsDialog::onAdd);
    connect(m_edit, &QPushButton::clicked, this, &ExchangeAccountsDialog::onEdit);
    connect(m_remove, &QPushButton::clicked, this, &ExchangeAccountsDialog::onRemove);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, &ExchangeAccountsDialog::onEdit);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ExchangeAccountsDialog::updateButtons);

    const AccountsStore::Loaded loaded = m_store.load();
    if (!loaded.problem.isEmpty()) {
        const QString where = loaded.field.isEmpty() ? QString() : loaded.field + QStringLiteral(": ");
        m_loadProblem = tr("%1 cannot be read — %2%3. No account from it is shown. The file is left as it is; the "
                           "next save keeps it beside the new one as %4.broken-<date>-<time>.")
                            .arg(QDir::toNativeSeparators(m_store.path()), where, loaded.reason,
                                 QFileInfo(m_store.path()).fileName());
    }
    m_status->setText(tr("Checking the keychain…"));
    showAccounts(m_store.accounts().empty() ? -1 : 0);
    updateBanners();

    QPointer<ExchangeAccountsDialog> self(this);
    m_secrets->checkAvailable([self](const SecretStore::Result& result) {
        if (self.isNull()) {
            return;
        }
        self->m_keychain = result.status == SecretStore::Status::Ok ? KeychainState::Available : KeychainState::Unavailable;
        self->m_keychainProblem = result.problem;
        self->m_status->clear();
        for (AccountEditor* editor : self->findChildren<AccountEditor*>()) {
            editor->setKeychainState(self->m_keychain, self->m_keychainProblem);
        }
        self->updateBanners();
        self->showAccounts(self->currentRow());
        self->readKeyPresence();
        Q_EMIT self->keychainChecked();
    });
    resize(860, 420);
}

ExchangeAccountsDialog::~ExchangeAccountsDialog() = default;

int ExchangeAccountsDialog::currentRow() const
{
    const auto selected = m_table->selectionModel()->selectedRows();
    const int row = selected.isEmpty() ? m_table->currentRow() : selected.front().row();
    return row >= 0 && row < static_cast<int>(accounts().size()) ? row : -1;
}

QString ExchangeAccountsDialog::keyStatusText(int row) const
{
    if (row < 0 || row >= static_cast<int>(accounts().size())) {
        return {};
    }
    const AccountSettings& account = accounts()[static_cast<std::size_t>(row)];
    if (!venueNeedsKey(account.venue)) {
        return tr("no key needed — read by wallet %1").arg(shortAddress(account.walletAddress));
    }
    if (m_keychain == KeychainState::Unavailable) {
        return tr("cannot be used here: no keychain to hold its key");
    }
    const auto found = m_keyStatus.find(account.id);
    if (found == m_keyStatus.end() || found->second.isEmpty()) {
        return m_keychain == KeychainState::Unknown ? tr("…") : tr("looking in the keychain…");
    }
    return found->second + (account.hasTradeKey ? tr(" · separate trade key") : QString());
}

void ExchangeAccountsDialog::showAccounts(int select)
{
    const QSignalBlocker blocker(m_table);
    m_table->setRowCount(static_cast<int>(accounts().size()));
    for (int row = 0; row < static_cast<int>(accounts().size()); ++row) {
        const AccountSettings& account = accounts()[static_cast<std::size_t>(row)];
        const QString key = keyStatusText(row);
        const std::array<QString, ColumnCount> cells{QString::fromStdString(account.label), settingsVenueName(account.venue),
                                                     settingsEnvironmentText(account), key};
        for (int column = 0; column < ColumnCount; ++column) {
            auto* item = new QTableWidgetItem(cells[static_cast<std::size_t>(column)]);
            item->setToolTip(cells[static_cast<std::size_t>(column)]);
            m_table->setItem(row, column, item);
        }
        QTableWidgetItem* keyItem = m_table->item(row, KeyColumn);
        if (key.startsWith(tr("not usable")) || key.startsWith(tr("saved without")) || key.startsWith(tr("cannot")) ||
            key.startsWith(tr("no key in"))) {
            keyItem->setForeground(QColor(QStringLiteral("#f85149")));
        } else if (key.startsWith(tr("usable"))) {
            keyItem->setForeground(QColor(QStringLiteral("#3fb950")));
        }
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_emptyHint->setVisible(accounts().empty());
    if (select >= 0 && select < m_table->rowCount()) {
        m_table->selectRow(select);
    } else {
        m_table->clearSelection();
    }
    updateButtons();
}

void ExchangeAccountsDialog::updateButtons()
{
    const bool chosen = currentRow() >= 0;
    m_edit->setEnabled(chosen);
    m_remove->setEnabled(chosen);
}

void ExchangeAccountsDialog::updateBanners()
{
    m_loadBanner->setText(m_loadProblem);
    m_loadBanner->setVisible(!m_loadProblem.isEmpty());
    const QString message =
        tr("No keychain works on this machine, so API keys cannot be stored here: Binance, Bybit and OKX accounts cannot "
           "be saved (keys are never written to a file instead). Manual positions, public prices and Hyperliquid "
           "accounts (read by wallet address) keep working.");
    // The keychain's own words below, smaller: for whoever sets one up.
    m_keychainBanner->setText(QStringLiteral("<b>%1</b>").arg(message.toHtmlEscaped()) +
                              (m_keychainProblem.isEmpty()
                                   ? QString()
                                   : QStringLiteral("<br><span style=\"font-weight: normal; font-size: small;\">%1</span>")
                                         .arg(m_keychainProblem.toHtmlEscaped())));
    m_keychainBanner->setVisible(m_keychain == KeychainState::Unavailable);
}

void ExchangeAccountsDialog::readKeyPresence()
{
    if (m_keychain != KeychainState::Available) {
        return;
    }
    QPointer<ExchangeAccountsDialog> self(this);
    for (const AccountSettings& account : accounts()) {
        if (!venueNeedsKey(account.venue) || !m_keyStatus[account.id].isEmpty()) {
            continue;
        }
        const std::string id = account.id;
        m_secrets->read(secretKey(QString::fromStdString(id), account_secret::kReadKey), [self, id](const SecretStore::Result& read) {
            if (self.isNull() || !self->m_keyStatus[id].isEmpty()) {
                return;
            }
            if (read.status == SecretStore::Status::Ok) {
                self->m_keyStatus[id] = tr("key %1 in the keychain")
                                            .arg(QString::fromStdString(ApiCredentials{read.secret.toStdString(), {}, {}}.describe()));
            } else if (read.status == SecretStore::Status::NotFound) {
                self->m_keyStatus[id] = tr("no key in the keychain — Edit… to enter it");
            } else {
                self->m_keyStatus[id] = read.problem;
            }
            self->showAccounts(self->currentRow());
        });
    }
}

QString ExchangeAccountsDialog::commit(const AccountSettings& account)
{
    std::vector<AccountSettings> next = accounts();
    int row = -1;
    for (std::size_t i = 0; i < next.size(); ++i) {
        if (next[i].id == account.id) {
            next[i] = account;
            row = static_cast<int>(i);
        }
    }
    if (row < 0) {
        next.push_back(account);
        row = static_cast<int>(next.size()) - 1;
    }
    const bool hadBrokenFile = m_store.holdsBrokenFile();
    QString problem;
    if (!m_store.save(next, &problem)) {
        return problem;
    }
    if (hadBrokenFile) {
        m_loadProblem.clear();
        updateBanners();
        m_status->setText(tr("Saved. The file that could not be read was kept beside it as %1.broken-<date>-<time>.")
                              .arg(QFileInfo(m_store.path()).fileName()));
    } else {
        m_status->setText(tr("Saved “%1”.").arg(QString::fromStdString(account.label)));
    }
    m_keyStatus.erase(account.id); // the editor says what it knows once it has closed
    showAccounts(row);
    Q_EMIT accountsChanged(accounts());
    return {};
}

AccountEditor* ExchangeAccountsDialog::editor(int row)
{
    std::optional<AccountSettings> existing;
    if (row >= 0 && row < static_cast<int>(accounts().size())) {
        existing = accounts()[static_cast<std::size_t>(row)];
    }
    std::vector<std::string> taken;
    for (const AccountSettings& account : accounts()) {
        taken.push_back(account.id);
    }
    auto* form = new AccountEditor(existing, taken, *m_secrets, *m_checker,
                                   [this](const AccountSettings& account) { return commit(account); }, this);
    form->setKeychainState(m_keychain, m_keychainProblem);
    connect(form, &AccountEditor::saved, this, [this, form](const AccountSettings& account) {
        m_keyStatus[account.id] = form->keyStatus();
        if (form->keyStatus().isEmpty()) {
            readKeyPresence();
        }
        int savedRow = -1;
        for (std::size_t i = 0; i < accounts().size(); ++i) {
            if (accounts()[i].id == account.id) {
                savedRow = static_cast<int>(i);
            }
        }
        showAccounts(savedRow);
    });
    return form;
}

void ExchangeAccountsDialog::openEditor(AccountEditor* form)
{
    form->setAttribute(Qt::WA_DeleteOnClose);
    form->open();
}

void ExchangeAccountsDialog::onAdd()
{
    openEditor(editor(-1));
}

void ExchangeAccountsDialog::onEdit()
{
    const int row = currentRow();
    if (row >= 0) {
        openEditor(editor(row));
    }
}

void ExchangeAccountsDialog::onRemove()
{
    const int row = currentRow();
    if (row < 0) {
        return;
    }
    const AccountSettings& account = accounts()[static_cast<std::size_t>(row)];
    const QString question =
        venueNeedsKey(account.venue)
            ? tr("Remove “%1” (%2) and delete its keys from the keychain?\n\nThe keys stay valid on the exchange: "
                 "revoke them there if you no longer use them.")
                  .arg(QString::fromStdString(account.label), settingsVenueName(account.venue))
            : tr("Remove “%1” (%2)?").arg(QString::fromStdString(account.label), settingsVenueName(account.venue));
    if (QMessageBox::question(this, tr("Remove the account"), question) != QMessageBox::Yes) {
        return;
    }
    const QString problem = removeAccount(row);
    if (!problem.isEmpty()) {
        QMessageBox::warning(this, tr("Remove the account"), problem);
    }
}

QString ExchangeAccountsDialog::removeAccount(int row, SecretStore::Callback removed)
{
    if (row < 0 || row >= static_cast<int>(accounts().size())) {
        return tr("no account is chosen");
    }
    const AccountSettings account = accounts()[static_cast<std::size_t>(row)];
    std::vector<AccountSettings> next = accounts();
    next.erase(next.begin() + row);
    QString problem;
    if (!m_store.save(next, &problem)) {
        return problem;
    }
    m_keyStatus.erase(account.id);
    m_status->setText(tr("Removed “%1”.").arg(QString::fromStdString(account.label)));
    showAccounts(std::min(row, static_cast<int>(next.size()) - 1));
    Q_EMIT accountsChanged(accounts());
    // Hyperliquid accounts never had entries (one moved from a keyed exchange had them removed then).
    if (!venueNeedsKey(account.venue)) {
        if (removed) {
            removed({SecretStore::Status::Ok, {}, {}});
        }
        return {};
    }
    QPointer<ExchangeAccountsDialog> self(this);
    const QString label = QString::fromStdString(account.label);
    removeSecrets(*m_secrets, allSecretKeys(QString::fromStdString(account.id)),
                  [self, label, removed = std::move(removed)](const SecretStore::Result& result) {
                      if (!self.isNull() && result.status != SecretStore::Status::Ok) {
                          self->m_status->setText(tr("Removed “%1”, but its keys could not be deleted from the keychain: %2")
                                                      .arg(label, result.problem));
                      }
                      if (removed) {
                          removed(result);
                      }
                  });
    return {};
}

} // namespace mm::ui
