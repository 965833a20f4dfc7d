#include "portfolio/portfolio_file.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace mm {
namespace {

/// Writes the report as indented JSON straight into a string: building a DOM first would cost more
/// than the evaluation itself on a large portfolio (see tests/bench).
class ReportWriter {
public:
    explicit ReportWriter(std::size_t positions) { m_text.reserve(400 * positions + 512); }

    void open(char bracket)
    {
        m_text += bracket;
        ++m_depth;
        m_first = true;
    }
    void close(char bracket)
    {
        --m_depth;
        newline();
        m_text += bracket;
        m_first = false;
    }
    void key(std::string_view name)
    {
        item();
        string(name);
        m_text += ": ";
    }
    void item()
    {
        if (!m_first) {
            m_text += ',';
        }
        m_first = false;
        newline();
    }
    void string(std::string_view text)
    {
        m_text += '"';
        for (const char c : text) {
            if (c == '"' || c == '\\') {
                m_text += '\\';
                m_text += c;
            } else if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                m_text += escaped;
            } else {
                m_text += c;
            }
        }
        m_text += '"';
    }
    /// Shortest text that reads back as the same double; null for NaN and infinities.
    void number(double value)
    {
        if (!std::isfinite(value)) {
            m_text += "null";
            return;
        }
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
        m_text.append(buffer, result.ptr);
    }
    void number(const std::optional<double>& value) { value ? number(*value) : null(); }
    /// Exact: an amount is written as the decimal it is, not through a double.
    void number(const Decimal& value) { value.appendTo(m_text); }
    void boolean(bool value) { m_text += value ? "true" : "false"; }
    void integer(int value) { m_text += std::to_string(value); }
    void null() { m_text += "null"; }

    template <typename Write>
    void field(std::string_view name, Write&& write)
    {
        key(name);
        write();
    }

    std::string take()
    {
        m_text += '\n';
        return std::move(m_text);
    }

private:
    void newline()
    {
        m_text += '\n';
        m_text.append(static_cast<std::size_t>(m_depth) * 2, ' ');
    }

    std::string m_text;
    int m_depth = 0;
    bool m_first = true;
};

} // namespace

std::string portfolioRiskToJson(const Portfolio& portfolio, const PortfolioRisk& risk)
{
    ReportWriter out(portfolio.positions.size());
    out.open('{');
    out.field("venue", [&] { out.string(venueName(portfolio.account.venue)); });
    out.field("label", [&] { out.string(portfolio.account.label); });
    out.key("positions");
    out.open('[');
    for (std::size_t i = 0; i < portfolio.positions.size(); ++i) {
        const Position& position = portfolio.positions[i];
        const PositionRisk& row = risk.positions[i];
        out.item();
        out.open('{');
        out.field("symbol", [&] { out.string(position.symbol); });
        out.field("side", [&] { out.string(position.side == Side::Long ? "long" : "short"); });
        out.field("marginMode", [&] { out.string(position.marginMode == MarginMode::Cross ? "cross" : "isolated"); });
        out.field("markPrice", [&] { out.number(position.markPrice); });
        out.field("liquidationPrice", [&] { out.number(row.liquidationPrice); });
        out.field("distanceToLiquidation", [&] { out.number(row.distanceToLiquidation); });
        out.field("distanceToLiquidationPct", [&] { out.number(row.distanceToLiquidationPct); });
        out.field("notional", [&] { out.number(row.notional); });
        out.field("maintenanceMargin", [&] { out.number(row.maintenanceMargin); });
        out.field("marginRatio", [&] { out.number(row.marginRatio); });
        out.field("unrealizedPnl", [&] { out.number(row.unrealizedPnl); });
        out.field("tier", [&] { row.tier == 0 ? out.null() : out.integer(row.tier); });
        out.field("liquidationDue", [&] { out.boolean(row.liquidationDue); });
        out.close('}');
    }
    out.close(']');
    const AccountRisk& account = risk.account;
    out.key("account");
    out.open('{');
    out.field("walletBalance", [&] { out.number(account.walletBalance); });
    out.field("unrealizedPnl", [&] { out.number(account.unrealizedPnl); });
    out.field("marginBalance", [&] { out.number(account.marginBalance); });
    out.field("maintenanceMargin", [&] { out.number(account.maintenanceMargin); });
    out.field("requirement", [&] { out.number(account.requirement); });
    out.field("marginRatio", [&] { out.number(account.marginRatio); });
    out.field("nativeMarginRatio", [&] { out.number(account.nativeMarginRatio); });
    out.field("liquidationDue", [&] { out.boolean(account.liquidationDue); });
    out.close('}');
    out.close('}');
    return out.take();
}

} // namespace mm
