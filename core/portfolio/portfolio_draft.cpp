#include "portfolio/portfolio_draft.h"

#include "money/exact_json.h"
#include "portfolio/portfolio_file.h"

#include <nlohmann/json.hpp>

#include <array>
#include <set>
#include <utility>

namespace mm {
namespace {

using json = nlohmann::json;

// The fields in the order the file lists them, with where each lives in the draft.
using AccountField = std::pair<std::string_view, std::string PortfolioDraft::*>;
constexpr std::array<AccountField, 4> kAccountFields{{{"venue", &PortfolioDraft::venue},
                                                      {"label", &PortfolioDraft::label},
                                                      {"marginMode", &PortfolioDraft::marginMode},
                                                      {"walletBalance", &PortfolioDraft::walletBalance}}};

using PositionField = std::pair<std::string_view, std::string PositionDraft::*>;
constexpr std::array<PositionField, 13> kPositionFields{{{"symbol", &PositionDraft::symbol},
                                                         {"side", &PositionDraft::side},
                                                         {"quantity", &PositionDraft::quantity},
                                                         {"entryPrice", &PositionDraft::entryPrice},
                                                         {"markPrice", &PositionDraft::markPrice},
                                                         {"marginMode", &PositionDraft::marginMode},
                                                         {"positionSide", &PositionDraft::positionSide},
                                                         {"leverage", &PositionDraft::leverage},
                                                         {"isolatedMargin", &PositionDraft::isolatedMargin},
                                                         {"maintenanceMarginRate", &PositionDraft::maintenanceMarginRate},
                                                         {"maintenanceAmount", &PositionDraft::maintenanceAmount},
                                                         {"maxLeverage", &PositionDraft::maxLeverage},
                                                         {"takerFeeRate", &PositionDraft::takerFeeRate}}};

/// nlohmann sorts object keys; the file reads better in the schema's order.
std::string orderedDump(const PortfolioDraft& draft, int indent, int depth)
{
    const std::string pad(static_cast<std::size_t>(indent * depth), ' ');
    const std::string inner(static_cast<std::size_t>(indent * (depth + 1)), ' ');
    const auto quoted = [](const std::string& text) { return json(text).dump(-1, ' ', false, json::error_handler_t::replace); };
    std::string out = "{\n";
    for (const auto& [name, member] : kAccountFields) {
        if (!(draft.*member).empty()) {
            out += inner + quoted(std::string(name)) + ": " + quoted(draft.*member) + ",\n";
        }
    }
    out += inner + "\"positions\": [";
    for (std::size_t i = 0; i < draft.positions.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        out += inner + std::string(static_cast<std::size_t>(indent), ' ') + "{ ";
        bool first = true;
        for (const auto& [name, member] : kPositionFields) {
            const std::string& value = draft.positions[i].*member;
            if (!value.empty()) {
                out += (first ? "" : ", ") + quoted(std::string(name)) + ": " + quoted(value);
                first = false;
            }
        }
        out += " }";
    }
    out += draft.positions.empty() ? "]\n" : "\n" + inner + "]\n";
    out += pad + "}";
    return out;
}

/// A field's value as text: strings as they are, numbers as the file wrote them, null as "".
std::string fieldText(const json& value, const std::string& field)
{
    if (value.is_null()) {
        return {};
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_binary() && value.get_binary().has_subtype() && value.get_binary().subtype() == kDecimalTextSubtype) {
        const auto& bytes = value.get_binary();
        return {bytes.begin(), bytes.end()};
    }
    if (value.is_number_integer()) {
        return value.dump();
    }
    throw PortfolioFileError(field, "is " + describeJsonType(value) + ", not a number or text");
}

PortfolioDraft draftFrom(const json& account)
{
    if (!account.is_object()) {
        throw PortfolioFileError("", "an account is " + describeJsonType(account) + ", not an object");
    }
    PortfolioDraft draft;
    for (const auto& [key, value] : account.items()) {
        if (key == "positions") {
            continue;
        }
        bool known = false;
        for (const auto& [name, member] : kAccountFields) {
            if (key == name) {
                draft.*member = fieldText(value, key);
                known = true;
            }
        }
        if (!known) {
            throw PortfolioFileError(key, "is not a field of an account");
        }
    }
    const auto positions = account.find("positions");
    if (positions == account.end() || !positions->is_array()) {
        return draft; // readPortfolio() names what is wrong
    }
    for (std::size_t i = 0; i < positions->size(); ++i) {
        const json& entry = (*positions)[i];
        const std::string where = "positions[" + std::to_string(i) + "]";
        if (!entry.is_object()) {
            throw PortfolioFileError(where, "is " + describeJsonType(entry) + ", not an object");
        }
        PositionDraft position;
        for (const auto& [key, value] : entry.items()) {
            bool known = false;
            for (const auto& [name, member] : kPositionFields) {
                if (key == name) {
                    position.*member = fieldText(value, where + "." + key);
                    known = true;
                }
            }
            if (!known) {
                throw PortfolioFileError(where + "." + key, "is not a field of a position");
            }
        }
        draft.positions.push_back(std::move(position));
    }
    return draft;
}

/// Finds a field given twice in one object, which a JSON DOM would silently collapse into one: the
/// SAX events with the path to each value. Syntax errors are left to the parse that follows.
class DuplicateFieldFinder : public nlohmann::json_sax<json> {
public:
    std::string duplicate; ///< the path of the first field given twice, "" when none

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override
    {
        m_levels.push_back({true, {}, {}, 0});
        return true;
    }
    bool key(string_t& name) override
    {
        Level& level = m_levels.back();
        if (!level.keys.insert(name).second) {
            duplicate = path(name);
            return false;
        }
        level.current = name;
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override
    {
        m_levels.push_back({false, {}, {}, 0});
        return true;
    }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

private:
    struct Level {
        bool object = false;
        std::set<std::string> keys;
        std::string current; ///< object: the key of the value being read
        std::size_t index = 0; ///< array: the index of the value being read
    };

    bool value()
    {
        if (!m_levels.empty() && !m_levels.back().object) {
            ++m_levels.back().index;
        }
        return true;
    }
    bool close()
    {
        m_levels.pop_back();
        return value(); // the closed object or array was a value of its parent
    }
    [[nodiscard]] std::string path(const std::string& last) const
    {
        std::string out;
        for (std::size_t i = 0; i + 1 < m_levels.size(); ++i) {
            const Level& level = m_levels[i];
            out += level.object ? (out.empty() ? "" : ".") + level.current : "[" + std::to_string(level.index) + "]";
        }
        return out + (out.empty() ? "" : ".") + last;
    }

    std::vector<Level> m_levels;
};

std::string within(const std::string& prefix, const std::string& field)
{
    return field.empty() ? prefix : prefix + "." + field;
}

} // namespace

std::string writePortfolioText(const PortfolioDraft& draft)
{
    return orderedDump(draft, 2, 0) + "\n";
}

std::string writePortfolioListText(const std::vector<PortfolioDraft>& drafts)
{
    std::string out = "{\n  \"accounts\": [";
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        out += (i == 0 ? "\n    " : ",\n    ") + orderedDump(drafts[i], 2, 2);
    }
    out += drafts.empty() ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

std::vector<PortfolioDraft> readPortfolioDrafts(std::string_view jsonText)
{
    json document;
    try {
        document = parseExactJson(jsonText);
    } catch (const JsonSyntaxError& error) {
        throw PortfolioFileError("", error.what());
    }
    DuplicateFieldFinder finder;
    (void)json::sax_parse(jsonText, &finder, json::input_format_t::json, false, true);
    if (!finder.duplicate.empty()) {
        throw PortfolioFileError(finder.duplicate, "appears twice in the same object");
    }
    std::vector<PortfolioDraft> drafts;
    if (document.is_object() && document.contains("accounts")) {
        const json& accounts = document["accounts"];
        if (document.size() != 1) {
            throw PortfolioFileError("", "a list of accounts holds only \"accounts\"");
        }
        if (!accounts.is_array()) {
            throw PortfolioFileError("accounts", "is " + describeJsonType(accounts) + ", not an array");
        }
        for (std::size_t i = 0; i < accounts.size(); ++i) {
            const std::string prefix = "accounts[" + std::to_string(i) + "]";
            try {
                drafts.push_back(draftFrom(accounts[i]));
                (void)readPortfolio(writePortfolioText(drafts.back()));
            } catch (const PortfolioFileError& error) {
                throw PortfolioFileError(within(prefix, error.field()), error.reason());
            }
        }
        return drafts;
    }
    (void)readPortfolio(jsonText); // one account: checked as marginctl eval would, with its exact field names
    drafts.push_back(draftFrom(document));
    return drafts;
}

} // namespace mm
