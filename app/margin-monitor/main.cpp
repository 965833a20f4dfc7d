// margin-monitor — the desktop application.
//
//   margin-monitor [--demo] [--portfolio FILE …] [--screenshot FILE --quit-after SECONDS]
//
// It watches the exchange accounts of Settings → Exchanges (keys from the OS keychain), the
// portfolio files given and the positions entered by hand (Positions → Manual positions…, kept in
// the app's data folder). With none of them it runs the embedded demo: the exchange simulator in
// this process. Without a display (and no --screenshot) it says so and runs
// `marginctl watch --demo` in the terminal instead.
#include "version.h"

#include "app/app_files.h"
#include "app/single_instance.h"
#include "bridge/engine_host.h"
#include "bridge/configured_accounts_loader.h"
#include "bridge/key_checker.h"
#include "dialogs/account_secrets.h"
#include "dialogs/accounts_store.h"
#include "dialogs/alert_settings_store.h"
#include "dialogs/manual_positions_store.h"
#include "keychain/secret_store.h"
#include "portfolio/portfolio_file.h"
#include "views/main_window.h"
#include "views/theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QFileInfo>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <vector>

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitAlreadyRunning = 3;

bool hasDisplay()
{
    const auto set = [](const char* name) { return std::getenv(name) != nullptr && *std::getenv(name) != '\0'; };
    return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
}

bool wants(int argc, char** argv, const char* option)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument(argv[i]);
        if (argument == option || (argument.size() > std::strlen(option) && argument.starts_with(option) &&
                                   argument[std::strlen(option)] == '=')) {
            return true; // --option, or --option=value
        }
    }
    return false;
}

/// No display: the same monitor in the terminal, from the marginctl next to this executable.
[[noreturn]] void runInTerminal(const char* self)
{
    std::cerr << "margin-monitor: no display found (DISPLAY and WAYLAND_DISPLAY are not set); running the terminal "
                 "monitor instead: marginctl watch --demo\n";
    const std::string directory = QFileInfo(QString::fromLocal8Bit(self)).absolutePath().toStdString();
    const std::string marginctl = directory + "/marginctl";
    ::execl(marginctl.c_str(), marginctl.c_str(), "watch", "--demo", static_cast<char*>(nullptr));
    std::cerr << "margin-monitor: cannot start " << marginctl << ": " << std::strerror(errno) << "\n";
    std::exit(1);
}

} // namespace

