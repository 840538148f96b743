"""Real public data: the official tables in ``data/official/`` and what is built from them.

Everything in this package is *amtlich* (official) or the city's open data, never the
synthetic demo: the manifest with licences and checksums (:mod:`.manifest`), the ingest of
the GENESIS tables into ``data/processed/official/`` (:mod:`.ingest`), the city's open data
readers (:mod:`.open_data`), the comparison series of "Bielefeld im Vergleich"
(:mod:`.compare`) and the map of NRW's Kreise (:mod:`.geometry`).
"""
