# (the notifier: filled in by its owner)
