"""Running systems over documents: the run loop, worker processes with timeouts, the prediction cache and
the validity check every prediction passes."""
