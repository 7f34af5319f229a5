"""Amazon Selling Partner API <-> Odoo connector, run as Apache Airflow DAGs."""

__version__ = "0.1.0"
