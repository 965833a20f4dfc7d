#include "dialogs/account_editor.h"

#include "bridge/key_checker.h"
#include "dialogs/account_secrets.h"
#include "keychain/secret_store.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontMetrics>
#include <QFormLayout>
#include <QGuiApplication>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRandomGenerator>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace mm::ui {
namespace {

constexpr std::array<Venue, 4> kVenues{Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap, Venue::Hyperliquid};
constexpr std::array<VenueEnvironment, 3> kEnvironments{VenueEnvironment::Mainnet, VenueEnvironment::Testnet,
                                                        VenueEnvironment::Custom};

// Colours that read on the dark theme and on a light one alike.
const QString kGood = QStringLiteral("#3fb950");
const QString kBad = QStringLiteral("#f85149");
const QString kWarning = QStringLiteral("#d29922");

/// checkAccountSettings' field names in the form's words.
QString fieldLabel(const QString& field)
{
    static const std::map<QString, QString> labels{
        {QStringLiteral("id"), QObject::tr("Account id")},
        {QStringLiteral("label"), QObject::tr("Name")},
        {QStringLiteral("venue"), QObject::tr("Exchange")},
        {QStringLiteral("environment"), QObject::tr("Environment")},
        {QStringLiteral("customUrl"), QObject::tr("Custom URL")},
        {QStringLiteral("walletAddress"), QObject::tr("Wallet address")},
        {QStringLiteral("hasTradeKey"), QObject::tr("Trade key")},
    };
    const auto found = labels.find(field);
    return found != labels.end() ? found->second : field;
}

QString newAccountId(const std::vector<std::string>& taken)
{
    for (;;) {
        const QString id = QStringLiteral("acct-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        if (std::find(taken.begin(), taken.end(), id.toStdString()) == taken.end()) {
            return id;
        }
    }
}

QLineEdit* secretField(QWidget* parent, const QString& name, QLineEdit::EchoMode echo)
{
    auto* field = new QLineEdit(parent);
    field->setObjectName(name);
    field->setEchoMode(echo);
    field->setAttribute(Qt::WA_InputMethodEnabled, false); // no input method keeps a copy of what is typed
    field->setContextMenuPolicy(Qt::NoContextMenu);
    field->setMinimumWidth(360);
    return field;
}

QString yesNo(const std::optional<bool>& value)
{
    return !value ? QObject::tr("not reported") : (*value ? QObject::tr("yes") : QObject::tr("no"));
}

QString permissionsText(const KeyPermissions& permissions)
{
    return QObject::tr("read %1 · trade %2 · withdraw %3 · IP restricted %4")
        .arg(permissions.canRead ? QObject::tr("yes") : QObject::tr("no"), yesNo(permissions.canTrade),
             yesNo(permissions.canWithdraw), yesNo(permissions.ipRestricted));
}

} // namespace

QString settingsVenueName(Venue venue)
{
    switch (venue) {
    case Venue::BinanceUsdm:
        // Binance's own spelling, where the font has the circled S (U+24C8); plain S elsewhere, never a box.
        return QFontMetrics(QGuiApplication::font()).inFontUcs4(0x24C8) ? QStringLiteral("Binance USDⓈ-M")
                                                                        : QStringLiteral("Binance USDS-M");
    case Venue::BybitLinear:
        return QStringLiteral("Bybit linear");
    case Venue::OkxSwap:
        return QStringLiteral("OKX swaps");
    case Venue::Hyperliquid:
        return QStringLiteral("Hyperliquid");
    case Venue::Generic:
        break;
    }
    return QStringLiteral("Generic");
}

QString settingsEnvironmentText(const AccountSettings& account)
{
    switch (account.environment) {
    case VenueEnvironment::Mainnet:
        return QObject::tr("Mainnet");
    case VenueEnvironment::Testnet:
        return account.venue == Venue::OkxSwap ? QObject::tr("Testnet (demo trading)") : QObject::tr("Testnet");
    case VenueEnvironment::Custom:
        return QObject::tr("Custom — %1").arg(QString::fromStdString(account.customUrl));
    }
    return {};
}

