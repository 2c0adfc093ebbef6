"""heartmon's benchmarks (`make bench`), never part of the test run.

One run on one PostgreSQL database (BENCH_DATABASE_URL, dropped and created afresh) measures:
the raw COPY ceiling, HTTP batch ingestion through the production and the demo server, the naive
row-by-row baseline of reference 004, SQL aggregation on a 10-million-reading table, the ECG
figures (`bench.ecg`) and the time to refuse hostile ECG uploads (`bench.refusals`). Figures vary
±20 % between runs on shared machines: compare the ratios.
"""
