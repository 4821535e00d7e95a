"""The investment case: the staircase as a Markov chain estimated from the municipality's own
data, scenarios, and a Monte Carlo of placements, spending and staff (docs/simulation.md)."""
