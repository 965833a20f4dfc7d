#include "dialogs/manual_positions_dialog.h"

#include "dialogs/draft_form.h"
#include "models/display_text.h"
#include "portfolio/portfolio_file.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mm::ui {
namespace {

// The forms' fields, in the order of the draft members below.
std::vector<FormField> accountFields()
{
    std::vector<std::pair<QString, QString>> venues;
    for (const Venue venue : {Venue::BinanceUsdm, Venue::BybitLinear, Venue::OkxSwap, Venue::Hyperliquid, Venue::Generic}) {
        venues.emplace_back(venueDisplayName(venue), QString::fromUtf8(venueName(venue).data()));
    }
    return {
        {QStringLiteral("venue"), QObject::tr("Exchange"), venues, {}},
        {QStringLiteral("label"), QObject::tr("Account"), {}, QObject::tr("a name of yours, e.g. Main")},
        {QStringLiteral("walletBalance"), QObject::tr("Wallet balance"), {}, QObject::tr("in the margin asset, without unrealised PnL")},
        {QStringLiteral("marginMode"),
         QObject::tr("Margin mode"),
         {{QObject::tr("Cross"), QStringLiteral("cross")}, {QObject::tr("Isolated"), QStringLiteral("isolated")}},
         {}},
    };
}
constexpr std::array<std::string PortfolioDraft::*, 4> kAccountMembers{&PortfolioDraft::venue, &PortfolioDraft::label,
                                                                       &PortfolioDraft::walletBalance, &PortfolioDraft::marginMode};

std::vector<FormField> positionFields()
{
    const QString optional = QObject::tr("optional");
    return {
        {QStringLiteral("symbol"), QObject::tr("Symbol"), {}, QObject::tr("as the exchange writes it: BTCUSDT, BTC-USDT-SWAP, BTC")},
        {QStringLiteral("side"), QObject::tr("Side"), {{QObject::tr("Long"), QStringLiteral("long")}, {QObject::tr("Short"), QStringLiteral("short")}}, {}},
        {QStringLiteral("quantity"), QObject::tr("Size"), {}, QObject::tr("in the base asset, e.g. 0.5")},
        {QStringLiteral("entryPrice"), QObject::tr("Entry price"), {}, {}},
        {QStringLiteral("markPrice"), QObject::tr("Mark price"), {}, QObject::tr("until live prices arrive; empty: the entry price")},
        {QStringLiteral("marginMode"),
         QObject::tr("Margin mode"),
         {{QObject::tr("As the account"), QString()}, {QObject::tr("Cross"), QStringLiteral("cross")}, {QObject::tr("Isolated"), QStringLiteral("isolated")}},
         {}},
        {QStringLiteral("leverage"), QObject::tr("Leverage"), {}, optional},
        {QStringLiteral("isolatedMargin"), QObject::tr("Isolated margin"), {}, QObject::tr("isolated positions; empty: from the leverage")},
        {QStringLiteral("maintenanceMarginRate"), QObject::tr("Maintenance rate"), {}, QObject::tr("e.g. 0.005; empty: the exchange's published tiers")},
        {QStringLiteral("maintenanceAmount"), QObject::tr("Maintenance amount"), {}, optional},
        {QStringLiteral("maxLeverage"), QObject::tr("Max leverage"), {}, QObject::tr("Hyperliquid: the asset's maximum leverage")},
    };
}
constexpr std::array<std::string PositionDraft::*, 11> kPositionMembers{
    &PositionDraft::symbol,       &PositionDraft::side,           &PositionDraft::quantity,
    &PositionDraft::entryPrice,   &PositionDraft::markPrice,      &PositionDraft::marginMode,
    &PositionDraft::leverage,     &PositionDraft::isolatedMargin, &PositionDraft::maintenanceMarginRate,
    &PositionDraft::maintenanceAmount, &PositionDraft::maxLeverage};

template <class Draft, std::size_t N>
std::vector<QString> valuesOf(const Draft& draft, const std::array<std::string Draft::*, N>& members)
{
    std::vector<QString> values;
    for (auto member : members) {
        values.push_back(QString::fromStdString(draft.*member));
    }
    return values;
}

template <class Draft, std::size_t N>
void fill(Draft& draft, const std::vector<QString>& values, const std::array<std::string Draft::*, N>& members)
{
    for (std::size_t i = 0; i < N && i < values.size(); ++i) {
        draft.*members[i] = values[i].trimmed().toStdString();
    }
}

/// What the file reader says about an account, "" when it takes it.
QString problemWith(const PortfolioDraft& account)
{
    try {
        (void)readPortfolio(writePortfolioText(account));
        return {};
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
}

/// "positions[2].quantity: must be positive" → "quantity: must be positive" for position 2.
QString withinPosition(const QString& problem, int position)
{
    const QString prefix = QStringLiteral("positions[%1].").arg(position);
    return problem.startsWith(prefix) ? problem.mid(prefix.size()) : problem;
}

QString accountTitle(const PortfolioDraft& account)
{
    const auto venue = venueFromName(account.venue);
    const QString exchange = venue ? venueDisplayName(*venue) : QString::fromStdString(account.venue);
    const QString label = account.label.empty() ? QObject::tr("(no name)") : QString::fromStdString(account.label);
    const int count = static_cast<int>(account.positions.size());
    const QString held = count == 1 ? QObject::tr("1 position") : QObject::tr("%1 positions").arg(count);
    return QStringLiteral("%1 — %2 (%3)").arg(exchange, label, held);
}

} // namespace

ManualPositionsDialog::ManualPositionsDialog(std::vector<PortfolioDraft> accounts, QWidget* parent)
    : QDialog(parent), m_accounts(std::move(accounts))
{
    setWindowTitle(tr("Manual positions"));
    setObjectName(QStringLiteral("manualPositionsDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Positions you enter by hand are watched against the exchanges' public mark prices — "
                                "no API key needed. They are kept in %1.")
                                 .arg(tr("the app's data folder")),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* panes = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    left->addWidget(new QLabel(tr("Accounts"), this));
    m_accountList = new QListWidget(this);
    m_accountList->setObjectName(QStringLiteral("accounts"));
    left->addWidget(m_accountList, 1);
    auto* accountButtons = new QHBoxLayout;
    auto* addAccountButton = new QPushButton(tr("Add…"), this);
    m_editAccount = new QPushButton(tr("Edit…"), this);
    m_removeAccount = new QPushButton(tr("Remove"), this);
    for (QPushButton* button : {addAccountButton, m_editAccount, m_removeAccount}) {
        accountButtons->addWidget(button);
    }
    left->addLayout(accountButtons);
    panes->addLayout(left, 2);

    auto* right = new QVBoxLayout;
    right->addWidget(new QLabel(tr("Positions of the chosen account"), this));
    m_positionTable = new QTableWidget(0, 7, this);
    m_positionTable->setObjectName(QStringLiteral("positions"));
    m_positionTable->setHorizontalHeaderLabels(
        {tr("Symbol"), tr("Side"), tr("Size"), tr("Entry"), tr("Mark"), tr("Margin mode"), tr("Leverage")});
    m_positionTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_positionTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_positionTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_positionTable->verticalHeader()->setVisible(false);
    m_positionTable->horizontalHeader()->setStretchLastSection(true);
    right->addWidget(m_positionTable, 1);
    auto* positionButtons = new QHBoxLayout;
    m_addPosition = new QPushButton(tr("Add…"), this);
    m_editPosition = new QPushButton(tr("Edit…"), this);
    m_removePosition = new QPushButton(tr("Remove"), this);
    for (QPushButton* button : {m_addPosition, m_editPosition, m_removePosition}) {
        positionButtons->addWidget(button);
    }
    right->addLayout(positionButtons);
    panes->addLayout(right, 5);
    layout->addLayout(panes, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto* importButton = buttons->addButton(tr("Import…"), QDialogButtonBox::ActionRole);
    m_export = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
    importButton->setToolTip(tr("Add the accounts of a portfolio file (the marginctl eval format)"));
    m_export->setToolTip(tr("Write the chosen account as a portfolio file (the marginctl eval format)"));
    layout->addWidget(buttons);

    connect(addAccountButton, &QPushButton::clicked, this, &ManualPositionsDialog::onAddAccount);
    connect(m_editAccount, &QPushButton::clicked, this, &ManualPositionsDialog::onEditAccount);
    connect(m_removeAccount, &QPushButton::clicked, this, [this] { removeAccount(currentAccount()); });
    connect(m_addPosition, &QPushButton::clicked, this, &ManualPositionsDialog::onAddPosition);
    connect(m_editPosition, &QPushButton::clicked, this, &ManualPositionsDialog::onEditPosition);
    connect(m_removePosition, &QPushButton::clicked, this, [this] { removePosition(currentAccount(), currentPosition()); });
    connect(m_positionTable, &QTableWidget::cellDoubleClicked, this, &ManualPositionsDialog::onEditPosition);
    connect(m_accountList, &QListWidget::itemDoubleClicked, this, &ManualPositionsDialog::onEditAccount);
    connect(importButton, &QPushButton::clicked, this, &ManualPositionsDialog::onImport);
    connect(m_export, &QPushButton::clicked, this, &ManualPositionsDialog::onExport);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_accountList, &QListWidget::currentRowChanged, this, [this] { showPositions(); });
    connect(m_positionTable, &QTableWidget::itemSelectionChanged, this, &ManualPositionsDialog::updateButtons);

    showAccounts(m_accounts.empty() ? -1 : 0);
    resize(900, 480);
}

int ManualPositionsDialog::currentAccount() const
{
    const int row = m_accountList->currentRow();
    return row >= 0 && row < static_cast<int>(m_accounts.size()) ? row : -1;
}

int ManualPositionsDialog::currentPosition() const
{
    const int account = currentAccount();
    const auto selected = m_positionTable->selectionModel()->selectedRows();
    if (account < 0 || selected.isEmpty()) {
        return -1;
    }
    const int row = selected.front().row();
    return row < static_cast<int>(m_accounts[static_cast<std::size_t>(account)].positions.size()) ? row : -1;
}

void ManualPositionsDialog::showAccounts(int select)
{
    const QSignalBlocker blocker(m_accountList);
    m_accountList->clear();
    for (const PortfolioDraft& account : m_accounts) {
        m_accountList->addItem(accountTitle(account));
    }
    m_accountList->setCurrentRow(select);
    showPositions();
}

void ManualPositionsDialog::showPositions()
{
    const int account = currentAccount();
    m_positionTable->setRowCount(0);
    if (account >= 0) {
        const auto& positions = m_accounts[static_cast<std::size_t>(account)].positions;
        m_positionTable->setRowCount(static_cast<int>(positions.size()));
        for (int row = 0; row < static_cast<int>(positions.size()); ++row) {
            const PositionDraft& position = positions[static_cast<std::size_t>(row)];
            const std::array<std::string, 7> cells{position.symbol,    position.side,       position.quantity, position.entryPrice,
                                                   position.markPrice, position.marginMode, position.leverage};
            for (int column = 0; column < 7; ++column) {
                auto* item = new QTableWidgetItem(QString::fromStdString(cells[static_cast<std::size_t>(column)]));
                if (column >= 2 && column <= 4) {
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                }
                m_positionTable->setItem(row, column, item);
            }
            if (position.marginMode.empty()) {
                m_positionTable->item(row, 5)->setText(tr("as the account"));
            }
        }
        m_positionTable->resizeColumnsToContents();
    }
    updateButtons();
}

void ManualPositionsDialog::updateButtons()
{
    const bool account = currentAccount() >= 0;
    const bool position = currentPosition() >= 0;
    m_editAccount->setEnabled(account);
    m_removeAccount->setEnabled(account);
    m_addPosition->setEnabled(account);
    m_export->setEnabled(account);
    m_editPosition->setEnabled(position);
    m_removePosition->setEnabled(position);
}

QString ManualPositionsDialog::addAccount(const PortfolioDraft& account)
{
    const QString problem = problemWith(account);
    if (problem.isEmpty()) {
        m_accounts.push_back(account);
        showAccounts(static_cast<int>(m_accounts.size()) - 1);
    }
    return problem;
}

QString ManualPositionsDialog::replaceAccount(int account, const PortfolioDraft& replacement)
{
    if (account < 0 || account >= static_cast<int>(m_accounts.size())) {
        return tr("no account is chosen");
    }
    PortfolioDraft candidate = replacement;
    candidate.positions = m_accounts[static_cast<std::size_t>(account)].positions;
    const QString problem = problemWith(candidate);
    if (problem.isEmpty()) {
        m_accounts[static_cast<std::size_t>(account)] = std::move(candidate);
        showAccounts(account);
    }
    return problem;
}

void ManualPositionsDialog::removeAccount(int account)
{
    if (account < 0 || account >= static_cast<int>(m_accounts.size())) {
        return;
    }
    m_accounts.erase(m_accounts.begin() + account);
    showAccounts(std::min(account, static_cast<int>(m_accounts.size()) - 1));
}

QString ManualPositionsDialog::addPosition(int account, const PositionDraft& position)
{
    if (account < 0 || account >= static_cast<int>(m_accounts.size())) {
        return tr("add an account first: a position is held in an account");
    }
    PortfolioDraft candidate = m_accounts[static_cast<std::size_t>(account)];
    candidate.positions.push_back(position);
    if (candidate.positions.back().markPrice.empty()) {
        candidate.positions.back().markPrice = position.entryPrice;
    }
    const QString problem = withinPosition(problemWith(candidate), static_cast<int>(candidate.positions.size()) - 1);
    if (problem.isEmpty()) {
        m_accounts[static_cast<std::size_t>(account)] = std::move(candidate);
        showAccounts(account);
    }
    return problem;
}

QString ManualPositionsDialog::replacePosition(int account, int position, const PositionDraft& replacement)
{
    if (account < 0 || account >= static_cast<int>(m_accounts.size()) || position < 0 ||
        position >= static_cast<int>(m_accounts[static_cast<std::size_t>(account)].positions.size())) {
        return tr("no position is chosen");
    }
    PortfolioDraft candidate = m_accounts[static_cast<std::size_t>(account)];
    PositionDraft& edited = candidate.positions[static_cast<std::size_t>(position)];
    edited = replacement;
    if (edited.markPrice.empty()) {
        edited.markPrice = edited.entryPrice;
    }
    const QString problem = withinPosition(problemWith(candidate), position);
    if (problem.isEmpty()) {
        m_accounts[static_cast<std::size_t>(account)] = std::move(candidate);
        showAccounts(account);
        m_positionTable->selectRow(position);
    }
    return problem;
}

void ManualPositionsDialog::removePosition(int account, int position)
{
    if (account < 0 || account >= static_cast<int>(m_accounts.size())) {
        return;
    }
    auto& positions = m_accounts[static_cast<std::size_t>(account)].positions;
    if (position < 0 || position >= static_cast<int>(positions.size())) {
        return;
    }
    positions.erase(positions.begin() + position);
    showAccounts(account);
}

QString ManualPositionsDialog::importFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return tr("%1: cannot be read: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    }
    try {
        const auto imported = readPortfolioDrafts(file.readAll().toStdString());
        m_accounts.insert(m_accounts.end(), imported.begin(), imported.end());
        showAccounts(static_cast<int>(m_accounts.size()) - 1);
        return {};
    } catch (const std::exception& error) {
        return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), QString::fromUtf8(error.what()));
    }
}

