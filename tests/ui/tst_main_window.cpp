#include "views/main_window.h"

#include <QLabel>
#include <QStatusBar>
#include <QtTest>

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsAndRenders();
};

void TestMainWindow::showsAndRenders()
{
    mm::ui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle(), QStringLiteral("Margin Monitor"));
    auto* placeholder = window.findChild<QLabel*>(QStringLiteral("placeholder"));
    QVERIFY(placeholder != nullptr);
    QVERIFY(placeholder->isVisible());
    QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Not connected"));
    // A rendering a person can look at (written next to the test binary).
    const QImage image = window.grab().toImage();
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), window.size());
    QVERIFY(image.save(QStringLiteral("tst_main_window.png")));
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
