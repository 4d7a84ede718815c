# Self-hosting image: the dashboard on the bundled corpus, or on yours (mount it and set
# DASHBOARD_RAW / DASHBOARD_DATA). Nothing is fetched at run time: fonts come from the pip
# package pylopdf-fonts-zh-cn, the base map from static/topojson/.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DASHBOARD_CACHE=/app/cache

WORKDIR /app
COPY requirements.txt pyproject.toml ./
COPY src ./src
RUN pip install -r requirements.txt

COPY . .
# The tables of the bundled corpus and the clouds' cut-down font (src/dashboard/figures/fonts.py) are
# made at build time, so the first visitor waits for neither.
RUN useradd --create-home --uid 10001 dashboard \
    && python -m dashboard ingest --quiet \
    && python -m dashboard.figures.fonts \
    && chown -R dashboard:dashboard /app/data /app/cache
USER dashboard

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501"]
