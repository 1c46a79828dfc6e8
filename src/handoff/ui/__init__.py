"""The Streamlit dashboard's building blocks: data loading, filters, charts, formats.

Only this package, `pages/` and `app.py` import streamlit.
"""