int main(int argc, char** argv)
{
    // --help and --version answer without a display too (from a terminal, a package check), and
    // --screenshot renders offscreen.
    const bool needsNoDisplay = wants(argc, argv, "--help") || wants(argc, argv, "-h") || wants(argc, argv, "--help-all") ||
                                wants(argc, argv, "--version") || wants(argc, argv, "-v") ||
                                wants(argc, argv, "--screenshot");
    if (!hasDisplay()) {
        if (needsNoDisplay) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        } else {
            runInTerminal(argv[0]);
        }
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Margin Monitor"));
    QApplication::setOrganizationName(QStringLiteral("margin-monitor"));
    QApplication::setApplicationVersion(QStringLiteral(MM_VERSION));
    // The desktop entry's name is the window's Wayland app id; on X11 the window class is the application name,
    // which the entry names as StartupWMClass.
    QGuiApplication::setDesktopFileName(QString::fromLatin1(mm::ui::kDesktopId));
    QApplication::setWindowIcon(mm::ui::AppFiles::appIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Watches leveraged positions on several exchanges against live mark prices.\n"
                                                    "With no portfolio, runs the demo on simulated exchanges."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoOption(QStringLiteral("demo"), QStringLiteral("Simulated exchanges in this process (the default with no portfolio)."));
    const QCommandLineOption portfolioOption(QStringLiteral("portfolio"), QStringLiteral("A portfolio file (the eval schema); may be repeated."),
                                             QStringLiteral("FILE"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"), QStringLiteral("Render the main window to this PNG and exit."),
                                              QStringLiteral("FILE"));
    const QCommandLineOption quitAfterOption(QStringLiteral("quit-after"), QStringLiteral("Seconds to run before the screenshot (default 5)."),
                                             QStringLiteral("SECONDS"), QStringLiteral("5"));
    const QCommandLineOption timeScaleOption(QStringLiteral("time-scale"), QStringLiteral("Demo: play the scenario this many times faster."),
                                             QStringLiteral("X"), QStringLiteral("1"));
    parser.addOptions({demoOption, portfolioOption, screenshotOption, quitAfterOption, timeScaleOption});
    parser.process(app);

    const auto fail = [](const QString& message) {
        std::cerr << "margin-monitor: " << message.toStdString() << "\n";
        return kExitBadInput;
    };
    bool ok = false;
    const double quitAfter = parser.value(quitAfterOption).toDouble(&ok);
    if (!ok || quitAfter <= 0) {
        return fail(QStringLiteral("--quit-after %1: must be a positive number of seconds").arg(parser.value(quitAfterOption)));
    }
    const double timeScale = parser.value(timeScaleOption).toDouble(&ok);
    if (!ok || timeScale <= 0 || timeScale > 10'000) {
        return fail(QStringLiteral("--time-scale %1: must be a number from 0 to 10000").arg(parser.value(timeScaleOption)));
    }
    if (parser.isSet(demoOption) && parser.isSet(portfolioOption)) {
        return fail(QStringLiteral("give --demo or --portfolio, not both"));
    }

    mm::ui::ManualPositionsStore manualPositions;
    const auto manual = manualPositions.load();
    if (!manual.problem.isEmpty()) {
        std::cerr << "margin-monitor: the manual positions cannot be read, so none are shown (the file is kept as it is): "
                  << manual.problem.toStdString() << "\n";
    }
    // The exchange accounts of Settings → Exchanges (their keys are read from the keychain once the
    // window is up: the keychain may ask the trader to unlock it).
    mm::ui::AccountsStore accountsStore;
    const auto configured = accountsStore.load();
    if (!configured.problem.isEmpty()) {
        std::cerr << "margin-monitor: the exchange accounts cannot be read, so none are watched (the file is kept as it "
                     "is): "
                  << configured.problem.toStdString() << "\n";
    }
    // The alert rules, the webhook and automatic deleveraging (Settings → Alert rules; alerts.json).
    mm::ui::AlertSettingsStore alertSettings;
    const auto alerts = alertSettings.load();
    if (!alerts.problem.isEmpty()) {
        std::cerr << "margin-monitor: the alert settings cannot be read, so the default rules apply and no account "
                     "deleverages (the file is kept as it is): "
                  << alerts.problem.toStdString() << "\n";
    }
    mm::ui::EngineOptions options;
    options.alerts = alerts.settings;
    // The journal: every alert, acknowledgement and deleverage step, and the marks' history.
    const QString dataFolder = mm::ui::AppFiles::dataFolder();
    if (!dataFolder.isEmpty()) {
        options.journalFile = std::filesystem::path(dataFolder.toStdString()) / "journal.db";
    }
    options.demo = parser.isSet(demoOption) ||
                   (!parser.isSet(portfolioOption) && manual.accounts.empty() && configured.accounts.empty());
    options.demoTimeScale = timeScale;
    try {
        options.manualAccounts = mm::ui::portfoliosFrom(manual.accounts);
    } catch (const std::exception& error) {
        return fail(QStringLiteral("%1: %2").arg(manualPositions.path(), QString::fromUtf8(error.what())));
    }
    for (const QString& path : parser.values(portfolioOption)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            return fail(QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
        }
        try {
            options.monitor.accounts.push_back(mm::readPortfolio(file.readAll().toStdString()));
        } catch (const std::exception& error) {
            return fail(QStringLiteral("%1: %2").arg(path, QString::fromUtf8(error.what())));
        }
    }

    mm::ui::applyDarkTheme(app);
    // One copy per user, whatever it watches (a demo copy becomes a real one when an account is
    // saved): a second would alert twice and could deleverage twice. Started again — the menu entry
    // clicked once more — it brings the running window forward and ends. Taken once the arguments
    // are known good, so a mistyped file is still reported as such.
    mm::ui::SingleInstance instance(mm::ui::AppFiles::dataFolder());
    if (!instance.isFirst()) {
        const bool shown = instance.activateRunning();
        const QString said =
            QObject::tr("Margin Monitor is already running for this user (process %1). %2")
                .arg(instance.runningProcess())
                .arg(shown ? QObject::tr("Its window was brought forward.")
                           : QObject::tr("It did not answer within 2 seconds; if it is stuck, end it and start again."));
        std::cerr << "margin-monitor: " << said.toStdString() << "\n";
        // Said in a window too when the trader cannot see the answer: the running copy did not come
        // forward, or this start asked for something else (the demo, a portfolio file).
        const bool askedForSomethingElse = parser.isSet(demoOption) || parser.isSet(portfolioOption);
        if (!parser.isSet(screenshotOption) && (!shown || askedForSomethingElse)) {
            QMessageBox::information(nullptr, QObject::tr("Margin Monitor"),
                                     said + (askedForSomethingElse
                                                 ? QObject::tr("\n\nOnly one copy runs at a time, so that no alert "
                                                               "sounds twice and no position is reduced twice. To "
                                                               "run the demo or a portfolio file, quit it first.")
                                                 : QString()));
        }
        return kExitAlreadyRunning;
    }
    if (!instance.problem().isEmpty()) {
        std::cerr << "margin-monitor: " << instance.problem().toStdString() << "\n";
    }
    std::unique_ptr<mm::ui::EngineHost> engine;
    try {
        engine = std::make_unique<mm::ui::EngineHost>(options);
    } catch (const std::exception& error) {
        return fail(QString::fromUtf8(error.what()));
    }
    // In an optional so that it can go before the engine stops (see the end).
    std::optional<mm::ui::MainWindow> windowStorage;
    mm::ui::MainWindow& window = windowStorage.emplace(*engine, &manualPositions, nullptr, &alertSettings);
    window.show();
    QObject::connect(&instance, &mm::ui::SingleInstance::activationRequested, &window, [&window] {
        window.setWindowState((window.windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
        window.show();
        window.raise();
        window.activateWindow();
    });
    // Venue problems go to the log too (stderr: the systemd journal under a desktop session), as
    // the status bar shows them. They name accounts and venues' answers, never a secret.
    QObject::connect(engine.get(), &mm::ui::EngineHost::venueProblem, &app, [](const QString& venue, const QString& detail) {
        std::cerr << "margin-monitor: " << venue.toStdString() << ": " << detail.toStdString() << "\n";
    });
    engine->start();
    mm::ui::SecretStore secrets;
    // At start, every read key is checked as on save (Settings → Exchanges): a key refused since, or
    // one that can withdraw, is said at once — loudly for withdrawal — not only when a read fails.
    mm::ui::KeyChecker keyChecker;
    const auto say = [&](const QString& text) {
        std::cerr << "margin-monitor: " << text.toStdString() << "\n";
        window.statusBar()->showMessage(text);
    };
    const auto checkKeysAtStart = [&](const std::vector<mm::ConfiguredAccount>& loaded) {
        for (const mm::ConfiguredAccount& account : loaded) {
            if (!mm::ui::venueNeedsKey(account.settings.venue) || account.readKey.empty()) {
                continue;
            }
            const QString name = QStringLiteral("key check, %1 account \"%2\"")
                                     .arg(QString::fromUtf8(mm::venueName(account.settings.venue).data()),
                                          QString::fromStdString(account.settings.label));
            keyChecker.check(account.settings, account.readKey, mm::KeyPurpose::Read, &window,
                             [&, name](const mm::KeyCheckResult& result) {
                                 if (!result.usable) {
                                     say(name + QStringLiteral(": not usable: ") + QString::fromStdString(result.problem));
                                 }
                                 for (const std::string& warning : result.warnings) {
                                     say(name + QStringLiteral(": ") + QString::fromStdString(warning));
                                 }
                                 if (!result.withdrawWarning.empty()) {
                                     const QString loud = name + QStringLiteral(": ") + QString::fromStdString(result.withdrawWarning);
                                     say(loud);
                                     if (!parser.isSet(screenshotOption)) {
                                         auto* box = new QMessageBox(QMessageBox::Warning, QObject::tr("This API key can withdraw funds"),
                                                                     loud, QMessageBox::Ok, &window);
                                         box->setAttribute(Qt::WA_DeleteOnClose);
                                         box->open(); // not modal to the app: the positions stay live
                                     }
                                 }
                             });
        }
    };
    const auto watchAccounts = [&](std::vector<mm::AccountSettings> accounts, bool checkKeys) {
        mm::ui::loadConfiguredAccounts(secrets, std::move(accounts),
                                       [&, checkKeys](std::vector<mm::ConfiguredAccount> loaded, const QStringList& problems) {
                                           for (const QString& problem : problems) {
                                               say(problem);
                                           }
                                           if (checkKeys) {
                                               checkKeysAtStart(loaded);
                                           }
                                           try {
                                               engine->setConfiguredAccounts(std::move(loaded));
                                           } catch (const std::exception& error) {
                                               say(QString::fromUtf8(error.what()));
                                           }
                                       });
    };
    if (!configured.accounts.empty() && !parser.isSet(demoOption)) {
        watchAccounts(configured.accounts, true);
    }
    // Saved in Settings → Exchanges: the dialog has just checked the key.
    QObject::connect(&window, &mm::ui::MainWindow::accountsChanged, &window,
                     [&](const std::vector<mm::AccountSettings>& accounts) { watchAccounts(accounts, false); });
    if (!manual.problem.isEmpty() && !parser.isSet(screenshotOption)) {
        QTimer::singleShot(0, &window, [&] {
            QMessageBox::warning(&window, QObject::tr("Manual positions"),
                                 QObject::tr("The manual positions cannot be read, so none are shown. The file is kept as "
                                             "it is; saving new ones keeps a copy of it beside them.\n\n%1")
                                     .arg(manual.problem));
        });
    }

    if (parser.isSet(quitAfterOption) && !parser.isSet(screenshotOption)) {
        QTimer::singleShot(static_cast<int>(quitAfter * 1000), &app, [] { QApplication::exit(0); });
    }
    if (parser.isSet(screenshotOption)) {
        const QString path = parser.value(screenshotOption);
        QTimer::singleShot(static_cast<int>(quitAfter * 1000), &app, [&] {
            const bool saved = window.grab().save(path, "PNG");
            if (!saved) {
                std::cerr << "margin-monitor: cannot write the screenshot " << path.toStdString() << "\n";
            }
            QApplication::exit(saved ? 0 : 1);
        });
    }
    const int status = QApplication::exec();
    // The window first: its read-only journal connection closes, so the engine's writer closes
    // last and SQLite folds the write-ahead log into journal.db and deletes it — one file remains.
    windowStorage.reset();
    engine->stop();
    return status;
}