QString ManualPositionsDialog::exportAccount(int account, const QString& path) const
{
    if (account < 0 || account >= static_cast<int>(m_accounts.size())) {
        return tr("no account is chosen");
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return tr("%1: cannot be written: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    }
    const std::string text = writePortfolioText(m_accounts[static_cast<std::size_t>(account)]);
    file.write(text.data(), static_cast<qint64>(text.size()));
    if (!file.commit()) {
        return tr("%1: cannot be written: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    }
    return {};
}

DraftForm* ManualPositionsDialog::accountForm(int account)
{
    PortfolioDraft initial;
    initial.venue = "binance-usdm";
    if (account >= 0 && account < static_cast<int>(m_accounts.size())) {
        initial = m_accounts[static_cast<std::size_t>(account)];
    }
    auto check = [this, account, initial](const std::vector<QString>& values) {
        PortfolioDraft candidate = initial;
        fill(candidate, values, kAccountMembers);
        if (account >= 0) {
            return problemWith(candidate); // the positions must still read in the edited account
        }
        candidate.positions.clear();
        return problemWith(candidate);
    };
    return new DraftForm(account < 0 ? tr("Add an account") : tr("Edit the account"), accountFields(),
                         valuesOf(initial, kAccountMembers), check, this);
}

DraftForm* ManualPositionsDialog::positionForm(int account, int position)
{
    PositionDraft initial;
    initial.side = "long";
    const auto& positions = m_accounts.at(static_cast<std::size_t>(account)).positions;
    const bool editing = position >= 0 && position < static_cast<int>(positions.size());
    if (editing) {
        initial = positions[static_cast<std::size_t>(position)];
    }
    auto check = [this, account, position, editing](const std::vector<QString>& values) {
        PortfolioDraft candidate = m_accounts.at(static_cast<std::size_t>(account));
        PositionDraft draft;
        fill(draft, values, kPositionMembers);
        if (draft.markPrice.empty()) {
            draft.markPrice = draft.entryPrice;
        }
        const int index = editing ? position : static_cast<int>(candidate.positions.size());
        if (editing) {
            candidate.positions[static_cast<std::size_t>(position)] = draft;
        } else {
            candidate.positions.push_back(draft);
        }
        return withinPosition(problemWith(candidate), index);
    };
    return new DraftForm(editing ? tr("Edit the position") : tr("Add a position"), positionFields(),
                         valuesOf(initial, kPositionMembers), check, this);
}

void ManualPositionsDialog::onAddAccount()
{
    DraftForm* form = accountForm(-1);
    if (form->exec() == QDialog::Accepted) {
        PortfolioDraft account;
        fill(account, form->values(), kAccountMembers);
        (void)addAccount(account); // checked by the form already
    }
    form->deleteLater();
}

void ManualPositionsDialog::onEditAccount()
{
    const int account = currentAccount();
    if (account < 0) {
        return;
    }
    DraftForm* form = accountForm(account);
    if (form->exec() == QDialog::Accepted) {
        PortfolioDraft edited = m_accounts[static_cast<std::size_t>(account)];
        fill(edited, form->values(), kAccountMembers);
        (void)replaceAccount(account, edited);
    }
    form->deleteLater();
}

void ManualPositionsDialog::onAddPosition()
{
    const int account = currentAccount();
    if (account < 0) {
        return;
    }
    DraftForm* form = positionForm(account, -1);
    if (form->exec() == QDialog::Accepted) {
        PositionDraft position;
        fill(position, form->values(), kPositionMembers);
        (void)addPosition(account, position);
    }
    form->deleteLater();
}

void ManualPositionsDialog::onEditPosition()
{
    const int account = currentAccount();
    const int position = currentPosition();
    if (account < 0 || position < 0) {
        return;
    }
    DraftForm* form = positionForm(account, position);
    if (form->exec() == QDialog::Accepted) {
        PositionDraft edited;
        fill(edited, form->values(), kPositionMembers);
        const PositionDraft& before = m_accounts[static_cast<std::size_t>(account)].positions[static_cast<std::size_t>(position)];
        edited.positionSide = before.positionSide; // fields the form does not show are kept
        edited.takerFeeRate = before.takerFeeRate;
        (void)replacePosition(account, position, edited);
    }
    form->deleteLater();
}

void ManualPositionsDialog::onImport()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import a portfolio file"), {}, tr("Portfolio files (*.json);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    const QString problem = importFile(path);
    if (!problem.isEmpty()) {
        QMessageBox::warning(this, tr("Import"), tr("Nothing was imported.\n\n%1").arg(problem));
    }
}

void ManualPositionsDialog::onExport()
{
    const int account = currentAccount();
    if (account < 0) {
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the account"), QStringLiteral("portfolio.json"),
                                                      tr("Portfolio files (*.json)"));
    if (path.isEmpty()) {
        return;
    }
    const QString problem = exportAccount(account, path);
    if (!problem.isEmpty()) {
        QMessageBox::warning(this, tr("Export"), problem);
    }
}

} // namespace mm::ui
