#include "dialogs/alert_rules_dialog.h"

#include "dialogs/alert_settings_store.h"
#include "models/risk_level.h"

#include "config/accounts_config.h"

#include <QBrush>
#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontMetrics>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSlider>
#include <QSpinBox>
#include <QSignalBlocker>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <array>
#include <cmath>
#include <utility>

namespace mm::ui {
namespace {

constexpr std::array kKinds{AlertRuleKind::Distance,          AlertRuleKind::MarginRatio, AlertRuleKind::SigmaDistance,
                            AlertRuleKind::TimeToLiquidation, AlertRuleKind::Velocity,    AlertRuleKind::Stale};
constexpr std::array kScopes{AlertScope::All, AlertScope::Account, AlertScope::Position};
constexpr int kMaxSeconds = 86'400; // readAlertSettings' limit for the timings
constexpr std::array kTriggerLevels{AlertLevel::Warning, AlertLevel::Critical, AlertLevel::Emergency};
constexpr int kMaxCountdownSeconds = 600; // readAlertSettings' limit for countdownSeconds
constexpr int kMaxOrderCap = 1000;        // readAlertSettings' limit for maxOrdersPerHour / PerDay

/// A threshold as the trader typed it: "10", "0.5", not "1e1".
QString numberText(double value)
{
    return QString::number(value, 'g', 12);
}

QString optionalText(const std::optional<double>& value)
{
    return value ? numberText(*value) : QString();
}

/// The trader's number: with a point, or with their locale's decimal comma.
std::optional<double> parseNumber(const QString& text)
{
    bool ok = false;
    double value = QLocale::c().toDouble(text, &ok);
    if (!ok) {
        value = QLocale().toDouble(text, &ok);
    }
    if (!ok || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

QString columnTitle(int column)
{
    switch (static_cast<AlertRulesDialog::RuleColumn>(column)) {
    case AlertRulesDialog::KindColumn:
        return QObject::tr("Alert when");
    case AlertRulesDialog::UnitColumn:
        return QObject::tr("Unit");
    case AlertRulesDialog::ScopeColumn:
        return QObject::tr("Watches");
    case AlertRulesDialog::AccountColumn:
        return QObject::tr("Account");
    case AlertRulesDialog::SymbolColumn:
        return QObject::tr("Symbol");
    case AlertRulesDialog::EnabledColumn:
        return QObject::tr("On");
    case AlertRulesDialog::WarningColumn:
        return QObject::tr("Warning");
    case AlertRulesDialog::CriticalColumn:
        return QObject::tr("Critical");
    case AlertRulesDialog::EmergencyColumn:
        return QObject::tr("Emergency");
    case AlertRulesDialog::RearmColumn:
        return QObject::tr("Re-arm band");
    case AlertRulesDialog::RuleColumnCount:
        break;
    }
    return {};
}

QString columnToolTip(int column)
{
    switch (static_cast<AlertRulesDialog::RuleColumn>(column)) {
    case AlertRulesDialog::KindColumn:
        return QObject::tr("What the rule measures, and which way is worse");
    case AlertRulesDialog::UnitColumn:
        return QObject::tr("The unit of the thresholds and the re-arm band");
    case AlertRulesDialog::ScopeColumn:
        return QObject::tr("The most specific rule of a kind wins: a position's own over its account's, an account's over "
                           "the one for all positions");
    case AlertRulesDialog::AccountColumn:
        return QObject::tr("The account's name as in Settings → Exchanges (one account or one position)");
    case AlertRulesDialog::SymbolColumn:
        return QObject::tr("The symbol as the exchange writes it, e.g. BTCUSDT (one position)");
    case AlertRulesDialog::EnabledColumn:
        return QObject::tr("Off: the rule is kept but raises nothing");
    case AlertRulesDialog::WarningColumn:
    case AlertRulesDialog::CriticalColumn:
    case AlertRulesDialog::EmergencyColumn:
        return QObject::tr("Empty: no alert at this level. Each louder level must be further on the dangerous side.");
    case AlertRulesDialog::RearmColumn:
        return QObject::tr("An alert ends only once the measure is this far back on the safe side of its threshold, so "
                           "a price hovering at a threshold raises one alert, not a storm");
    case AlertRulesDialog::RuleColumnCount:
        break;
    }
    return {};
}

QTableWidgetItem* textItem(const QString& text, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(alignment);
    return item;
}

/// The default rule of a kind: its thresholds when the trader picks that kind on a row.
AlertRule defaultRule(AlertRuleKind kind)
{
    for (const AlertRule& rule : defaultAlertPolicy().rules) {
        if (rule.kind == kind) {
            return rule;
        }
    }
    AlertRule rule;
    rule.kind = kind;
    return rule;
}

/// The first level whose threshold is on the safe side of a milder one's (AlertRule::problem's
/// ordering rule), as a column; -1 when the thresholds are in order.
int outOfOrderColumn(const AlertRule& rule)
{
    const bool below = alertDirection(rule.kind) == AlertDirection::Below;
    std::optional<double> milder;
    const std::array<std::pair<int, std::optional<double>>, 3> levels{{{AlertRulesDialog::WarningColumn, rule.warning},
                                                                       {AlertRulesDialog::CriticalColumn, rule.critical},
                                                                       {AlertRulesDialog::EmergencyColumn, rule.emergency}}};
    for (const auto& [column, limit] : levels) {
        if (!limit) {
            continue;
        }
        if (milder && (below ? *limit > *milder : *limit < *milder)) {
            return column;
        }
        milder = limit;
    }
    return -1;
}

/// A whole number as typed ("10", " 6 "), within [low, high]; nullopt otherwise.
std::optional<int> parseWhole(const QString& text, int low, int high)
{
    const std::optional<double> value = parseNumber(text);
    if (!value || *value != std::floor(*value) || *value < low || *value > high) {
        return std::nullopt;
    }
    return static_cast<int>(*value);
}

QString levelText(AlertLevel level)
{
    switch (level) {
    case AlertLevel::Warning:
        return QObject::tr("warning");
    case AlertLevel::Critical:
        return QObject::tr("critical");
    case AlertLevel::Emergency:
        return QObject::tr("emergency");
    }
    return {};
}

QString deleverageColumnTitle(int column)
{
    switch (static_cast<AlertRulesDialog::DeleverageColumn>(column)) {
    case AlertRulesDialog::AccountLabelColumn:
        return QObject::tr("Account");
    case AlertRulesDialog::OnColumn:
        return QObject::tr("On");
    case AlertRulesDialog::DryRunColumn:
        return QObject::tr("Dry run");
    case AlertRulesDialog::TargetDistanceColumn:
        return QObject::tr("Target: distance ≥ %");
    case AlertRulesDialog::TargetRatioColumn:
        return QObject::tr("or ratio ≤ %");
    case AlertRulesDialog::TriggerColumn:
        return QObject::tr("Trigger at");
    case AlertRulesDialog::CountdownColumn:
        return QObject::tr("Countdown s");
    case AlertRulesDialog::MaxPerHourColumn:
        return QObject::tr("Max / hour");
    case AlertRulesDialog::MaxPerDayColumn:
        return QObject::tr("Max / day");
    case AlertRulesDialog::DeleverageColumnCount:
        break;
    }
    return {};
}

/// The field's name in a refusal ("Deleverage row 2 (Binance main) — Countdown: …").
QString deleverageFieldName(int column)
{
    switch (static_cast<AlertRulesDialog::DeleverageColumn>(column)) {
    case AlertRulesDialog::AccountLabelColumn:
        return QObject::tr("Account");
    case AlertRulesDialog::OnColumn:
        return QObject::tr("On");
    case AlertRulesDialog::DryRunColumn:
        return QObject::tr("Dry run");
    case AlertRulesDialog::TargetDistanceColumn:
        return QObject::tr("Target distance");
    case AlertRulesDialog::TargetRatioColumn:
        return QObject::tr("Target margin ratio");
    case AlertRulesDialog::TriggerColumn:
        return QObject::tr("Trigger");
    case AlertRulesDialog::CountdownColumn:
        return QObject::tr("Countdown");
    case AlertRulesDialog::MaxPerHourColumn:
        return QObject::tr("Max per hour");
    case AlertRulesDialog::MaxPerDayColumn:
        return QObject::tr("Max per day");
    case AlertRulesDialog::DeleverageColumnCount:
        break;
    }
    return {};
}

QString deleverageColumnToolTip(int column)
{
    switch (static_cast<AlertRulesDialog::DeleverageColumn>(column)) {
    case AlertRulesDialog::AccountLabelColumn:
        return QObject::tr("The account's name as in Settings → Exchanges; one row per account");
    case AlertRulesDialog::OnColumn:
        return QObject::tr("Off: alerts for this account never reduce anything");
    case AlertRulesDialog::DryRunColumn:
        return QObject::tr("Ticked: each plan is shown and written to the journal, and no order is sent");
    case AlertRulesDialog::TargetDistanceColumn:
        return QObject::tr("Reduce the position until its distance to liquidation is at least this % of the mark. "
                           "Fill this or the margin ratio, not both.");
    case AlertRulesDialog::TargetRatioColumn:
        return QObject::tr("Reduce until the margin ratio is at most this % (100 % = liquidation). "
                           "Fill this or the distance, not both.");
    case AlertRulesDialog::TriggerColumn:
        return QObject::tr("An alert on this account at this level or louder starts a deleverage");
    case AlertRulesDialog::CountdownColumn:
        return QObject::tr("Seconds you have to cancel before an order is sent (1 to 600)");
    case AlertRulesDialog::MaxPerHourColumn:
        return QObject::tr("At most this many orders for one position within any hour");
    case AlertRulesDialog::MaxPerDayColumn:
        return QObject::tr("At most this many orders for one position within any 24 hours");
    case AlertRulesDialog::DeleverageColumnCount:
        break;
    }
    return {};
}

QTableWidgetItem* checkItem(bool checked)
{
    auto* item = new QTableWidgetItem;
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    return item;
}

} // namespace

QString AlertRulesDialog::kindText(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Distance:
        return tr("Distance to liquidation below");
    case AlertRuleKind::MarginRatio:
        return tr("Margin ratio above");
    case AlertRuleKind::SigmaDistance:
        return tr("Distance in σ below");
    case AlertRuleKind::TimeToLiquidation:
        return tr("Time to liquidation below");
    case AlertRuleKind::Velocity:
        return tr("Distance shrinking faster than");
    case AlertRuleKind::Stale:
        return tr("Prices stale for more than");
    }
    return {};
}

QString AlertRulesDialog::unitText(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Distance:
        return tr("% of mark");
    case AlertRuleKind::MarginRatio:
        return tr("% (100 = liquidation)");
    case AlertRuleKind::SigmaDistance:
        return tr("σ of an hour's move");
    case AlertRuleKind::TimeToLiquidation:
        return tr("seconds");
    case AlertRuleKind::Velocity:
        return tr("% of mark per minute");
    case AlertRuleKind::Stale:
        return tr("seconds");
    }
    return {};
}

QString AlertRulesDialog::scopeText(AlertScope scope)
{
    switch (scope) {
    case AlertScope::All:
        return tr("All positions");
    case AlertScope::Account:
        return tr("One account");
    case AlertScope::Position:
        return tr("One position");
    }
    return {};
}

AlertRulesDialog::AlertRulesDialog(AlertSettingsStore& store, QWidget* parent)
    : QDialog(parent), m_store(store), m_saved(store.settings())
{
    setWindowTitle(tr("Alert rules"));

    m_loadProblem = new QLabel(this);
    m_loadProblem->setWordWrap(true);
    m_loadProblem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_loadProblem->setStyleSheet(QStringLiteral("color: %1;").arg(riskColour(RiskLevel::Warning).name()));
    if (!store.loadProblem().isEmpty()) {
        m_loadProblem->setText(tr("The alert settings file could not be read, so the defaults are shown; saving keeps "
                                  "the unreadable file aside.\n%1")
                                   .arg(store.loadProblem()));
    }
    m_loadProblem->setVisible(!store.loadProblem().isEmpty());

    auto* explanation = new QLabel(
        tr("Each rule raises a warning, then a critical alert, then an emergency as the measure crosses its thresholds. "
           "Leave a level empty to skip it."),
        this);
    explanation->setWordWrap(true);

    m_table = new QTableWidget(0, RuleColumnCount, this);
    for (int column = 0; column < RuleColumnCount; ++column) {
        auto* header = new QTableWidgetItem(columnTitle(column));
        header->setToolTip(columnToolTip(column));
        m_table->setHorizontalHeaderItem(column, header);
    }
    m_table->verticalHeader()->setVisible(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &AlertRulesDialog::updateButtons);

    auto* addButton = new QPushButton(tr("Add rule"), this);
    m_removeRule = new QPushButton(tr("Remove rule"), this);
    auto* defaultsButton = new QPushButton(tr("Restore default rules"), this);
    defaultsButton->setToolTip(tr("The rules, cooldown and escalation a new install starts with"));
    connect(addButton, &QPushButton::clicked, this, [this] { addRule(); });
    connect(m_removeRule, &QPushButton::clicked, this, [this] { removeRule(m_table->currentRow()); });
    connect(defaultsButton, &QPushButton::clicked, this, &AlertRulesDialog::restoreDefaults);
    auto* ruleButtons = new QHBoxLayout;
    ruleButtons->addWidget(addButton);
    ruleButtons->addWidget(m_removeRule);
    ruleButtons->addStretch(1);
    ruleButtons->addWidget(defaultsButton);

    // Delivery and timing.
    m_cooldown = new QSpinBox(this);
    m_cooldown->setRange(0, kMaxSeconds);
    m_cooldown->setSuffix(tr(" s"));
    m_cooldown->setToolTip(tr("A cleared alert that comes back within this time continues the same episode, without a "
                              "new sound unless it is worse than before"));
    m_escalateAfter = new QSpinBox(this);
    m_escalateAfter->setRange(0, kMaxSeconds);
    m_escalateAfter->setSuffix(tr(" s"));
    m_escalateAfter->setToolTip(tr("A critical alert nobody acknowledged or snoozed within this time becomes an emergency"));
    m_sound = new QCheckBox(tr("Play a sound for each alert (one per level)"), this);
    m_volume = new QSlider(Qt::Horizontal, this);
    m_volume->setRange(0, 100);
    m_volume->setMinimumWidth(160);
    m_volumeText = new QLabel(this);
    m_volumeText->setMinimumWidth(QFontMetrics(font()).horizontalAdvance(QStringLiteral("100 %")) + 4);
    connect(m_volume, &QSlider::valueChanged, this, [this](int value) { m_volumeText->setText(QStringLiteral("%1 %").arg(value)); });
    connect(m_sound, &QCheckBox::toggled, m_volume, &QWidget::setEnabled);
    m_webhookUrl = new QLineEdit(this);
    m_webhookUrl->setPlaceholderText(tr("https://… — empty: none"));
    m_webhookUrl->setToolTip(tr("Every alert is also sent there as an HTTP POST of JSON (e.g. a push service for your "
                                "phone). https:// only; http:// only to this computer."));

    auto* volumeRow = new QHBoxLayout;
    volumeRow->addWidget(m_volume);
    volumeRow->addWidget(m_volumeText);
    volumeRow->addStretch(1);
    auto* delivery = new QGroupBox(tr("Delivery and timing"), this);
    auto* form = new QFormLayout(delivery);
    // Numbers at their own width; only the URL takes the room there is.
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_webhookUrl->setMinimumWidth(520);
    form->addRow(tr("Continue a cleared alert if it returns within"), m_cooldown);
    form->addRow(tr("Make an unacknowledged critical alert an emergency after"), m_escalateAfter);
    form->addRow(tr("Sound"), m_sound);
    form->addRow(tr("Volume"), volumeRow);
    form->addRow(tr("Also send every alert to (webhook URL)"), m_webhookUrl);

    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(riskColour(RiskLevel::Danger).name()));
    m_problem->setVisible(false);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] { (void)save(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_webhookUrl->setObjectName(QStringLiteral("webhookUrl"));

    auto* rulesPage = new QWidget(this);
    auto* rulesLayout = new QVBoxLayout(rulesPage);
    rulesLayout->addWidget(explanation);
    rulesLayout->addWidget(m_table, 1);
    rulesLayout->addLayout(ruleButtons);
    rulesLayout->addWidget(delivery);

    // Automatic deleveraging, per account.
    auto* deleverageExplanation = new QLabel(
        tr("<p>When an alert on an account reaches its trigger level, Margin Monitor can reduce the position until "
           "the target is reached. It is <b>off</b> for every account until you add the account here and tick "
           "<b>On</b>.</p>"
           "<p><b>Dry run</b> (ticked for a new row): each plan is shown and written to the journal, and nothing is "
           "sent. Orders go out only with the account's separate trade key (Settings → Exchanges), are reduce-only, "
           "wait for a countdown you can cancel, and there is at most one order per alert episode, within the caps "
           "per position per hour and per day.</p>"),
        this);
    deleverageExplanation->setWordWrap(true);
    deleverageExplanation->setTextFormat(Qt::RichText);

    m_deleverageTable = new QTableWidget(0, DeleverageColumnCount, this);
    for (int column = 0; column < DeleverageColumnCount; ++column) {
        auto* header = new QTableWidgetItem(deleverageColumnTitle(column));
        header->setToolTip(deleverageColumnToolTip(column));
        m_deleverageTable->setHorizontalHeaderItem(column, header);
    }
    m_deleverageTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_deleverageTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_deleverageTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_deleverageTable->horizontalHeader()->setStretchLastSection(false);
    connect(m_deleverageTable, &QTableWidget::itemSelectionChanged, this, &AlertRulesDialog::updateButtons);
    connect(m_deleverageTable, &QTableWidget::itemChanged, this, &AlertRulesDialog::updateLiveNote);

    auto* addDeleverage = new QPushButton(tr("Add account"), this);
    m_removeDeleverage = new QPushButton(tr("Remove account"), this);
    connect(addDeleverage, &QPushButton::clicked, this, &AlertRulesDialog::addDeleverageRow);
    connect(m_removeDeleverage, &QPushButton::clicked, this,
            [this] { removeDeleverageRow(m_deleverageTable->currentRow()); });
    auto* deleverageButtons = new QHBoxLayout;
    deleverageButtons->addWidget(addDeleverage);
    deleverageButtons->addWidget(m_removeDeleverage);
    deleverageButtons->addStretch(1);

    m_liveNote = new QLabel(this);
    m_liveNote->setWordWrap(true);
    m_liveNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_liveNote->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(riskColour(RiskLevel::Danger).name()));
    m_liveNote->setVisible(false);

    auto* deleveragePage = new QWidget(this);
    auto* deleverageLayout = new QVBoxLayout(deleveragePage);
    deleverageLayout->addWidget(deleverageExplanation);
    deleverageLayout->addWidget(m_deleverageTable, 1);
    deleverageLayout->addLayout(deleverageButtons);
    deleverageLayout->addWidget(m_liveNote);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(rulesPage, tr("Alert rules"));
    m_tabs->addTab(deleveragePage, tr("Automatic deleveraging"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_loadProblem);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    showSettings(m_saved);
    resize(1120, 680);
}

void AlertRulesDialog::showSettings(const AlertSettings& settings)
{
    showRules(settings.policy.rules);
    m_cooldown->setValue(static_cast<int>(settings.policy.cooldown.count()));
    m_escalateAfter->setValue(static_cast<int>(settings.policy.escalateAfter.count()));
    m_sound->setChecked(settings.sound);
    m_volume->setEnabled(settings.sound);
    m_volume->setValue(static_cast<int>(std::lround(settings.volume * 100.0)));
    m_volumeText->setText(QStringLiteral("%1 %").arg(m_volume->value()));
    m_webhookUrl->setText(QString::fromStdString(settings.webhookUrl));
    showDeleverage(settings.deleverage);
    showProblem({});
}

void AlertRulesDialog::showDeleverage(const std::vector<AccountAutomation>& automations)
{
    m_deleverageTable->setRowCount(0);
    m_deleverageBase.clear();
    for (const AccountAutomation& automation : automations) {
        appendDeleverageRow(automation);
    }
    m_deleverageTable->resizeColumnsToContents();
    m_deleverageTable->setColumnWidth(AccountLabelColumn, std::max(m_deleverageTable->columnWidth(AccountLabelColumn), 200));
    for (const int column : {OnColumn, DryRunColumn}) {
        m_deleverageTable->setColumnWidth(column, std::max(m_deleverageTable->columnWidth(column), 70));
    }
    for (const int column : {TriggerColumn, CountdownColumn, MaxPerHourColumn, MaxPerDayColumn}) {
        m_deleverageTable->setColumnWidth(column, std::max(m_deleverageTable->columnWidth(column), 110));
    }
    updateLiveNote();
    updateButtons();
}

void AlertRulesDialog::appendDeleverageRow(const AccountAutomation& automation)
{
    const AccountDeleverageSettings& settings = automation.settings;
    const int row = m_deleverageTable->rowCount();
    m_deleverageBase.push_back(settings);
    const QSignalBlocker quiet(m_deleverageTable); // the note is brought up to date once the row is whole
    m_deleverageTable->insertRow(row);

    auto* label = new QComboBox(m_deleverageTable);
    label->setEditable(true);
    label->setInsertPolicy(QComboBox::NoInsert);
    label->addItems(m_knownAccounts);
    label->setCurrentText(QString::fromStdString(automation.accountLabel));
    label->lineEdit()->setPlaceholderText(tr("account label"));
    m_deleverageTable->setCellWidget(row, AccountLabelColumn, label);
    connect(label, &QComboBox::editTextChanged, this, &AlertRulesDialog::updateLiveNote);

    m_deleverageTable->setItem(row, OnColumn, checkItem(settings.enabled));
    m_deleverageTable->setItem(row, DryRunColumn, checkItem(settings.dryRun));

    const Qt::Alignment number = Qt::AlignRight | Qt::AlignVCenter;
    const bool distance = settings.target.kind == DeleverageTarget::Kind::Distance;
    // A margin ratio target is shown in percent, as the file holds it (0.8 → 80).
    m_deleverageTable->setItem(row, TargetDistanceColumn, textItem(distance ? numberText(settings.target.value) : QString(), number));
    m_deleverageTable->setItem(row, TargetRatioColumn,
                               textItem(distance ? QString() : numberText(settings.target.value * 100.0), number));

    auto* trigger = new QComboBox(m_deleverageTable);
    for (const AlertLevel level : kTriggerLevels) {
        trigger->addItem(levelText(level), static_cast<int>(level));
    }
    trigger->setCurrentIndex(trigger->findData(static_cast<int>(settings.triggerLevel)));
    m_deleverageTable->setCellWidget(row, TriggerColumn, trigger);
    connect(trigger, &QComboBox::currentIndexChanged, this, &AlertRulesDialog::updateLiveNote);

    m_deleverageTable->setItem(row, CountdownColumn, textItem(QString::number(settings.countdown.count()), number));
    m_deleverageTable->setItem(row, MaxPerHourColumn, textItem(QString::number(settings.maxOrdersPerPositionPerHour), number));
    m_deleverageTable->setItem(row, MaxPerDayColumn, textItem(QString::number(settings.maxOrdersPerPositionPerDay), number));
}

QString AlertRulesDialog::deleverageLabelAt(int row) const
{
    const auto* box = qobject_cast<const QComboBox*>(m_deleverageTable->cellWidget(row, AccountLabelColumn));
    return box ? box->currentText().trimmed() : QString();
}

QString AlertRulesDialog::deleverageTitle(int row) const
{
    const QString label = deleverageLabelAt(row);
    return label.isEmpty() ? tr("Deleverage row %1").arg(row + 1) : tr("Deleverage row %1 (%2)").arg(row + 1).arg(label);
}

void AlertRulesDialog::updateLiveNote()
{
    QStringList lines;
    QColor liveBackground = riskColour(RiskLevel::Danger);
    liveBackground.setAlpha(90);
    const QSignalBlocker quiet(m_deleverageTable); // the tint below is no edit of the row
    for (int row = 0; row < m_deleverageTable->rowCount(); ++row) {
        QTableWidgetItem* on = m_deleverageTable->item(row, OnColumn);
        QTableWidgetItem* dryRun = m_deleverageTable->item(row, DryRunColumn);
        const QTableWidgetItem* countdown = m_deleverageTable->item(row, CountdownColumn);
        if (on == nullptr || dryRun == nullptr || countdown == nullptr) {
            continue;
        }
        const bool live = on->checkState() == Qt::Checked && dryRun->checkState() != Qt::Checked;
        // The two boxes that make a row live are tinted, so the row that sends orders stands out.
        for (QTableWidgetItem* item : {on, dryRun}) {
            item->setBackground(live ? QBrush(liveBackground) : QBrush());
            item->setToolTip(live ? tr("Live: orders are sent") : QString());
        }
        if (!live) {
            continue;
        }
        const QString label = deleverageLabelAt(row);
        const auto* trigger = qobject_cast<const QComboBox*>(m_deleverageTable->cellWidget(row, TriggerColumn));
        lines << tr("Live: reduce-only orders will be sent for %1 after a %2 s countdown, when one of its alerts reaches %3.")
                     .arg(label.isEmpty() ? tr("row %1").arg(row + 1) : label, countdown->text().trimmed(),
                          trigger != nullptr ? trigger->currentText() : QString());
    }
    m_liveNote->setText(lines.join(QLatin1Char('\n')));
    m_liveNote->setVisible(!lines.isEmpty());
}

QString AlertRulesDialog::liveNoteText() const
{
    return m_liveNote->isHidden() ? QString() : m_liveNote->text();
}

void AlertRulesDialog::setKnownAccounts(const QStringList& labels)
{
    m_knownAccounts = labels;
    for (int row = 0; row < m_deleverageTable->rowCount(); ++row) {
        auto* box = qobject_cast<QComboBox*>(m_deleverageTable->cellWidget(row, AccountLabelColumn));
        if (box == nullptr) {
            continue;
        }
        const QString typed = box->currentText();
        const QSignalBlocker quiet(box);
        box->clear();
        box->addItems(labels);
        box->setCurrentText(typed);
    }
}

void AlertRulesDialog::addDeleverageRow()
{
    AccountAutomation automation; // off, dry run
    for (const QString& known : std::as_const(m_knownAccounts)) {
        bool listed = false;
        for (int row = 0; row < m_deleverageTable->rowCount(); ++row) {
            listed = listed || deleverageLabelAt(row) == known.trimmed();
        }
        if (!listed) {
            automation.accountLabel = known.trimmed().toStdString();
            break;
        }
    }
    appendDeleverageRow(automation);
    m_deleverageTable->setColumnWidth(AccountLabelColumn, std::max(m_deleverageTable->columnWidth(AccountLabelColumn), 200));
    m_deleverageTable->setCurrentCell(m_deleverageTable->rowCount() - 1, OnColumn);
    updateLiveNote();
    updateButtons();
}

void AlertRulesDialog::removeDeleverageRow(int row)
{
    if (row < 0 || row >= m_deleverageTable->rowCount()) {
        return;
    }
    m_deleverageTable->removeRow(row);
    m_deleverageBase.erase(m_deleverageBase.begin() + row);
    updateLiveNote();
    updateButtons();
}

void AlertRulesDialog::showRules(const std::vector<AlertRule>& rules)
{
    m_table->setRowCount(0);
    for (const AlertRule& rule : rules) {
        appendRow(rule);
    }
    m_table->resizeColumnsToContents();
    for (const int column : {AccountColumn, SymbolColumn}) {
        m_table->setColumnWidth(column, std::max(m_table->columnWidth(column), 110));
    }
    for (const int column : {WarningColumn, CriticalColumn, EmergencyColumn, RearmColumn}) {
        m_table->setColumnWidth(column, std::max(m_table->columnWidth(column), 80));
    }
    updateButtons();
}

void AlertRulesDialog::appendRow(const AlertRule& rule)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);

    auto* kind = new QComboBox(m_table);
    for (const AlertRuleKind each : kKinds) {
        kind->addItem(kindText(each), static_cast<int>(each));
    }
    kind->setCurrentIndex(kind->findData(static_cast<int>(rule.kind)));
    m_table->setCellWidget(row, KindColumn, kind);
    connect(kind, &QComboBox::currentIndexChanged, this, [this, kind] { onKindChanged(kind); });

    auto* unit = textItem(unitText(rule.kind));
    unit->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    m_table->setItem(row, UnitColumn, unit);

    auto* scope = new QComboBox(m_table);
    for (const AlertScope each : kScopes) {
        scope->addItem(scopeText(each), static_cast<int>(each));
    }
    scope->setCurrentIndex(scope->findData(static_cast<int>(rule.scope)));
    m_table->setCellWidget(row, ScopeColumn, scope);
    connect(scope, &QComboBox::currentIndexChanged, this, [this, scope] { onScopeChanged(scope); });

    m_table->setItem(row, AccountColumn, textItem(QString::fromStdString(rule.account)));
    m_table->setItem(row, SymbolColumn, textItem(QString::fromStdString(rule.symbol)));

    auto* enabled = new QTableWidgetItem;
    enabled->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    enabled->setCheckState(rule.enabled ? Qt::Checked : Qt::Unchecked);
    m_table->setItem(row, EnabledColumn, enabled);

    const Qt::Alignment number = Qt::AlignRight | Qt::AlignVCenter;
    m_table->setItem(row, WarningColumn, textItem(optionalText(rule.warning), number));
    m_table->setItem(row, CriticalColumn, textItem(optionalText(rule.critical), number));
    m_table->setItem(row, EmergencyColumn, textItem(optionalText(rule.emergency), number));
    m_table->setItem(row, RearmColumn, textItem(numberText(rule.rearm), number));
    updateScopeCells(row);
}

