"""Pandera schemas of every published table and the indicator catalogue (indicators.csv)."""
