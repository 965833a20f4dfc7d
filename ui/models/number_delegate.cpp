#include "models/number_delegate.h"

#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QLocale>

#include <cmath>
#include <optional>
#include <utility>

namespace mm::ui {
namespace {

/// A QDoubleSpinBox that shows numbers as typed ("10", "0.5", not "10.000000"), reads a point or the
/// locale's decimal comma, and — where allowed — takes an empty field or "off" for no value (its
/// minimum, one step below the real range, shown as "off").
class NumberSpinBox final : public QDoubleSpinBox {
public:
    NumberSpinBox(const NumberFormat& format, QWidget* parent) : QDoubleSpinBox(parent), m_format(format)
    {
        setDecimals(format.whole ? 0 : 8);
        setSingleStep(format.step);
        setRange(format.allowOff ? format.minimum - format.step : format.minimum, format.maximum);
        if (format.allowOff) {
            setSpecialValueText(NumberDelegate::offText());
        }
        if (!format.suffix.isEmpty()) {
            setSuffix(QLatin1Char(' ') + format.suffix);
        }
        setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setKeyboardTracking(false);
        setAccelerated(true);
        connect(this, &QDoubleSpinBox::valueChanged, this, [this] { m_edited = m_edited || !m_loading; });
        connect(lineEdit(), &QLineEdit::textEdited, this, [this] { m_edited = true; });
    }

    /// Shows the model's value (none: "off", or where to start typing); nothing is edited yet.
    void load(const QVariant& value)
    {
        m_loading = true;
        if (value.isValid() && !value.isNull()) {
            setValue(value.toDouble());
        } else {
            setValue(m_format.allowOff ? minimum() : m_format.emptyStart);
        }
        m_loading = false;
        m_edited = false;
    }
    /// Whether the trader changed anything since load().
    [[nodiscard]] bool edited() const { return m_edited; }
    [[nodiscard]] bool isOff() const { return m_format.allowOff && value() <= minimum(); }

    QString textFromValue(double value) const override
    {
        return QString::number(m_format.whole ? std::round(value) : value, 'g', 12);
    }

    double valueFromText(const QString& text) const override
    {
        const QString number = numberPart(text);
        if (m_format.allowOff && saysOff(number)) {
            return minimum();
        }
        return parse(number).value_or(value());
    }

    /// Nothing to fix: QDoubleSpinBox's own fixup drops group separators, which would read "7,5" as 75.
    void fixup(QString&) const override {}

    QValidator::State validate(QString& text, int&) const override
    {
        const QString number = numberPart(text);
        if (m_format.allowOff && saysOff(number)) {
            return QValidator::Acceptable;
        }
        if (number.isEmpty() || number == QLatin1String("-") || number == QLatin1String(".") ||
            number == QLatin1String(",") ||
            (m_format.allowOff && NumberDelegate::offText().startsWith(number, Qt::CaseInsensitive))) {
            return QValidator::Intermediate;
        }
        const std::optional<double> parsed = parse(number);
        if (!parsed) {
            return QValidator::Invalid;
        }
        if (m_format.whole && *parsed != std::floor(*parsed)) {
            return QValidator::Invalid;
        }
        return *parsed >= m_format.minimum && *parsed <= m_format.maximum ? QValidator::Acceptable
                                                                          : QValidator::Intermediate;
    }

private:
    QString numberPart(const QString& text) const
    {
        QString number = text.trimmed();
        const QString unit = suffix().trimmed();
        if (!unit.isEmpty() && number.endsWith(unit)) {
            number.chop(unit.size());
        }
        return number.trimmed();
    }

    bool saysOff(const QString& number) const
    {
        return number.isEmpty() ? true : number.compare(NumberDelegate::offText(), Qt::CaseInsensitive) == 0;
    }

    static std::optional<double> parse(const QString& number)
    {
        // A point always; the trader's locale's decimal comma otherwise. No thousands separators:
        // "7,5" is never 75.
        QLocale c = QLocale::c();
        c.setNumberOptions(QLocale::RejectGroupSeparator);
        QLocale mine;
        mine.setNumberOptions(QLocale::RejectGroupSeparator);
        bool ok = false;
        double read = c.toDouble(number, &ok);
        if (!ok) {
            read = mine.toDouble(number, &ok);
        }
        if (!ok || !std::isfinite(read)) {
            return std::nullopt;
        }
        return read;
    }

    NumberFormat m_format;
    bool m_loading = false;
    bool m_edited = false;
};

} // namespace

NumberDelegate::NumberDelegate(FormatFor format, QObject* parent)
    : QStyledItemDelegate(parent), m_format(std::move(format))
{
}

QString NumberDelegate::offText()
{
    return tr("off");
}

QWidget* NumberDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex& index) const
{
    return new NumberSpinBox(m_format(index), parent);
}

void NumberDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    if (auto* box = dynamic_cast<NumberSpinBox*>(editor)) {
        box->load(index.data(Qt::EditRole));
    }
}

void NumberDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    auto* box = dynamic_cast<NumberSpinBox*>(editor);
    if (box == nullptr) {
        return;
    }
    box->interpretText();
    if (!box->edited()) {
        return; // opened and closed: nothing to write
    }
    if (box->isOff()) {
        model->setData(index, QVariant(), Qt::EditRole);
    } else if (m_format(index).whole) {
        model->setData(index, static_cast<int>(std::lround(box->value())), Qt::EditRole);
    } else {
        model->setData(index, box->value(), Qt::EditRole);
    }
}

void NumberDelegate::updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option, const QModelIndex&) const
{
    editor->setGeometry(option.rect);
}

} // namespace mm::ui
