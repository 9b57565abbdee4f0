"""`frontdoor bench`: the whole system against raw baselines of its own infrastructure, in one run."""
