"""What the counts support: bootstrap intervals, paired significance tests, and the signature that says
which numbers are comparable."""
