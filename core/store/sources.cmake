# (the journal: filled in by its owner)
