"""The operator's console: the "Amazon ⇄ Odoo" pages in Airflow's navigation.

``queries`` reads the staging store (health, orders needing attention), ``reports`` reads the stored
reconciliation reports, ``pages`` renders HTML, ``airflow_side`` asks Airflow (DAG access, runs, triggers) and
``app`` is the FastAPI application that Airflow's API server mounts (``plugins/amzodoo_console.py`` registers it).
"""