int AlertRulesDialog::rowOfWidget(const QWidget* widget, int column) const
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->cellWidget(row, column) == widget) {
            return row;
        }
    }
    return -1;
}

AlertRuleKind AlertRulesDialog::kindAt(int row) const
{
    const auto* box = qobject_cast<const QComboBox*>(m_table->cellWidget(row, KindColumn));
    return box ? static_cast<AlertRuleKind>(box->currentData().toInt()) : AlertRuleKind::Distance;
}

AlertScope AlertRulesDialog::scopeAt(int row) const
{
    const auto* box = qobject_cast<const QComboBox*>(m_table->cellWidget(row, ScopeColumn));
    return box ? static_cast<AlertScope>(box->currentData().toInt()) : AlertScope::All;
}

void AlertRulesDialog::onKindChanged(QComboBox* box)
{
    const int row = rowOfWidget(box, KindColumn);
    if (row < 0) {
        return;
    }
    // Another kind measures in another unit: its own default thresholds, not numbers meant for the old one.
    const AlertRule defaults = defaultRule(kindAt(row));
    m_table->item(row, UnitColumn)->setText(unitText(defaults.kind));
    m_table->item(row, WarningColumn)->setText(optionalText(defaults.warning));
    m_table->item(row, CriticalColumn)->setText(optionalText(defaults.critical));
    m_table->item(row, EmergencyColumn)->setText(optionalText(defaults.emergency));
    m_table->item(row, RearmColumn)->setText(numberText(defaults.rearm));
}

