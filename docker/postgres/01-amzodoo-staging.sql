-- Runs once, when the postgres service initialises its data directory (docker-entrypoint-initdb.d).
-- Staging lives in its own database so that Airflow's `db migrate`/`db reset` never touches it.
CREATE DATABASE amzodoo_staging OWNER airflow;
