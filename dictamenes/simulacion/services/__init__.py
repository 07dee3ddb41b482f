"""The simulated year as queues per step: the engine, its fit to the record, the minimum loan and
the fast-track scenarios."""