AccountEditor::AccountEditor(std::optional<AccountSettings> existing, const std::vector<std::string>& takenIds,
                             SecretStore& secrets, KeyChecker& checker, Commit commit, QWidget* parent)
    : QDialog(parent), m_existing(std::move(existing)), m_secrets(secrets), m_checker(checker), m_commit(std::move(commit))
{
    m_id = m_existing ? m_existing->id : newAccountId(takenIds).toStdString();
    setObjectName(QStringLiteral("accountEditor"));
    setWindowTitle(m_existing ? tr("Edit the exchange account") : tr("Add an exchange account"));
    setMinimumWidth(620);
    auto* layout = new QVBoxLayout(this);

    // The account: name, exchange, where it is reached; the wallet address for Hyperliquid.
    auto* connection = new QGroupBox(tr("Account"), this);
    m_connectionForm = new QFormLayout(connection);
    m_label = new QLineEdit(connection);
    m_label->setObjectName(QStringLiteral("label"));
    m_label->setPlaceholderText(tr("a name of yours, e.g. Binance main"));
    m_venue = new QComboBox(connection);
    m_venue->setObjectName(QStringLiteral("venue"));
    for (const Venue venue : kVenues) {
        m_venue->addItem(settingsVenueName(venue), QString::fromUtf8(venueName(venue).data()));
    }
    m_environment = new QComboBox(connection);
    m_environment->setObjectName(QStringLiteral("environment"));
    m_environment->addItem(tr("Mainnet"), QStringLiteral("mainnet"));
    m_environment->addItem(tr("Testnet"), QStringLiteral("testnet"));
    m_environment->addItem(tr("Custom URL"), QStringLiteral("custom"));
    m_environment->setToolTip(tr("Testnet: the exchange's test network (OKX: demo trading). Custom URL: one base "
                                 "address serving the exchange's REST and WebSocket paths — a proxy or the simulator"));
    m_customUrl = new QLineEdit(connection);
    m_customUrl->setObjectName(QStringLiteral("customUrl"));
    m_customUrl->setPlaceholderText(tr("https://host[:port] (http:// only to this machine)"));
    m_walletAddress = new QLineEdit(connection);
    m_walletAddress->setObjectName(QStringLiteral("walletAddress"));
    m_walletAddress->setPlaceholderText(tr("0x and 40 hex digits — public, no key needed"));
    m_connectionForm->addRow(tr("Name"), m_label);
    m_connectionForm->addRow(tr("Exchange"), m_venue);
    m_connectionForm->addRow(tr("Environment"), m_environment);
    m_connectionForm->addRow(tr("Custom URL"), m_customUrl);
    m_connectionForm->addRow(tr("Wallet address"), m_walletAddress);
    layout->addWidget(connection);

    // The no-keychain message: keyed exchanges cannot be saved here.
    m_keychainMessage = new QLabel(this);
    m_keychainMessage->setObjectName(QStringLiteral("keychainMessage"));
    m_keychainMessage->setWordWrap(true);
    m_keychainMessage->setStyleSheet(QStringLiteral(
        "QLabel { background: #5a3a00; color: #ffe3a3; border: 1px solid #d29922; padding: 6px; font-weight: bold; }"));
    m_keychainMessage->hide();
    layout->addWidget(m_keychainMessage);

    // The read key: every keyed account has one.
    m_readGroup = new QGroupBox(tr("Read key — reads positions and balances; give it read permission only"), this);
    m_readForm = new QFormLayout(m_readGroup);
    m_readKey = secretField(m_readGroup, QStringLiteral("readKey"), QLineEdit::PasswordEchoOnEdit);
    m_readSecret = secretField(m_readGroup, QStringLiteral("readSecret"), QLineEdit::Password);
    m_readPassphrase = secretField(m_readGroup, QStringLiteral("readPassphrase"), QLineEdit::Password);
    m_readPassphrase->setToolTip(tr("The passphrase chosen when the key was created on OKX"));
    m_readForm->addRow(tr("API key"), m_readKey);
    m_readForm->addRow(tr("Secret"), m_readSecret);
    m_readForm->addRow(tr("Passphrase"), m_readPassphrase);
    layout->addWidget(m_readGroup);

    // The trade key: optional, separate, used only to deleverage.
    m_tradeEnabled = new QCheckBox(tr("Use a separate trade key — only for deleveraging"), this);
    m_tradeEnabled->setObjectName(QStringLiteral("hasTradeKey"));
    m_tradeEnabled->setToolTip(tr("A second key with trade permission, used for nothing but reduce-only orders when "
                                  "you opted in to automatic deleveraging. Never give it withdraw permission."));
    layout->addWidget(m_tradeEnabled);
    m_tradeGroup = new QGroupBox(tr("Trade key — trade permission, never withdraw"), this);
    m_tradeForm = new QFormLayout(m_tradeGroup);
    m_tradeKey = secretField(m_tradeGroup, QStringLiteral("tradeKey"), QLineEdit::PasswordEchoOnEdit);
    m_tradeSecret = secretField(m_tradeGroup, QStringLiteral("tradeSecret"), QLineEdit::Password);
    m_tradePassphrase = secretField(m_tradeGroup, QStringLiteral("tradePassphrase"), QLineEdit::Password);
    m_tradeForm->addRow(tr("Trade API key"), m_tradeKey);
    m_tradeForm->addRow(tr("Trade secret"), m_tradeSecret);
    m_tradeForm->addRow(tr("Trade passphrase"), m_tradePassphrase);
    layout->addWidget(m_tradeGroup);

    // The key check: status, warnings, and the loud withdraw warning.
    m_checkPanel = new QWidget(this);
    m_checkPanel->setObjectName(QStringLiteral("keyCheckPanel"));
    auto* checkLayout = new QVBoxLayout(m_checkPanel);
    checkLayout->setContentsMargins(0, 0, 0, 0);
    auto* statusRow = new QHBoxLayout;
    m_checkIcon = new QLabel(m_checkPanel);
    m_checkIcon->setFixedSize(24, 24);
    m_checkStatus = new QLabel(m_checkPanel);
    m_checkStatus->setObjectName(QStringLiteral("keyCheckStatus"));
    m_checkStatus->setWordWrap(true);
    m_checkStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusRow->addWidget(m_checkIcon, 0, Qt::AlignTop);
    statusRow->addWidget(m_checkStatus, 1);
    checkLayout->addLayout(statusRow);
    m_checkWarnings = new QLabel(m_checkPanel);
    m_checkWarnings->setObjectName(QStringLiteral("keyCheckWarnings"));
    m_checkWarnings->setWordWrap(true);
    m_checkWarnings->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(kWarning));
    checkLayout->addWidget(m_checkWarnings);
    m_withdrawPanel = new QWidget(m_checkPanel);
    m_withdrawPanel->setObjectName(QStringLiteral("withdrawWarning"));
    m_withdrawPanel->setAttribute(Qt::WA_StyledBackground, true);
    m_withdrawPanel->setStyleSheet(
        QStringLiteral("#withdrawWarning { background: #4a0d0d; border: 2px solid #f85149; border-radius: 4px; }"));
    auto* withdrawLayout = new QHBoxLayout(m_withdrawPanel);
    auto* withdrawIcon = new QLabel(m_withdrawPanel);
    withdrawIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(32, 32));
    m_withdrawText = new QLabel(m_withdrawPanel);
    m_withdrawText->setObjectName(QStringLiteral("withdrawWarningText"));
    m_withdrawText->setWordWrap(true);
    m_withdrawText->setStyleSheet(QStringLiteral("QLabel { color: #ff9b95; font-weight: bold; font-size: 11pt; }"));
    withdrawLayout->addWidget(withdrawIcon, 0, Qt::AlignTop);
    withdrawLayout->addWidget(m_withdrawText, 1);
    checkLayout->addWidget(m_withdrawPanel);
    m_checkPanel->hide();
    layout->addWidget(m_checkPanel);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(kBad));
    m_problem->hide();
    layout->addWidget(m_problem);
    layout->addStretch(1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_saveButton = buttons->button(QDialogButtonBox::Save);
    m_saveButton->setObjectName(QStringLiteral("save"));
    m_saveButton->setToolTip(tr("Check the key on the exchange, then store it in the keychain"));
    m_checkButton = new QPushButton(tr("Check key"), this);
    m_checkButton->setObjectName(QStringLiteral("checkKey"));
    m_checkButton->setToolTip(tr("Ask the exchange what this key may do, without saving"));
    m_saveAnywayButton = buttons->addButton(tr("Save anyway"), QDialogButtonBox::ActionRole);
    m_saveAnywayButton->setObjectName(QStringLiteral("saveAnyway"));
    m_saveAnywayButton->setToolTip(tr("Store the key although the check did not pass (e.g. the exchange cannot be "
                                      "reached right now). The monitor reports the exchange's refusal if it persists."));
    m_saveAnywayButton->hide();
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_checkButton);
    buttonRow->addStretch(1);
    buttonRow->addWidget(buttons);
    layout->addLayout(buttonRow);
    // Save must not be the default button: Enter in a field would save a half-typed key.
    m_saveButton->setAutoDefault(false);
    m_saveButton->setDefault(false);
    connect(m_saveButton, &QPushButton::clicked, this, &AccountEditor::save);
    connect(m_checkButton, &QPushButton::clicked, this, &AccountEditor::checkKey);
    connect(m_saveAnywayButton, &QPushButton::clicked, this, &AccountEditor::saveAnyway);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    if (m_existing) {
        m_label->setText(QString::fromStdString(m_existing->label));
        m_venue->setCurrentIndex(std::max(0, m_venue->findData(QString::fromUtf8(venueName(m_existing->venue).data()))));
        m_environment->setCurrentIndex(
            std::max(0, m_environment->findData(QString::fromUtf8(environmentName(m_existing->environment).data()))));
        m_customUrl->setText(QString::fromStdString(m_existing->customUrl));
        m_walletAddress->setText(QString::fromStdString(m_existing->walletAddress));
        m_tradeEnabled->setChecked(m_existing->hasTradeKey);
    }
    connect(m_venue, &QComboBox::currentIndexChanged, this, &AccountEditor::venueChanged);
    connect(m_environment, &QComboBox::currentIndexChanged, this, &AccountEditor::updateVisibility);
    connect(m_tradeEnabled, &QCheckBox::toggled, this, &AccountEditor::inputChanged);
    connect(m_tradeEnabled, &QCheckBox::toggled, this, &AccountEditor::updateVisibility);
    for (QLineEdit* field : findChildren<QLineEdit*>()) {
        connect(field, &QLineEdit::textEdited, this, &AccountEditor::inputChanged);
        connect(field, &QLineEdit::textChanged, this, &AccountEditor::inputChanged);
    }
    connect(m_venue, &QComboBox::currentIndexChanged, this, &AccountEditor::inputChanged);
    connect(m_environment, &QComboBox::currentIndexChanged, this, &AccountEditor::inputChanged);
    updateVisibility();
}

