"""Package data: the bundled governance glossary (governance.csv)."""
