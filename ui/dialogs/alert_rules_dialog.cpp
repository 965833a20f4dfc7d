#include "dialogs/alert_rules_dialog.h"

#include "dialogs/alert_settings_store.h"
#include "models/alert_rules_model.h"
#include "models/check_delegate.h"
#include "models/choice_delegate.h"
#include "models/deleverage_settings_model.h"
#include "models/number_delegate.h"
#include "models/risk_level.h"

#include "config/accounts_config.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontMetrics>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace mm::ui {
namespace {

constexpr std::array kKinds{AlertRuleKind::Distance,          AlertRuleKind::MarginRatio, AlertRuleKind::SigmaDistance,
                            AlertRuleKind::TimeToLiquidation, AlertRuleKind::Velocity,    AlertRuleKind::Stale};
constexpr std::array kScopes{AlertScope::All, AlertScope::Account, AlertScope::Position};
constexpr std::array kLevels{AlertLevel::Warning, AlertLevel::Critical, AlertLevel::Emergency};
constexpr std::array kRuleFields{AlertRuleField::Kind,     AlertRuleField::Scope,     AlertRuleField::Account,
                                 AlertRuleField::Symbol,   AlertRuleField::Enabled,   AlertRuleField::Warning,
                                 AlertRuleField::Critical, AlertRuleField::Emergency, AlertRuleField::Rearm};
constexpr std::array kDeleverageFields{DeleverageField::Account,
                                       DeleverageField::Enabled,
                                       DeleverageField::DryRun,
                                       DeleverageField::TargetDistance,
                                       DeleverageField::TargetMarginRatio,
                                       DeleverageField::TriggerLevel,
                                       DeleverageField::Countdown,
                                       DeleverageField::MaxPerHour,
                                       DeleverageField::MaxPerDay,
                                       DeleverageField::MaxFractionPerOrder,
                                       DeleverageField::PlanningHeadroom};
constexpr int kMaxSeconds = alert_settings_limits::kTimingSeconds;

/// How a rule's thresholds are typed: the step and the most that makes sense, in the kind's unit.
NumberFormat thresholdFormat(AlertRuleKind kind, bool allowOff)
{
    NumberFormat format;
    format.allowOff = allowOff;
    format.suffix = AlertRulesModel::unitSuffix(kind);
    switch (kind) {
    case AlertRuleKind::Distance:
        format.step = 0.5;
        format.maximum = 1000;
        break;
    case AlertRuleKind::MarginRatio:
        format.step = 1;
        format.maximum = 100;
        break;
    case AlertRuleKind::SigmaDistance:
        format.step = 0.25;
        format.maximum = 100;
        break;
    case AlertRuleKind::TimeToLiquidation:
        format.step = 10;
        format.maximum = kMaxSeconds;
        break;
    case AlertRuleKind::Velocity:
        format.step = 0.5;
        format.maximum = 100;
        break;
    case AlertRuleKind::Stale:
        format.step = 5;
        format.maximum = kMaxSeconds;
        break;
    }
    return format;
}

/// "the last minute's", "the last 5 minutes'", "the last 90 seconds'": a window as a pace is measured over.
QString paceWindowText(std::chrono::seconds window)
{
    const auto seconds = window.count();
    if (seconds == 60) {
        return QObject::tr("the last minute's");
    }
    if (seconds > 0 && seconds % 60 == 0) {
        return QObject::tr("the last %1 minutes'").arg(seconds / 60);
    }
    return QObject::tr("the last %1 seconds'").arg(seconds);
}

QTableView* makeTable(QWidget* parent, QAbstractItemModel* model)
{
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked |
                          QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->horizontalHeader()->setStretchLastSection(false);
    view->verticalHeader()->setVisible(true);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 14);
    view->setWordWrap(false);
    return view;
}

} // namespace

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

    // One voice per position: how the rules below combine, said before the rules themselves.
    m_rulesNote = new QLabel(this);
    m_rulesNote->setObjectName(QStringLiteral("rulesNote"));
    m_rulesNote->setWordWrap(true);
    m_rulesNote->setTextFormat(Qt::RichText);
    m_rulesNote->setText(
        tr("<p><b>One alert per position.</b> All the rules below combine into one alert for each position (and for "
           "each account's cross margin), at the worst level any of them reaches; the rules that agree are listed as "
           "its reasons. It sounds when it is raised and each time its level rises; it eases quietly, once the danger "
           "has stayed lower for the time set below.</p>"
           "<p><b>Your thresholds</b> — distance to liquidation and margin ratio: obeyed exactly as you set them.<br>"
           "<b>Forecasts</b> — time to liquidation and velocity at the last minute's or %1 pace, and σ distance: the "
           "pace counts only while the price moves toward liquidation. Forecasts raise a position at most one level "
           "above its distance/margin-ratio level — they bring the next level forward, never skip one. (σ distance "
           "is off by default: in a crash the noise itself grows, and it cried wolf on recorded crashes.)<br>"
           "<b>Data</b> — marks that stopped arriving: no figure can be trusted until they return.</p>")
            .arg(paceWindowText(m_saved.policy.driftWindow)));

    m_rules = new AlertRulesModel(this);
    m_rulesView = makeTable(this, m_rules);
    m_rulesView->setObjectName(QStringLiteral("rulesView"));
    m_rulesView->horizontalHeader()->setStretchLastSection(true);
    std::vector<ChoiceDelegate::Choice> kinds;
    for (const AlertRuleKind kind : kKinds) {
        kinds.push_back({AlertRulesModel::kindText(kind), static_cast<int>(kind)});
    }
    std::vector<ChoiceDelegate::Choice> scopes;
    for (const AlertScope scope : kScopes) {
        scopes.push_back({AlertRulesModel::scopeText(scope), static_cast<int>(scope)});
    }
    m_accountChoices = new ChoiceDelegate(QStringList{}, this);
    m_rulesView->setItemDelegateForColumn(AlertRulesModel::Kind, new ChoiceDelegate(std::move(kinds), this));
    m_rulesView->setItemDelegateForColumn(AlertRulesModel::Scope, new ChoiceDelegate(std::move(scopes), this));
    m_rulesView->setItemDelegateForColumn(AlertRulesModel::Account, m_accountChoices);
    auto* checks = new CheckDelegate(this);
    m_rulesView->setItemDelegateForColumn(AlertRulesModel::Enabled, checks);
    auto* thresholds = new NumberDelegate(
        [this](const QModelIndex& index) {
            return thresholdFormat(m_rules->ruleAt(index.row()).kind, /*allowOff=*/true);
        },
        this);
    for (const int column : {AlertRulesModel::Warning, AlertRulesModel::Critical, AlertRulesModel::Emergency}) {
        m_rulesView->setItemDelegateForColumn(column, thresholds);
    }
    m_rulesView->setItemDelegateForColumn(
        AlertRulesModel::Rearm, new NumberDelegate(
                                    [this](const QModelIndex& index) {
                                        return thresholdFormat(m_rules->ruleAt(index.row()).kind, /*allowOff=*/false);
                                    },
                                    this));
    connect(m_rules, &QAbstractItemModel::modelReset, this, &AlertRulesDialog::updateGroupSpans);
    connect(m_rules, &QAbstractItemModel::rowsInserted, this, &AlertRulesDialog::updateGroupSpans);
    connect(m_rules, &QAbstractItemModel::rowsRemoved, this, &AlertRulesDialog::updateGroupSpans);
    connect(m_rules, &QAbstractItemModel::dataChanged, this, &AlertRulesDialog::updateGroupSpans);
    connect(m_rulesView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlertRulesDialog::updateButtons);

    auto* addButton = new QPushButton(tr("Add rule"), this);
    m_removeRule = new QPushButton(tr("Remove rule"), this);
    auto* defaultsButton = new QPushButton(tr("Restore default rules"), this);
    defaultsButton->setToolTip(tr("The rules, cooldown and escalation a new install starts with"));
    connect(addButton, &QPushButton::clicked, this, [this] { addRule(); });
    connect(m_removeRule, &QPushButton::clicked, this, [this] { removeRule(m_rulesView->currentIndex().row()); });
    connect(defaultsButton, &QPushButton::clicked, this, &AlertRulesDialog::restoreDefaults);
    auto* ruleButtons = new QHBoxLayout;
    ruleButtons->addWidget(addButton);
    ruleButtons->addWidget(m_removeRule);
    ruleButtons->addStretch(1);
    ruleButtons->addWidget(defaultsButton);

    // Delivery and timing.
    m_cooldown = new QSpinBox(this);
    m_cooldown->setObjectName(QStringLiteral("cooldown"));
    m_cooldown->setRange(0, kMaxSeconds);
    m_cooldown->setSuffix(tr(" s"));
    m_cooldown->setToolTip(tr("A rise always sounds at once. Going down waits: a level is eased, and the alert ends, "
                              "only once the danger has stayed below it this long — so a price hovering at a threshold "
                              "gives one alert, not a storm."));
    m_escalateAfter = new QSpinBox(this);
    m_escalateAfter->setObjectName(QStringLiteral("escalateAfter"));
    m_escalateAfter->setRange(0, kMaxSeconds);
    m_escalateAfter->setSuffix(tr(" s"));
    m_escalateAfter->setSpecialValueText(tr("off"));
    m_escalateAfter->setToolTip(
        tr("Off (0): a critical alert stays critical until its measures say otherwise. Else a "
           "critical alert nobody acknowledged or snoozed within this time becomes an emergency, "
           "and sounds."));
    m_sound = new QCheckBox(tr("Play a sound when an alert is raised or its level rises (one sound per level)"), this);
    m_volume = new QSlider(Qt::Horizontal, this);
    m_volume->setRange(0, 100);
    m_volume->setMinimumWidth(160);
    m_volumeText = new QLabel(this);
    m_volumeText->setMinimumWidth(QFontMetrics(font()).horizontalAdvance(QStringLiteral("100 %")) + 4);
    connect(m_volume, &QSlider::valueChanged, this,
            [this](int value) { m_volumeText->setText(QStringLiteral("%1 %").arg(value)); });
    connect(m_sound, &QCheckBox::toggled, m_volume, &QWidget::setEnabled);
    m_webhookUrl = new QLineEdit(this);
    m_webhookUrl->setObjectName(QStringLiteral("webhookUrl"));
    m_webhookUrl->setPlaceholderText(tr("https://… — empty: none"));
    m_webhookUrl->setToolTip(
        tr("Every alert change is also sent there as an HTTP POST of JSON (e.g. a push service for "
           "your phone). https:// only; http:// only to this computer."));

    auto* volumeRow = new QHBoxLayout;
    volumeRow->addWidget(m_volume);
    volumeRow->addWidget(m_volumeText);
    volumeRow->addStretch(1);
    auto* delivery = new QGroupBox(tr("Delivery and timing"), this);
    auto* form = new QFormLayout(delivery);
    // Numbers at their own width; only the URL takes the room there is.
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_webhookUrl->setMinimumWidth(520);
    form->addRow(tr("Ease a level, or end the alert, once the danger has stayed below it for"), m_cooldown);
    form->addRow(tr("Make an unacknowledged critical alert an emergency after"), m_escalateAfter);
    form->addRow(tr("Sound"), m_sound);
    form->addRow(tr("Volume"), volumeRow);
    form->addRow(tr("Also send every alert to (webhook URL)"), m_webhookUrl);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(riskColour(RiskLevel::Danger).name()));
    m_problem->setVisible(false);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] { (void)save(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* rulesPage = new QWidget(this);
    auto* rulesLayout = new QVBoxLayout(rulesPage);
    rulesLayout->addWidget(m_rulesNote);
    rulesLayout->addWidget(m_rulesView, 1);
    rulesLayout->addLayout(ruleButtons);
    rulesLayout->addWidget(delivery);

    // Automatic deleveraging, per account.
    auto* deleverageExplanation = new QLabel(
        tr("<p>When the alert of a position in an account reaches its trigger level, Margin Monitor can reduce the "
           "position until the target is reached. It is <b>off</b> for every account until you add the account here "
           "and tick <b>On</b>.</p>"
           "<p><b>Dry run</b> (ticked for a new row): each plan is shown and written to the journal, and nothing is "
           "sent. Orders go out only with the account's separate trade key (Settings → Exchanges), are reduce-only, "
           "wait for a countdown you can cancel, and there is at most one order per alert episode, within the caps "
           "per position per hour and per day.</p>"),
        this);
    deleverageExplanation->setWordWrap(true);
    deleverageExplanation->setTextFormat(Qt::RichText);

    m_deleverage = new DeleverageSettingsModel(this);
    m_deleverageView = makeTable(this, m_deleverage);
    m_deleverageView->setObjectName(QStringLiteral("deleverageView"));
    std::vector<ChoiceDelegate::Choice> levels;
    for (const AlertLevel level : kLevels) {
        levels.push_back({DeleverageSettingsModel::levelText(level), static_cast<int>(level)});
    }
    m_deleverageView->setItemDelegateForColumn(DeleverageSettingsModel::Account, m_accountChoices);
    m_deleverageView->setItemDelegateForColumn(DeleverageSettingsModel::On, checks);
    m_deleverageView->setItemDelegateForColumn(DeleverageSettingsModel::DryRun, checks);
    m_deleverageView->setItemDelegateForColumn(DeleverageSettingsModel::Trigger,
                                               new ChoiceDelegate(std::move(levels), this));
    const auto fixed = [this](NumberFormat format) {
        return new NumberDelegate([format](const QModelIndex&) { return format; }, this);
    };
    m_deleverageView->setItemDelegateForColumn(DeleverageSettingsModel::TargetDistance,
                                               fixed({0.5, 99.5, 0.5, false, false, QStringLiteral("%"), 10}));
    m_deleverageView->setItemDelegateForColumn(DeleverageSettingsModel::TargetRatio,
                                               fixed({1, 99, 1, false, false, QStringLiteral("%"), 80}));
    m_deleverageView->setItemDelegateForColumn(
        DeleverageSettingsModel::Countdown,
        fixed({1, double(alert_settings_limits::kCountdownSeconds), 1, true, false, QStringLiteral("s")}));
    for (const int column : {DeleverageSettingsModel::MaxPerHour, DeleverageSettingsModel::MaxPerDay}) {
        m_deleverageView->setItemDelegateForColumn(
            column, fixed({0, double(alert_settings_limits::kOrderCap), 1, true, false, {}}));
    }
    connect(m_deleverage, &QAbstractItemModel::dataChanged, this, &AlertRulesDialog::updateLiveNote);
    connect(m_deleverage, &QAbstractItemModel::rowsRemoved, this, &AlertRulesDialog::updateLiveNote);
    connect(m_deleverage, &QAbstractItemModel::rowsInserted, this, &AlertRulesDialog::updateLiveNote);
    connect(m_deleverage, &QAbstractItemModel::modelReset, this, &AlertRulesDialog::updateLiveNote);
    connect(m_deleverageView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlertRulesDialog::updateButtons);

    auto* addDeleverage = new QPushButton(tr("Add account"), this);
    m_removeDeleverage = new QPushButton(tr("Remove account"), this);
    connect(addDeleverage, &QPushButton::clicked, this, &AlertRulesDialog::addDeleverageRow);
    connect(m_removeDeleverage, &QPushButton::clicked, this,
            [this] { removeDeleverageRow(m_deleverageView->currentIndex().row()); });
    auto* deleverageButtons = new QHBoxLayout;
    deleverageButtons->addWidget(addDeleverage);
    deleverageButtons->addWidget(m_removeDeleverage);
    deleverageButtons->addStretch(1);

    m_liveNote = new QLabel(this);
    m_liveNote->setWordWrap(true);
    m_liveNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_liveNote->setStyleSheet(
        QStringLiteral("color: %1; font-weight: bold;").arg(riskColour(RiskLevel::Danger).name()));
    m_liveNote->setVisible(false);

    auto* deleveragePage = new QWidget(this);
    auto* deleverageLayout = new QVBoxLayout(deleveragePage);
    deleverageLayout->addWidget(deleverageExplanation);
    deleverageLayout->addWidget(m_deleverageView, 1);
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
    resize(1260, 780);
}

void AlertRulesDialog::showSettings(const AlertSettings& settings)
{
    m_rules->setRules(settings.policy.rules);
    m_rulesView->resizeColumnsToContents();
    for (const int column : {AlertRulesModel::Account, AlertRulesModel::Symbol}) {
        m_rulesView->setColumnWidth(column, std::max(m_rulesView->columnWidth(column), 96));
    }
    // Room for the longest choice of the lists, not only for those shown now.
    const auto widest = [this](const QStringList& texts) {
        int width = 0;
        for (const QString& each : texts) {
            width = std::max(width, m_rulesView->fontMetrics().horizontalAdvance(each));
        }
        return width + 40; // the margins and a combo box's arrow while editing
    };
    QStringList kindTexts;
    for (const AlertRuleKind kind : kKinds) {
        kindTexts << AlertRulesModel::kindText(kind);
    }
    QStringList scopeTexts;
    for (const AlertScope scope : kScopes) {
        scopeTexts << AlertRulesModel::scopeText(scope);
    }
    m_rulesView->setColumnWidth(AlertRulesModel::Kind,
                                std::max(m_rulesView->columnWidth(AlertRulesModel::Kind), widest(kindTexts)));
    m_rulesView->setColumnWidth(AlertRulesModel::Scope,
                                std::max(m_rulesView->columnWidth(AlertRulesModel::Scope), widest(scopeTexts)));
    for (const int column :
         {AlertRulesModel::Warning, AlertRulesModel::Critical, AlertRulesModel::Emergency, AlertRulesModel::Rearm}) {
        m_rulesView->setColumnWidth(column, std::max(m_rulesView->columnWidth(column), 80));
    }
    m_cooldown->setValue(static_cast<int>(settings.policy.cooldown.count()));
    m_escalateAfter->setValue(static_cast<int>(settings.policy.escalateAfter.count()));
    m_sound->setChecked(settings.sound);
    m_volume->setEnabled(settings.sound);
    m_volume->setValue(static_cast<int>(std::lround(settings.volume * 100.0)));
    m_volumeText->setText(QStringLiteral("%1 %").arg(m_volume->value()));
    m_webhookUrl->setText(QString::fromStdString(settings.webhookUrl));

    m_deleverage->setAutomations(settings.deleverage);
    m_deleverageView->resizeColumnsToContents();
    m_deleverageView->setColumnWidth(DeleverageSettingsModel::Account,
                                     std::max(m_deleverageView->columnWidth(DeleverageSettingsModel::Account), 200));
    for (const int column : {DeleverageSettingsModel::On, DeleverageSettingsModel::DryRun}) {
        m_deleverageView->setColumnWidth(column, std::max(m_deleverageView->columnWidth(column), 70));
    }
    for (const int column : {DeleverageSettingsModel::TargetDistance, DeleverageSettingsModel::TargetRatio,
                             DeleverageSettingsModel::Trigger, DeleverageSettingsModel::Countdown,
                             DeleverageSettingsModel::MaxPerHour, DeleverageSettingsModel::MaxPerDay}) {
        m_deleverageView->setColumnWidth(column, std::max(m_deleverageView->columnWidth(column), 110));
    }
    updateButtons();
    showProblem({});
}

void AlertRulesDialog::updateGroupSpans()
{
    // The group's name once beside each run of its rules, so the table reads as three sections.
    m_rulesView->clearSpans();
    const int rows = m_rules->rowCount();
    for (int first = 0; first < rows;) {
        const int group = m_rules->index(first, AlertRulesModel::Group).data(AlertRulesModel::GroupRole).toInt();
        int last = first;
        while (last + 1 < rows &&
               m_rules->index(last + 1, AlertRulesModel::Group).data(AlertRulesModel::GroupRole).toInt() == group) {
            ++last;
        }
        if (last > first) {
            m_rulesView->setSpan(first, AlertRulesModel::Group, last - first + 1, 1);
        }
        first = last + 1;
    }
}

void AlertRulesDialog::updateLiveNote()
{
    QStringList lines;
    for (int row = 0; row < m_deleverage->rowCount(); ++row) {
        if (!m_deleverage->index(row, 0).data(DeleverageSettingsModel::LiveRole).toBool()) {
            continue;
        }
        const AccountAutomation& automation = m_deleverage->automations()[std::size_t(row)];
        const QString label = QString::fromStdString(automation.accountLabel);
        lines << tr("Live: reduce-only orders will be sent for %1 after a %2 s countdown, when the alert of one of its "
                    "positions reaches %3.")
                     .arg(label.isEmpty() ? tr("row %1").arg(row + 1) : label)
                     .arg(automation.settings.countdown.count())
                     .arg(DeleverageSettingsModel::levelText(automation.settings.triggerLevel));
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
    m_accountChoices->setSuggestions(labels);
}

void AlertRulesDialog::addDeleverageRow()
{
    AccountAutomation automation; // off, dry run
    for (const QString& known : std::as_const(m_knownAccounts)) {
        const std::string label = known.trimmed().toStdString();
        const auto& listed = m_deleverage->automations();
        if (std::none_of(listed.begin(), listed.end(),
                         [&](const AccountAutomation& each) { return each.accountLabel == label; })) {
            automation.accountLabel = label;
            break;
        }
    }
    const int row = m_deleverage->addAutomation(automation);
    m_deleverageView->setColumnWidth(DeleverageSettingsModel::Account,
                                     std::max(m_deleverageView->columnWidth(DeleverageSettingsModel::Account), 200));
    m_deleverageView->setCurrentIndex(m_deleverage->index(row, DeleverageSettingsModel::On));
    updateButtons();
}

void AlertRulesDialog::removeDeleverageRow(int row)
{
    if (row < 0 || row >= m_deleverage->rowCount()) {
        return;
    }
    m_deleverage->removeRows(row, 1);
    updateButtons();
}

std::optional<AlertSettings> AlertRulesDialog::collect(QString* problem) const
{
    return collectSettings(problem, nullptr);
}

std::optional<AlertSettings> AlertRulesDialog::collectSettings(QString* problem, Place* place) const
{
    const auto refuse = [&](const QString& why, Place where = Place()) -> std::optional<AlertSettings> {
        if (problem != nullptr) {
            *problem = why;
        }
        if (place != nullptr) {
            *place = where;
        }
        return std::nullopt;
    };
    // Every field's own check first, as the tables show them (core/config's checks), then the file's.
    if (const std::optional<AlertRulesModel::Problem> wrong = m_rules->firstProblem()) {
        return refuse(wrong->text, {RulesTab, wrong->row, wrong->column});
    }
    if (const std::optional<DeleverageSettingsModel::Problem> wrong = m_deleverage->firstProblem()) {
        return refuse(wrong->text, {DeleverageTab, wrong->row, wrong->column});
    }
    AlertSettings settings = m_saved; // keeps what the dialog does not show (the volatility and drift windows)
    settings.policy.rules = m_rules->rules();
    settings.policy.cooldown = std::chrono::seconds(m_cooldown->value());
    settings.policy.escalateAfter = std::chrono::seconds(m_escalateAfter->value()); // 0: off
    settings.sound = m_sound->isChecked();
    settings.volume = m_volume->value() / 100.0;
    settings.webhookUrl = m_webhookUrl->text().trimmed().toStdString();
    settings.deleverage = m_deleverage->automations();

    // The file's own reader has the last word: what is saved must read back.
    try {
        (void)readAlertSettings(writeAlertSettings(settings));
    } catch (const ConfigError& error) {
        const std::string& field = error.field();
        const QString reason = QString::fromStdString(error.reason());
        const auto entry = [&field](std::string_view list) -> std::optional<std::pair<int, std::string>> {
            // "rules[2].critical" → (2, "critical"); "rules[2]" → (2, "").
            const std::string prefix = std::string(list) + "[";
            if (field.rfind(prefix, 0) != 0) {
                return std::nullopt;
            }
            const auto close = field.find(']', prefix.size());
            if (close == std::string::npos) {
                return std::nullopt;
            }
            const int row = std::stoi(field.substr(prefix.size(), close - prefix.size()));
            return std::pair{row, close + 2 <= field.size() ? field.substr(close + 2) : std::string()};
        };
        if (const auto rule = entry("rules"); rule && rule->first < m_rules->rowCount()) {
            int column = -1;
            for (const AlertRuleField each : kRuleFields) {
                if (alertRuleFieldName(each) == rule->second) {
                    column = AlertRulesModel::columnOf(each);
                }
            }
            return refuse(tr("%1%2: %3.")
                              .arg(m_rules->ruleTitle(rule->first),
                                   column < 0
                                       ? QString()
                                       : QStringLiteral(" — ") +
                                             AlertRulesModel::columnTitle(static_cast<AlertRulesModel::Column>(column)),
                                   reason),
                          {RulesTab, rule->first, column});
        }
        if (const auto row = entry("deleverage"); row && row->first < m_deleverage->rowCount()) {
            std::optional<DeleverageSettingsModel::Column> column;
            for (const DeleverageField each : kDeleverageFields) {
                if (deleverageFieldName(each) == row->second) {
                    column = DeleverageSettingsModel::columnOf(each);
                }
            }
            return refuse(
                tr("%1%2: %3.")
                    .arg(m_deleverage->rowTitle(row->first),
                         column ? QStringLiteral(" — ") + DeleverageSettingsModel::fieldTitle(*column) : QString(),
                         reason),
                {DeleverageTab, row->first, column ? int(*column) : -1});
        }
        if (field == "webhookUrl") {
            return refuse(tr("Webhook URL: %1.").arg(reason), {RulesTab, -1, -1, m_webhookUrl});
        }
        return refuse(field.empty() ? reason : tr("%1: %2.").arg(QString::fromStdString(field), reason));
    }
    return settings;
}

QString AlertRulesDialog::save()
{
    QString problem;
    Place place;
    const std::optional<AlertSettings> settings = collectSettings(&problem, &place);
    if (!settings) {
        showProblem(problem, place);
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
    const int row = m_rules->addRule(AlertRulesModel::defaultRule(kind));
    m_rulesView->setCurrentIndex(m_rules->index(row, AlertRulesModel::Warning));
    m_rulesView->scrollTo(m_rules->index(row, AlertRulesModel::Warning));
    updateButtons();
}

void AlertRulesDialog::removeRule(int row)
{
    if (row < 0 || row >= m_rules->rowCount()) {
        return;
    }
    m_rules->removeRows(row, 1);
    updateButtons();
}

void AlertRulesDialog::restoreDefaults()
{
    const AlertPolicy defaults = defaultAlertPolicy();
    m_rules->setRules(defaults.rules);
    m_cooldown->setValue(static_cast<int>(defaults.cooldown.count()));
    m_escalateAfter->setValue(static_cast<int>(defaults.escalateAfter.count()));
    updateButtons();
    showProblem({});
}

QString AlertRulesDialog::problemText() const
{
    return m_problem->text();
}

void AlertRulesDialog::showProblem(const QString& problem, const Place& place)
{
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    if (place.tab < 0) {
        return;
    }
    m_tabs->setCurrentIndex(place.tab);
    QTableView* view = place.tab == RulesTab ? m_rulesView : m_deleverageView;
    QAbstractItemModel* model = view->model();
    if (place.row >= 0 && place.row < model->rowCount()) {
        const QModelIndex at = model->index(place.row, place.column >= 0 ? place.column : 0);
        view->setCurrentIndex(at);
        view->scrollTo(at);
        view->setFocus();
    }
    if (place.widget != nullptr) {
        place.widget->setFocus();
    }
}

void AlertRulesDialog::updateButtons()
{
    m_removeRule->setEnabled(m_rulesView->selectionModel()->hasSelection() && m_rulesView->currentIndex().isValid());
    m_removeDeleverage->setEnabled(m_deleverageView->selectionModel()->hasSelection() &&
                                   m_deleverageView->currentIndex().isValid());
}

} // namespace mm::ui
