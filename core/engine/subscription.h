#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace mm {

/// A handle whose destruction ends a subscription (Bitcoin Core's interfaces::Handler shape).
class Subscription {
public:
    virtual ~Subscription() = default;
};

/// The callbacks subscribed to one kind of event. Single-threaded: subscribe, publish and drop
/// handles on the thread that owns the publisher. A callback may drop its own handle (or another's)
/// while being called; a handle may outlive the list.
template <typename Event>
class SubscriberList {
public:
    [[nodiscard]] std::unique_ptr<Subscription> subscribe(std::function<void(const Event&)> callback)
    {
        const std::uint64_t id = m_state->nextId++;
        m_state->callbacks.emplace_back(id, std::make_shared<const Callback>(std::move(callback)));
        return std::make_unique<Handle>(m_state, id);
    }

    void publish(const Event& event) const
    {
        auto& callbacks = m_state->callbacks;
        ++m_state->publishing;
        for (std::size_t i = 0; i < callbacks.size(); ++i) { // by index: callbacks may be added meanwhile
            // Held while it runs: subscribing (the vector grows) or dropping its own handle must not
            // destroy the function being called.
            if (const std::shared_ptr<const Callback> callback = callbacks[i].second) {
                (*callback)(event);
            }
        }
        if (--m_state->publishing == 0) {
            std::erase_if(callbacks, [](const auto& entry) { return !entry.second; });
        }
    }

private:
    using Callback = std::function<void(const Event&)>;
    struct State {
        std::vector<std::pair<std::uint64_t, std::shared_ptr<const Callback>>> callbacks;
        std::uint64_t nextId = 1;
        int publishing = 0;
    };

    class Handle final : public Subscription {
    public:
        Handle(std::weak_ptr<State> state, std::uint64_t id) : m_state(std::move(state)), m_id(id) {}
        ~Handle() override
        {
            const auto state = m_state.lock();
            if (!state) {
                return;
            }
            for (auto& entry : state->callbacks) {
                if (entry.first == m_id) {
                    entry.second.reset(); // erased after the current publish, if one is running
                }
            }
            if (state->publishing == 0) {
                std::erase_if(state->callbacks, [](const auto& entry) { return !entry.second; });
            }
        }
        Handle(const Handle&) = delete;
        Handle& operator=(const Handle&) = delete;

    private:
        std::weak_ptr<State> m_state;
        std::uint64_t m_id;
    };

    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace mm
