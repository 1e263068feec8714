-- Same indexes as PostgreSQL (status is filtered after the division; it changes with every act).
DROP INDEX cases_accepting;
DROP INDEX cases_competent;
CREATE INDEX cases_accepting ON cases(accepting_division);
CREATE INDEX cases_competent ON cases(competent_division);