AccountEditor::~AccountEditor()
{
    clearSecrets();
}

void AccountEditor::setKeychainState(KeychainState state, const QString& problem)
{
    m_keychain = state;
    m_keychainProblem = problem;
    updateVisibility();
}

AccountSettings AccountEditor::settings() const
{
    AccountSettings account;
    account.id = m_id;
    account.label = m_label->text().trimmed().toStdString();
    account.venue = venueFromName(m_venue->currentData().toString().toStdString()).value_or(Venue::BinanceUsdm);
    account.environment = kEnvironments[static_cast<std::size_t>(std::max(0, m_environment->currentIndex()))];
    if (account.environment == VenueEnvironment::Custom) {
        account.customUrl = m_customUrl->text().trimmed().toStdString();
    }
    if (venueNeedsKey(account.venue)) {
        account.hasTradeKey = m_tradeEnabled->isChecked();
    } else {
        account.walletAddress = m_walletAddress->text().trimmed().toStdString();
    }
    return account;
}

QString AccountEditor::problem() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

QString AccountEditor::keyCheckText() const
{
    if (m_checkPanel->isHidden()) {
        return {};
    }
    QStringList lines{m_checkStatus->text()};
    if (!m_checkWarnings->isHidden()) {
        lines << m_checkWarnings->text();
    }
    if (!m_withdrawPanel->isHidden()) {
        lines << m_withdrawText->text();
    }
    return lines.join(QLatin1Char('\n'));
}

