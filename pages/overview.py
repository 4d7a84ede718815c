import streamlit as st

from dashboard import ui

ctx = ui.page_setup("overview")
st.title(ctx.t("overview.title"))
st.write(len(ctx.articles))
