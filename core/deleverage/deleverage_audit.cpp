#include "deleverage/deleverage_audit.h"

namespace mm {

std::string_view deleverageStepName(DeleverageStepKind kind)
{
    switch (kind) {
    case DeleverageStepKind::Plan: return "plan";
    case DeleverageStepKind::DryRun: return "dry-run";
    case DeleverageStepKind::Countdown: return "countdown";
    case DeleverageStepKind::Cancelled: return "cancelled";
    case DeleverageStepKind::Refused: return "refused";
    case DeleverageStepKind::Intent: return "intent";
    case DeleverageStepKind::Sent: return "sent";
    case DeleverageStepKind::Unknown: return "unknown";
    case DeleverageStepKind::Lookup: return "lookup";
    case DeleverageStepKind::Result: return "result";
    case DeleverageStepKind::VerifyRequested: return "verify-requested";
    case DeleverageStepKind::Verified: return "verified";
    case DeleverageStepKind::TargetMissed: return "target-missed";
    }
    return "?";
}

} // namespace mm