void AlertRulesDialog::onScopeChanged(QComboBox* box)
{
    if (const int row = rowOfWidget(box, ScopeColumn); row >= 0) {
        updateScopeCells(row);
    }
}

void AlertRulesDialog::updateScopeCells(int row)
{
    const AlertScope scope = scopeAt(row);
    const auto editable = [](bool on) {
        return on ? Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable : Qt::ItemIsSelectable;
    };
    QTableWidgetItem* account = m_table->item(row, AccountColumn);
    QTableWidgetItem* symbol = m_table->item(row, SymbolColumn);
    account->setFlags(editable(scope != AlertScope::All));
    symbol->setFlags(editable(scope == AlertScope::Position));
    account->setToolTip(scope == AlertScope::All ? tr("Not used: the rule watches every position") : QString());
    symbol->setToolTip(scope != AlertScope::Position ? tr("Not used: the rule watches whole accounts") : QString());
}

QString AlertRulesDialog::ruleTitle(int row, const AlertRule& rule) const
{
    QString subject;
    switch (rule.scope) {
    case AlertScope::All:
        subject = tr("all positions");
        break;
    case AlertScope::Account:
        subject = rule.account.empty() ? tr("one account") : tr("account %1").arg(QString::fromStdString(rule.account));
        break;
    case AlertScope::Position:
        subject = rule.account.empty() || rule.symbol.empty()
                      ? tr("one position")
                      : tr("%1 in %2").arg(QString::fromStdString(rule.symbol), QString::fromStdString(rule.account));
        break;
    }
    return tr("Rule %1 (%2, %3)").arg(row + 1).arg(kindText(rule.kind), subject);
}

