#include "money/exact_json.h"

#include <vector>

namespace mm {
namespace {

using json = nlohmann::json;

/// A SAX handler that builds the same DOM as nlohmann's own parser, except for number_float.
class ExactDomBuilder {
public:
    explicit ExactDomBuilder(json& root) : m_root(root) {}

    bool null() { return place(json(nullptr)) != nullptr; }
    bool boolean(bool value) { return place(json(value)) != nullptr; }
    bool number_integer(json::number_integer_t value) { return place(json(value)) != nullptr; }
    bool number_unsigned(json::number_unsigned_t value) { return place(json(value)) != nullptr; }
    bool number_float(json::number_float_t /*lossy*/, const json::string_t& text)
    {
        return place(json::binary(json::binary_t::container_type(text.begin(), text.end()), kDecimalTextSubtype)) != nullptr;
    }
    bool string(json::string_t& value) { return place(json(std::move(value))) != nullptr; }
    bool binary(json::binary_t& value) { return place(json::binary(std::move(value))) != nullptr; }
    bool start_object(std::size_t /*elements*/)
    {
        refuseDeeper();
        m_open.push_back(place(json(json::value_t::object)));
        return true;
    }
    bool key(json::string_t& name)
    {
        m_keyTarget = &(*m_open.back())[name];
        return true;
    }
    bool end_object()
    {
        m_open.pop_back();
        return true;
    }
    bool start_array(std::size_t /*elements*/)
    {
        refuseDeeper();
        m_open.push_back(place(json(json::value_t::array)));
        return true;
    }
    bool end_array()
    {
        m_open.pop_back();
        return true;
    }
    bool parse_error(std::size_t /*position*/, const std::string& /*lastToken*/, const json::exception& error)
    {
        throw JsonSyntaxError(jsonSyntaxMessage(error));
    }

private:
    /// nlohmann's dump(), comparison and copy recurse once per level: a frame nested 100,000 deep
    /// would parse here (this builder does not recurse) and then overflow the stack in the first
    /// dump() of an error's detail. Nothing anyone sends nests anywhere near kMaxJsonDepth.
    void refuseDeeper() const
    {
        if (m_open.size() >= kMaxJsonDepth) {
            throw JsonSyntaxError("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
        }
    }

    json* place(json&& value)
    {
        if (m_open.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        json* parent = m_open.back();
        if (parent->is_array()) {
            parent->push_back(std::move(value));
            return &parent->back();
        }
        *m_keyTarget = std::move(value);
        return m_keyTarget;
    }

    json& m_root;
    std::vector<json*> m_open;
    json* m_keyTarget = nullptr;
};

bool isDecimalText(const json& value)
{
    return value.is_binary() && value.get_binary().has_subtype() && value.get_binary().subtype() == kDecimalTextSubtype;
}

} // namespace

std::string jsonSyntaxMessage(const json::exception& error)
{
    std::string message = error.what();
    if (const auto tagEnd = message.find("] "); message.rfind("[json.exception", 0) == 0 && tagEnd != std::string::npos) {
        message.erase(0, tagEnd + 2);
    }
    return message;
}

json parseExactJson(std::string_view text)
{
    json root;
    ExactDomBuilder builder(root);
    json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, /*strict=*/true,
                    /*ignore_comments=*/true);
    return root;
}

bool holdsDecimal(const json& value)
{
    return value.is_number_integer() || value.is_string() || isDecimalText(value);
}

Decimal decimalFromJson(const json& value)
{
    if (value.is_number_unsigned()) {
        return Decimal::parse(std::to_string(value.get<json::number_unsigned_t>()));
    }
    if (value.is_number_integer()) {
        return Decimal::fromInteger(value.get<json::number_integer_t>());
    }
    if (value.is_string()) {
        return Decimal::parse(value.get_ref<const json::string_t&>());
    }
    if (isDecimalText(value)) {
        const auto& bytes = value.get_binary();
        return Decimal::parse(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    }
    if (value.is_number_float()) {
        throw DecimalError("expected a decimal number, got a binary floating-point value (parse with parseExactJson)");
    }
    throw DecimalError("expected a number or a decimal string, got " + describeJsonType(value));
}

std::string describeJsonType(const json& value)
{
    if (isDecimalText(value)) {
        return "a number";
    }
    switch (value.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
        return "a string";
    case json::value_t::boolean:
        return value.get<bool>() ? "true" : "false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return "a number";
    case json::value_t::binary:
        return "binary data";
    case json::value_t::discarded:
        return "nothing";
    }
    return "an unknown value";
}

} // namespace mm