QString AccountEditor::withdrawWarning() const
{
    return m_checkPanel->isHidden() || m_withdrawPanel->isHidden() ? QString() : m_withdrawText->text();
}

void AccountEditor::venueChanged()
{
    m_readResult.reset();
    m_tradeResult.reset();
    m_checkPanel->hide();
    updateVisibility();
}

void AccountEditor::updateVisibility()
{
    const AccountSettings account = settings();
    const bool keyed = venueNeedsKey(account.venue);
    const bool passphrase = venueHasPassphrase(account.venue);
    const bool noKeychain = m_keychain == KeychainState::Unavailable;
    m_connectionForm->setRowVisible(m_customUrl, account.environment == VenueEnvironment::Custom);
    m_connectionForm->setRowVisible(m_walletAddress, !keyed);
    m_readGroup->setVisible(keyed);
    m_tradeEnabled->setVisible(keyed);
    m_tradeGroup->setVisible(keyed && m_tradeEnabled->isChecked());
    m_readForm->setRowVisible(m_readPassphrase, passphrase);
    m_tradeForm->setRowVisible(m_tradePassphrase, passphrase);
    m_checkButton->setVisible(keyed);
    m_readGroup->setEnabled(!noKeychain);
    m_tradeGroup->setEnabled(!noKeychain);
    m_tradeEnabled->setEnabled(!noKeychain);
    m_checkButton->setEnabled(!noKeychain && !m_busy);
    m_keychainMessage->setVisible(keyed && noKeychain);
    m_keychainMessage->setText(
        tr("No keychain works on this machine, so API keys cannot be stored here and a %1 account cannot be saved. "
           "Keys are never written to a file instead. Manual positions, public prices and Hyperliquid accounts "
           "(read by wallet address) keep working.")
            .arg(settingsVenueName(account.venue)) +
        QString());
    m_keychainMessage->setToolTip(m_keychainProblem);

    // Empty secret fields keep the keychain's — unless the exchange changed: its keys are new.
    const bool keepRead = m_existing && m_existing->venue == account.venue;
    const bool keepTrade = keepRead && m_existing->hasTradeKey;
    const QString kept = tr("stored in the keychain — leave empty to keep it");
    m_readKey->setPlaceholderText(keepRead ? kept : tr("from the exchange's API management page"));
    m_readSecret->setPlaceholderText(keepRead ? kept : tr("shown once when the key was created"));
    m_readPassphrase->setPlaceholderText(keepRead ? kept : tr("chosen when the key was created"));
    m_tradeKey->setPlaceholderText(keepTrade ? kept : tr("a different key, with trade permission and no withdraw"));
    m_tradeSecret->setPlaceholderText(keepTrade ? kept : tr("its secret"));
    m_tradePassphrase->setPlaceholderText(keepTrade ? kept : tr("its passphrase"));
    // The trade key's fields only while it is wanted.
    fitHeight();
}