std::optional<AlertSettings> AlertRulesDialog::collect(QString* problem) const
{
    return collectSettings(problem, nullptr);
}

bool AlertRulesDialog::collectDeleverage(AlertSettings& settings, QString* problem, DeleveragePlace* place) const
{
    const auto refuse = [&](int row, int column, const QString& why) {
        if (problem != nullptr) {
            *problem = tr("%1%2: %3")
                           .arg(deleverageTitle(row),
                                column < 0 ? QString() : QStringLiteral(" — ") + deleverageFieldName(column), why);
        }
        if (place != nullptr) {
            *place = {row, column};
        }
        return false;
    };
    settings.deleverage.clear();
    for (int row = 0; row < m_deleverageTable->rowCount(); ++row) {
        AccountAutomation automation;
        // What the table does not show (fraction per order, headroom, data ages) stays as it was read.
        automation.settings = m_deleverageBase[std::size_t(row)];
        AccountDeleverageSettings& account = automation.settings;
        const DeleverageTarget shownTarget = account.target;

        const QString label = deleverageLabelAt(row);
        if (label.isEmpty()) {
            return refuse(row, AccountLabelColumn, tr("give the account's label as in Settings → Exchanges."));
        }
        for (int earlier = 0; earlier < row; ++earlier) {
            if (deleverageLabelAt(earlier) == label) {
                return refuse(row, AccountLabelColumn,
                              tr("“%1” is already set in row %2; one row per account.").arg(label).arg(earlier + 1));
            }
        }
        automation.accountLabel = label.toStdString();
        account.enabled = m_deleverageTable->item(row, OnColumn)->checkState() == Qt::Checked;
        account.dryRun = m_deleverageTable->item(row, DryRunColumn)->checkState() == Qt::Checked;

        const QString distanceText = m_deleverageTable->item(row, TargetDistanceColumn)->text().trimmed();
        const QString ratioText = m_deleverageTable->item(row, TargetRatioColumn)->text().trimmed();
        if (!distanceText.isEmpty() && !ratioText.isEmpty()) {
            return refuse(row, TargetRatioColumn, tr("give one target: a distance or a margin ratio, not both."));
        }
        if (distanceText.isEmpty() && ratioText.isEmpty()) {
            return refuse(row, TargetDistanceColumn,
                          tr("give a target: a distance to liquidation in % of the mark, or a margin ratio in %."));
        }
        const bool distance = !distanceText.isEmpty();
        const int targetColumn = distance ? TargetDistanceColumn : TargetRatioColumn;
        const std::optional<double> target = parseNumber(distance ? distanceText : ratioText);
        if (!target) {
            return refuse(row, targetColumn,
                          tr("“%1” is not a number in %.").arg(distance ? distanceText : ratioText));
        }
        // Untouched, the target keeps its exact value (a ratio shown ×100 need not divide back to the same bits).
        const bool untouched = distance ? shownTarget.kind == DeleverageTarget::Kind::Distance &&
                                              distanceText == numberText(shownTarget.value)
                                        : shownTarget.kind == DeleverageTarget::Kind::MarginRatio &&
                                              ratioText == numberText(shownTarget.value * 100.0);
        if (!untouched) {
            account.target = distance ? DeleverageTarget::distancePct(*target) : DeleverageTarget::marginRatio(*target / 100.0);
        }

        const auto* trigger = qobject_cast<const QComboBox*>(m_deleverageTable->cellWidget(row, TriggerColumn));
        account.triggerLevel = static_cast<AlertLevel>(trigger->currentData().toInt());

        const QString countdownText = m_deleverageTable->item(row, CountdownColumn)->text().trimmed();
        const std::optional<int> countdown = parseWhole(countdownText, 0, kMaxCountdownSeconds);
        if (!countdown) {
            return refuse(row, CountdownColumn,
                          tr("“%1” is not a whole number of seconds from 1 to %2.").arg(countdownText).arg(kMaxCountdownSeconds));
        }
        account.countdown = std::chrono::seconds(*countdown);
        const std::array<std::pair<int, int*>, 2> caps{{{MaxPerHourColumn, &account.maxOrdersPerPositionPerHour},
                                                       {MaxPerDayColumn, &account.maxOrdersPerPositionPerDay}}};
        for (const auto& [column, cap] : caps) {
            const QString capText = m_deleverageTable->item(row, column)->text().trimmed();
            const std::optional<int> value = parseWhole(capText, 0, kMaxOrderCap);
            if (!value) {
                return refuse(row, column, tr("“%1” is not a whole number of orders from 0 to %2.").arg(capText).arg(kMaxOrderCap));
            }
            *cap = *value;
        }

        if (const std::optional<std::string> wrong = account.problem(/*headless=*/false)) {
            int column = -1;
            if (account.target.problem()) {
                column = targetColumn;
            } else if (account.countdown.count() <= 0) {
                column = CountdownColumn;
            }
            return refuse(row, column, QString::fromStdString(*wrong) + QLatin1Char('.'));
        }
        settings.deleverage.push_back(std::move(automation));
    }
    return true;
}

