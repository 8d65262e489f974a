"""The feeds app keeps no tables of its own; its cache counter is ``core.CacheGeneration``."""