void AccountEditor::inputChanged()
{
    if (m_clearing) {
        return;
    }
    // What was checked is no longer what would be saved.
    m_checkFailed = false;
    m_saveAnywayButton->hide();
}

QString AccountEditor::checkFields(const AccountSettings& account, Credentials& credentials) const
{
    if (const std::string problem = checkAccountSettings(account); !problem.empty()) {
        const auto colon = problem.find(": ");
        if (colon == std::string::npos) {
            return QString::fromStdString(problem);
        }
        return fieldLabel(QString::fromStdString(problem.substr(0, colon))) + QStringLiteral(": ") +
               QString::fromStdString(problem.substr(colon + 2));
    }
    if (!venueNeedsKey(account.venue)) {
        return {};
    }
    if (m_keychain == KeychainState::Unavailable) {
        return tr("%1 accounts need an API key, and no keychain works on this machine to keep it: the account "
                  "cannot be saved here")
            .arg(settingsVenueName(account.venue));
    }
    const bool passphrase = venueHasPassphrase(account.venue);
    const bool sameVenue = m_existing && m_existing->venue == account.venue;
    const auto typed = [&](QLineEdit* key, QLineEdit* secret, QLineEdit* phrase, bool mustType, const QString& prefix,
                           std::optional<ApiCredentials>& into) -> QString {
        const QString keyText = key->text().trimmed();
        const QString secretText = secret->text().trimmed();
        const QString phraseText = passphrase ? phrase->text() : QString();
        if (!mustType && keyText.isEmpty() && secretText.isEmpty() && phraseText.isEmpty()) {
            return {}; // the keychain's
        }
        if (keyText.isEmpty()) {
            return tr("%1API key: is required").arg(prefix);
        }
        if (secretText.isEmpty()) {
            return tr("%1secret: is required with the API key").arg(prefix);
        }
        if (passphrase && phraseText.isEmpty()) {
            return tr("%1passphrase: is required for OKX").arg(prefix);
        }
        into = ApiCredentials{keyText.toStdString(), secretText.toStdString(), phraseText.toStdString()};
        return {};
    };
    // A new account, or one moved to another exchange, needs its keys typed; a check alone may use
    // the keychain's when editing.
    const bool readMustBeTyped = !sameVenue;
    QString problem = typed(m_readKey, m_readSecret, m_readPassphrase, readMustBeTyped, QString(), credentials.read);
    if (!problem.isEmpty()) {
        return problem.replace(0, 1, problem.at(0).toUpper());
    }
    if (account.hasTradeKey) {
        const bool tradeMustBeTyped = !sameVenue || !m_existing->hasTradeKey;
        problem = typed(m_tradeKey, m_tradeSecret, m_tradePassphrase, tradeMustBeTyped, tr("Trade "), credentials.trade);
        if (!problem.isEmpty()) {
            return problem;
        }
        if (credentials.read && credentials.trade && credentials.read->apiKey == credentials.trade->apiKey) {
            return tr("Trade API key: must be a different key from the read key — the read key should only read");
        }
    }
    return {};
}

