"""Overview: headline answers from the embedded data."""
import streamlit as st

st.title("Overview")
