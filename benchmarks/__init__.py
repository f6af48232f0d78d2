"""Benchmarks run by `make bench`; each stage module measures one job."""
