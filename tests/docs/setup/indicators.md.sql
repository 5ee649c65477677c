-- tests/docs/setup/indicators.md.sql - the files doc/indicators.md's examples read (forms_2024.csv)
\ir README.md.sql
