"""Import: upload documents (or paste text) into a corpus of one's own, watch the ingestion,
read its report, and share the corpus by its link (app.importer; tables.corpora)."""

import streamlit as st

from dashboard.app import importer, page

ctx = page.page_setup("import", summary=False)
st.title(ctx.t("import.title"))
if importer.intro(ctx):
    importer.claim_edit_link(ctx)
    importer.job_section(ctx)
    if ctx.corpus_id:
        importer.links(ctx, ctx.corpus_id)
    importer.upload_form(ctx)
    importer.my_corpora(ctx)
