"""The floor: a minimal Streamlit page with one tiny plotly chart (what no dashboard page can beat)."""

import plotly.graph_objects as go
import streamlit as st

st.title("Floor")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])), theme=None)