std::optional<AlertSettings> AlertRulesDialog::collectSettings(QString* problem, DeleveragePlace* place) const
{
    const auto refuse = [problem](const QString& why) -> std::optional<AlertSettings> {
        if (problem != nullptr) {
            *problem = why;
        }
        return std::nullopt;
    };
    AlertSettings settings = m_saved; // keeps what the dialog does not show (the volatility windows)
    settings.policy.rules.clear();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        AlertRule rule;
        rule.kind = kindAt(row);
        rule.scope = scopeAt(row);
        if (rule.scope != AlertScope::All) {
            rule.account = m_table->item(row, AccountColumn)->text().trimmed().toStdString();
        }
        if (rule.scope == AlertScope::Position) {
            rule.symbol = m_table->item(row, SymbolColumn)->text().trimmed().toStdString();
        }
        rule.enabled = m_table->item(row, EnabledColumn)->checkState() == Qt::Checked;
        const std::array<std::pair<int, std::optional<double>*>, 4> numbers{{{WarningColumn, &rule.warning},
                                                                              {CriticalColumn, &rule.critical},
                                                                              {EmergencyColumn, &rule.emergency},
                                                                              {RearmColumn, nullptr}}};
        for (const auto& [column, level] : numbers) {
            const QString text = m_table->item(row, column)->text().trimmed();
            if (text.isEmpty()) {
                continue; // no such level; an empty re-arm band is 0
            }
            const std::optional<double> value = parseNumber(text);
            if (!value) {
                return refuse(tr("%1 — %2: “%3” is not a number in %4.")
                                  .arg(ruleTitle(row, rule), columnTitle(column), text, unitText(rule.kind)));
            }
            if (level != nullptr) {
                *level = value;
            } else {
                rule.rearm = *value;
            }
        }
        if (const std::string wrong = rule.problem(); !wrong.empty()) {
            const int column = outOfOrderColumn(rule);
            return refuse(tr("%1%2: %3.")
                              .arg(ruleTitle(row, rule), column < 0 ? QString() : QStringLiteral(" — ") + columnTitle(column),
                                   QString::fromStdString(wrong)));
        }
        settings.policy.rules.push_back(std::move(rule));
    }
    settings.policy.cooldown = std::chrono::seconds(m_cooldown->value());
    settings.policy.escalateAfter = std::chrono::seconds(m_escalateAfter->value());
    settings.sound = m_sound->isChecked();
    settings.volume = m_volume->value() / 100.0;
    settings.webhookUrl = m_webhookUrl->text().trimmed().toStdString();
    if (!collectDeleverage(settings, problem, place)) {
        return std::nullopt;
    }

    // The file's own reader has the last word: what is saved must read back.
    try {
        (void)readAlertSettings(writeAlertSettings(settings));
    } catch (const ConfigError& error) {
        const QString field = QString::fromStdString(error.field());
        const QString reason = QString::fromStdString(error.reason());
        static const QRegularExpression ruleField(QStringLiteral(R"(^rules\[(\d+)\](?:\.(\w+))?$)"));
        if (const QRegularExpressionMatch match = ruleField.match(field); match.hasMatch()) {
            const int row = match.captured(1).toInt();
            const QString name = match.captured(2);
            const std::array<std::pair<const char*, int>, 5> columns{{{"warning", WarningColumn},
                                                                      {"critical", CriticalColumn},
                                                                      {"emergency", EmergencyColumn},
                                                                      {"rearm", RearmColumn},
                                                                      {"account", AccountColumn}}};
            QString where;
            for (const auto& [key, column] : columns) {
                if (name == QLatin1String(key)) {
                    where = QStringLiteral(" — ") + columnTitle(column);
                }
            }
            const AlertRule& rule = settings.policy.rules[std::size_t(row)];
            return refuse(tr("%1%2: %3.").arg(ruleTitle(row, rule), where, reason));
        }
        static const QRegularExpression deleverageField(QStringLiteral(R"(^deleverage\[(\d+)\](?:\.(\w+))?$)"));
        if (const QRegularExpressionMatch match = deleverageField.match(field); match.hasMatch()) {
            const int row = match.captured(1).toInt();
            const QString name = match.captured(2);
            const std::array<std::pair<const char*, int>, 6> columns{{{"account", AccountLabelColumn},
                                                                      {"targetDistancePct", TargetDistanceColumn},
                                                                      {"targetMarginRatioPct", TargetRatioColumn},
                                                                      {"countdownSeconds", CountdownColumn},
                                                                      {"maxOrdersPerHour", MaxPerHourColumn},
                                                                      {"maxOrdersPerDay", MaxPerDayColumn}}};
            int column = -1;
            for (const auto& [key, each] : columns) {
                if (name == QLatin1String(key)) {
                    column = each;
                }
            }
            if (place != nullptr) {
                *place = {row, column};
            }
            return refuse(tr("%1%2: %3.")
                              .arg(deleverageTitle(row),
                                   column < 0 ? QString() : QStringLiteral(" — ") + deleverageFieldName(column), reason));
        }
        if (field == QLatin1String("webhookUrl")) {
            return refuse(tr("Webhook URL: %1.").arg(reason));
        }
        return refuse(field.isEmpty() ? reason : tr("%1: %2.").arg(field, reason));
    }
    return settings;
}

