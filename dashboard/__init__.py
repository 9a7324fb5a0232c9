"""The Streamlit dashboard: one module per page, cached loaders, pure chart builders and exports."""
