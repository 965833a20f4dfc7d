# (suites registered by this part's owner)
