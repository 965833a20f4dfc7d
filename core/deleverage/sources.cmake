# (the planner and executor: filled in by their owner)