QString AlertRulesDialog::save()
{
    QString problem;
    DeleveragePlace place;
    const std::optional<AlertSettings> settings = collectSettings(&problem, &place);
    if (!settings && place.row >= 0) {
        // Point at the deleveraging row and field at fault.
        showProblem(problem);
        m_tabs->setCurrentIndex(DeleverageTab);
        if (place.row < m_deleverageTable->rowCount()) {
            m_deleverageTable->setCurrentCell(place.row, place.column >= 0 ? place.column : OnColumn);
        }
        return problem;
    }
    if (!settings) {
        // Point at the rule at fault.
        static const QRegularExpression ruleNumber(QStringLiteral(R"(^Rule (\d+) \(.*?\)(?: — ([^:]+))?:)"));
        const QRegularExpressionMatch match = ruleNumber.match(problem);
        int column = -1;
        for (int each = 0; match.hasMatch() && each < RuleColumnCount; ++each) {
            if (columnTitle(each) == match.captured(2)) {
                column = each;
            }
        }
        showProblem(problem, match.hasMatch() ? match.captured(1).toInt() - 1 : -1, column);
        return problem;
    }
    if (!m_store.save(*settings, &problem)) {
        showProblem(problem);
        return problem;
    }
    m_saved = *settings;
    showProblem({});
    Q_EMIT settingsSaved(m_saved);
    accept();
    return {};
}

