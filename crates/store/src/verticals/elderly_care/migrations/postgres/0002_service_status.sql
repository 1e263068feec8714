-- Suspension (暂停服务), closure (终止服务) and resumption of an institution as reported to the
-- 民政 holding its file (《中华人民共和国老年人权益保障法》第四十六条; 《养老机构管理办法》（民政部令
-- 第66号）): the day it reported (and told its residents), the day it took effect, how many
-- residents it housed and their resettlement plan. The institution's status is updated in the
-- same transaction; whether the notice was short is derived from the two days on read.
CREATE TABLE elderly_care_status_changes (
    id BIGSERIAL PRIMARY KEY,
    institution_id BIGINT NOT NULL REFERENCES elderly_care_institutions(id),
    act TEXT NOT NULL,
    reported_on TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    residents BIGINT NOT NULL,
    placement TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX elderly_care_status_changes_institution ON elderly_care_status_changes(institution_id, id);
