"""Airflow for DAG tests: a throwaway AIRFLOW_HOME, set before Airflow is imported anywhere."""
