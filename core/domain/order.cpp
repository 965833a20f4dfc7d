#include "domain/order.h"

namespace mm {

std::string_view orderStatusName(OrderOutcome::Status status)
{
    switch (status) {
    case OrderOutcome::Status::Filled: return "filled";
    case OrderOutcome::Status::PartiallyFilled: return "partially filled";
    case OrderOutcome::Status::Accepted: return "accepted";
    case OrderOutcome::Status::Rejected: return "rejected";
    case OrderOutcome::Status::Duplicate: return "duplicate client order id";
    case OrderOutcome::Status::NotFound: return "not found";
    case OrderOutcome::Status::Unknown: return "unknown";
    }
    return "unknown";
}

} // namespace mm