void AlertRulesDialog::addRule(AlertRuleKind kind)
{
    appendRow(defaultRule(kind));
    m_table->setCurrentCell(m_table->rowCount() - 1, WarningColumn);
    updateButtons();
}

void AlertRulesDialog::removeRule(int row)
{
    if (row < 0 || row >= m_table->rowCount()) {
        return;
    }
    m_table->removeRow(row);
    updateButtons();
}

void AlertRulesDialog::restoreDefaults()
{
    const AlertPolicy defaults = defaultAlertPolicy();
    showRules(defaults.rules);
    m_cooldown->setValue(static_cast<int>(defaults.cooldown.count()));
    m_escalateAfter->setValue(static_cast<int>(defaults.escalateAfter.count()));
    showProblem({});
}

QString AlertRulesDialog::problemText() const
{
    return m_problem->text();
}

void AlertRulesDialog::showProblem(const QString& problem, int row, int column)
{
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    if (row >= 0 && row < m_table->rowCount()) {
        m_tabs->setCurrentIndex(RulesTab);
        m_table->setCurrentCell(row, column >= 0 ? column : WarningColumn);
    }
}

void AlertRulesDialog::updateButtons()
{
    m_removeRule->setEnabled(m_table->currentRow() >= 0 && !m_table->selectedItems().isEmpty());
    if (m_removeDeleverage != nullptr) {
        m_removeDeleverage->setEnabled(m_deleverageTable->currentRow() >= 0 && !m_deleverageTable->selectedItems().isEmpty());
    }
}

} // namespace mm::ui
