"""The redraw floor: a segmented control switching one tiny plotly chart (what no redraw can beat)."""

import plotly.graph_objects as go
import streamlit as st

with st.container(key="pulls_measure"):
    measure = (
        st.segmented_control("Show", ["Pulls per week", "Pulls per month"], default="Pulls per week")
        or "Pulls per week"
    )
figure = go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2]))
figure.update_layout(yaxis_title=measure or "Pulls per week")
st.plotly_chart(figure, theme=None)