bool AccountEditor::keysNeedCheck(const AccountSettings& account, const Credentials& credentials) const
{
    if (!venueNeedsKey(account.venue)) {
        return false;
    }
    return !m_existing || credentials.read || credentials.trade || m_existing->venue != account.venue ||
           m_existing->environment != account.environment || m_existing->customUrl != account.customUrl ||
           (account.hasTradeKey && !m_existing->hasTradeKey);
}

void AccountEditor::checkOne(const AccountSettings& account, KeyPurpose purpose, std::optional<ApiCredentials> typed,
                             std::function<void(KeyCheckResult)> then)
{
    if (typed) {
        m_checker.check(account, std::move(*typed), purpose, this, std::move(then));
        return;
    }
    QPointer<AccountEditor> self(this);
    readCredentials(m_secrets, QString::fromStdString(account.id), account.venue, purpose,
                    [self, account, purpose, then = std::move(then)](std::optional<ApiCredentials> stored, const QString& problem) {
                        if (self.isNull()) {
                            return;
                        }
                        if (!stored) {
                            KeyCheckResult result;
                            result.problem = (tr("the stored key cannot be read: %1").arg(problem)).toStdString();
                            then(result);
                            return;
                        }
                        self->m_checker.check(account, std::move(*stored), purpose, self, then);
                    });
}

void AccountEditor::runChecks(const AccountSettings& account, Credentials credentials, std::function<void(bool usable)> then)
{
    m_readResult.reset();
    m_tradeResult.reset();
    m_checkFailed = false;
    m_saveAnywayButton->hide();
    setBusy(true, tr("Checking the key on %1…").arg(settingsVenueName(account.venue)));
    const int generation = m_generation;
    // Every answer comes on this thread while the form exists (the checker and the keychain drop
    // answers to a destroyed form); one for a form closed meanwhile is dropped here.
    auto finish = [this, generation, then]() {
        if (m_generation != generation) {
            return;
        }
        const bool usable = m_readResult && m_readResult->usable && (!m_tradeResult || m_tradeResult->usable);
        m_checkFailed = !usable;
        setBusy(false);
        showChecks();
        m_saveAnywayButton->setVisible(m_checkFailed);
        Q_EMIT keyCheckShown();
        if (then) {
            then(usable);
        }
    };
    std::optional<ApiCredentials> trade = std::move(credentials.trade);
    checkOne(account, KeyPurpose::Read, std::move(credentials.read),
             [this, account, trade = std::move(trade), finish](KeyCheckResult read) mutable {
                 m_readResult = std::move(read);
                 if (!account.hasTradeKey) {
                     finish();
                     return;
                 }
                 checkOne(account, KeyPurpose::Trade, std::move(trade), [this, finish](KeyCheckResult tradeResult) {
                     m_tradeResult = std::move(tradeResult);
                     finish();
                 });
             });
}

void AccountEditor::showChecks()
{
    if (!m_readResult) {
        return;
    }
    QStringList status;
    QStringList warnings;
    QStringList withdraw;
    const auto add = [&](const QString& which, const KeyCheckResult& result) {
        if (result.usable) {
            status << tr("%1: usable — %2").arg(which, permissionsText(result.permissions));
        } else {
            status << tr("%1: not usable — %2").arg(which, QString::fromStdString(result.problem));
        }
        for (const std::string& warning : result.warnings) {
            warnings << QStringLiteral("⚠ %1: %2").arg(which, QString::fromStdString(warning));
        }
        if (!result.withdrawWarning.empty()) {
            withdraw << tr("%1: %2").arg(which, QString::fromStdString(result.withdrawWarning));
        }
    };
    add(tr("Read key"), *m_readResult);
    if (m_tradeResult) {
        add(tr("Trade key"), *m_tradeResult);
    }
    const bool usable = m_readResult->usable && (!m_tradeResult || m_tradeResult->usable);
    m_checkStatus->setText(status.join(QLatin1Char('\n')));
    m_checkStatus->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(usable ? kGood : kBad));
    m_checkIcon->setPixmap(
        style()->standardIcon(usable ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxCritical).pixmap(22, 22));
    m_checkWarnings->setText(warnings.join(QLatin1Char('\n')));
    m_checkWarnings->setVisible(!warnings.isEmpty());
    m_withdrawText->setText(withdraw.join(QLatin1Char('\n')));
    m_withdrawPanel->setVisible(!withdraw.isEmpty());
    m_checkPanel->show();
    fitHeight();
    if (!usable) {
        showProblem(tr("Not saved: the key did not pass the check. Correct it — or, if you know why (the exchange "
                       "cannot be reached right now; this machine is not yet on the key's IP allow-list), choose "
                       "Save anyway."));
    }
}

