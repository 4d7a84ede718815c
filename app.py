"""Entry point: `streamlit run app.py`. Registers the pages; each page draws the shared frame.

Every page file calls ``dashboard.app.page.page_setup`` itself, so a page works whether Streamlit
reached it through this router or ran it directly (a cold deep link in pages-directory mode).
"""

import streamlit as st

from dashboard.app import page, urlstate
from dashboard.common import i18n

lang = i18n.normalize_lang(st.session_state.get(urlstate.K_LANG) or st.query_params.get("lang"))
current = st.navigation(page.navigation_pages(lang or i18n.DEFAULT_LANG), position="sidebar")
try:
    current.run()
finally:
    page.release_page_data()  # what the page selected is not kept while the session idles
