"""Counting predictions against gold, one document at a time: optimal one-to-one matching over character
offsets, then per-task counts (entities, events, quotes, the CoNLL view) summed over documents."""
