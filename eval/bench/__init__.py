"""The benchmark: the suite file, external tracks, run folders and the leaderboard."""
