#include "deleverage/deleverage_status.h"

namespace mm {

std::string_view deleverageStateName(DeleverageState state)
{
    switch (state) {
    case DeleverageState::DryRun: return "dry run";
    case DeleverageState::NothingToDo: return "nothing to do";
    case DeleverageState::Countdown: return "countdown";
    case DeleverageState::Sending: return "sending";
    case DeleverageState::WaitingLookup: return "waiting for lookup";
    case DeleverageState::Done: return "done";
    case DeleverageState::Failed: return "failed";
    case DeleverageState::Refused: return "refused";
    case DeleverageState::Cancelled: return "cancelled";
    }
    return "?";
}

bool isFinal(DeleverageState state)
{
    switch (state) {
    case DeleverageState::Countdown:
    case DeleverageState::Sending:
    case DeleverageState::WaitingLookup:
        return false;
    case DeleverageState::DryRun:
    case DeleverageState::NothingToDo:
    case DeleverageState::Done:
    case DeleverageState::Failed:
    case DeleverageState::Refused:
    case DeleverageState::Cancelled:
        return true;
    }
    return true;
}

} // namespace mm
