-- Acts update a case and its record stream head many times: keep status out of the indexes and leave room on each page,
-- so an act's update can stay on its page (a heap-only tuple) instead of touching every index.
DROP INDEX cases_accepting;
DROP INDEX cases_competent;
CREATE INDEX cases_accepting ON cases(accepting_division);
CREATE INDEX cases_competent ON cases(competent_division);
ALTER TABLE cases SET (fillfactor = 70);
ALTER TABLE audit_streams SET (fillfactor = 70);