void AccountEditor::checkKey()
{
    if (m_busy) {
        return;
    }
    m_problem->hide();
    const AccountSettings account = settings();
    Credentials credentials;
    if (const QString problem = checkFields(account, credentials); !problem.isEmpty()) {
        showProblem(problem);
        return;
    }
    if (!venueNeedsKey(account.venue)) {
        return;
    }
    if (!m_existing && !credentials.read) {
        showProblem(tr("API key: is required"));
        return;
    }
    runChecks(account, std::move(credentials), {});
}

namespace {

/// The keychain entries typed in the form, to be written on saving.
std::vector<std::pair<QString, QString>> typedEntries(const QString& id, const AccountSettings& account,
                                                      const std::optional<ApiCredentials>& read,
                                                      const std::optional<ApiCredentials>& trade)
{
    std::vector<std::pair<QString, QString>> entries;
    const auto add = [&](KeyPurpose purpose, const ApiCredentials& credentials) {
        const KeyEntryNames names = keyEntryNames(purpose);
        entries.emplace_back(secretKey(id, names.key), QString::fromStdString(credentials.apiKey));
        entries.emplace_back(secretKey(id, names.secret), QString::fromStdString(credentials.secret));
        if (venueHasPassphrase(account.venue)) {
            entries.emplace_back(secretKey(id, names.passphrase), QString::fromStdString(credentials.passphrase));
        }
    };
    if (read) {
        add(KeyPurpose::Read, *read);
    }
    if (trade && account.hasTradeKey) {
        add(KeyPurpose::Trade, *trade);
    }
    return entries;
}

} // namespace

void AccountEditor::save()
{
    if (m_busy) {
        return;
    }
    m_problem->hide();
    const AccountSettings account = settings();
    Credentials credentials;
    if (const QString problem = checkFields(account, credentials); !problem.isEmpty()) {
        showProblem(problem);
        return;
    }
    auto entries = typedEntries(QString::fromStdString(account.id), account, credentials.read, credentials.trade);
    if (!keysNeedCheck(account, credentials)) {
        m_keyStatus.clear();
        store(account, std::move(entries));
        return;
    }
    QPointer<AccountEditor> self(this);
    const int generation = m_generation;
    runChecks(account, std::move(credentials),
              [self, generation, account, entries = std::move(entries)](bool usable) mutable {
                  if (self.isNull() || self->m_generation != generation || !usable) {
                      return; // closed meanwhile; or the check's problem is on screen, with "Save anyway"
                  }
                  self->m_keyStatus = tr("usable — checked when saved");
                  self->store(account, std::move(entries));
              });
}

void AccountEditor::saveAnyway()
{
    if (m_busy || !m_checkFailed) {
        return;
    }
    const AccountSettings account = settings();
    Credentials credentials;
    if (const QString problem = checkFields(account, credentials); !problem.isEmpty()) {
        showProblem(problem);
        return;
    }
    const KeyCheckResult& failed = m_readResult && !m_readResult->usable ? *m_readResult
                                   : m_tradeResult                       ? *m_tradeResult
                                                                         : KeyCheckResult{};
    m_keyStatus = tr("saved without a passing check: %1").arg(QString::fromStdString(failed.problem));
    store(account, typedEntries(QString::fromStdString(account.id), account, credentials.read, credentials.trade));
}

