# The connector's Airflow image: the official Airflow image plus the pinned requirements and the amzodoo package.
# Built by docker-compose.yaml (services airflow-* and spapi-sandbox); `docker compose build` rebuilds it.
ARG AIRFLOW_BASE_IMAGE=apache/airflow:3.3.2-python3.11
FROM ${AIRFLOW_BASE_IMAGE}

# The official image expects pip to run as the airflow user (its packages live in the user's site).
USER airflow
WORKDIR /opt/airflow

# Requirements first, so that code changes do not reinstall them. Naming the image's own Airflow version next
# to the pins makes a mismatch between the base image and requirements.txt fail the build instead of
# silently replacing the image's Airflow.
COPY --chown=airflow:0 requirements.txt /opt/airflow/requirements.txt
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" -r /opt/airflow/requirements.txt

# Editable install at /opt/airflow/include: the compose file can bind-mount ./include over it for live edits,
# and the image still works on its own with the copy made here.
COPY --chown=airflow:0 pyproject.toml README.md /opt/airflow/
COPY --chown=airflow:0 include /opt/airflow/include
RUN pip install --no-cache-dir --no-deps --editable /opt/airflow \
    && python -c "import amzodoo.provider_info"

COPY --chown=airflow:0 dags /opt/airflow/dags
COPY --chown=airflow:0 plugins /opt/airflow/plugins
COPY --chown=airflow:0 docker/airflow-init.sh docker/connector.yaml /opt/amzodoo/