void AccountEditor::store(const AccountSettings& account, std::vector<std::pair<QString, QString>> entries)
{
    const QString id = QString::fromStdString(account.id);
    setBusy(true, tr("Saving…"));
    QPointer<AccountEditor> self(this);
    const int generation = m_generation;
    writeSecrets(m_secrets, std::move(entries), [self, generation, account, id](const SecretStore::Result& written) {
        if (self.isNull() || self->m_generation != generation) {
            // Closed while saving: the configuration is left as it was; a new account's entries go.
            if (!self.isNull() && !self->m_existing) {
                removeSecrets(self->m_secrets, allSecretKeys(id), [](const SecretStore::Result&) {});
            }
            return;
        }
        if (written.status != SecretStore::Status::Ok) {
            self->setBusy(false);
            self->showProblem(tr("Not saved: the keychain did not store the key: %1").arg(written.problem));
            return;
        }
        const QString committed = self->m_commit ? self->m_commit(account) : QString();
        if (!committed.isEmpty()) {
            if (!self->m_existing) {
                removeSecrets(self->m_secrets, allSecretKeys(id), [](const SecretStore::Result&) {});
            }
            self->setBusy(false);
            self->showProblem(tr("Not saved: %1").arg(committed));
            return;
        }
        // Entries the account no longer has: another exchange without passphrases, no trade key, no key at all.
        QStringList obsolete;
        if (self->m_existing) {
            const AccountSettings& before = *self->m_existing;
            if (!venueNeedsKey(account.venue)) {
                if (venueNeedsKey(before.venue)) {
                    obsolete = allSecretKeys(id);
                }
            } else {
                if (!venueHasPassphrase(account.venue) && venueHasPassphrase(before.venue)) {
                    obsolete << secretKey(id, account_secret::kReadPassphrase) << secretKey(id, account_secret::kTradePassphrase);
                }
                if (!account.hasTradeKey && before.hasTradeKey) {
                    obsolete << secretKey(id, account_secret::kTradeKey) << secretKey(id, account_secret::kTradeSecret)
                             << secretKey(id, account_secret::kTradePassphrase);
                }
            }
        }
        removeSecrets(self->m_secrets, obsolete, [self, account](const SecretStore::Result& removed) {
            if (self.isNull()) {
                return;
            }
            if (removed.status != SecretStore::Status::Ok) {
                self->m_keyStatus += tr(" (old keychain entries could not be removed: %1)").arg(removed.problem);
            }
            self->setBusy(false);
            self->m_existing = account;
            Q_EMIT self->saved(account);
            self->accept();
        });
    });
}

void AccountEditor::fitHeight()
{
    // Word-wrapped messages appear and grow: a top-level layout does not grow the window for them
    // by itself, and the fields would be squeezed instead. Once now, once the group boxes' own
    // layouts have settled (rows shown or hidden in them).
    fitHeightNow();
    QTimer::singleShot(0, this, &AccountEditor::fitHeightNow);
}

void AccountEditor::fitHeightNow()
{
    layout()->activate();
    const int needed = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width()) : layout()->totalSizeHint().height();
    if (height() != needed) {
        resize(width(), needed); // and shrinks when rows were hidden, rather than spreading blank space
    }
}

void AccountEditor::showProblem(const QString& problem)
{
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    fitHeight();
    // Focus the field the problem names.
    const std::vector<std::pair<QString, QWidget*>> fields{
        {tr("Name"), m_label},           {tr("Custom URL"), m_customUrl},   {tr("Wallet address"), m_walletAddress},
        {tr("API key"), m_readKey},      {tr("Secret"), m_readSecret},      {tr("Passphrase"), m_readPassphrase},
        {tr("Trade API key"), m_tradeKey}, {tr("Trade secret"), m_tradeSecret}, {tr("Trade passphrase"), m_tradePassphrase},
    };
    for (const auto& [label, field] : fields) {
        if (problem.startsWith(label + QLatin1Char(':'))) {
            field->setFocus();
            break;
        }
    }
}

void AccountEditor::setBusy(bool busy, const QString& status)
{
    m_busy = busy;
    m_saveButton->setEnabled(!busy);
    m_checkButton->setEnabled(!busy && m_keychain != KeychainState::Unavailable);
    m_saveAnywayButton->setEnabled(!busy);
    if (busy) {
        m_checkStatus->setText(status);
        m_checkStatus->setStyleSheet(QStringLiteral("QLabel { font-weight: bold; }"));
        m_checkIcon->setPixmap(style()->standardIcon(QStyle::SP_BrowserReload).pixmap(22, 22));
        m_checkWarnings->hide();
        m_withdrawPanel->hide();
        m_checkPanel->show();
        fitHeight();
    } else if (!m_readResult) {
        m_checkPanel->hide();
    } else {
        showChecks();
    }
}

void AccountEditor::clearSecrets()
{
    m_clearing = true;
    for (QLineEdit* field : {m_readKey, m_readSecret, m_readPassphrase, m_tradeKey, m_tradeSecret, m_tradePassphrase}) {
        if (field != nullptr) {
            field->clear();
        }
    }
    m_clearing = false;
}

void AccountEditor::done(int result)
{
    if (m_busy) {
        ++m_generation; // closed while checking or saving: nothing more happens
        setBusy(false);
    }
    clearSecrets();
    QDialog::done(result);
}

void AccountEditor::hideEvent(QHideEvent* event)
{
    clearSecrets();
    QDialog::hideEvent(event);
}

} // namespace mm::ui
