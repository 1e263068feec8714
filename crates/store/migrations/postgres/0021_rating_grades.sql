-- 好差评 by indicator (国办发〔2019〕51号): an online service is rated on 整体满意度、办事效率、
-- 办事指南精确度、办事便捷度、平台操作性, an on-site one on 整体满意度、服务效率、服务水平、服务态度,
-- each with its own grade. `case_ratings.grade` stays the 整体满意度; `channel` is how the case
-- was handled (online, offline). A rating given before this migration graded only the whole
-- service: its one row here is its 整体满意度, its channel that of its case.
ALTER TABLE case_ratings ADD COLUMN channel TEXT NOT NULL DEFAULT '';
UPDATE case_ratings SET channel = CASE
    WHEN (SELECT c.channel FROM cases c WHERE c.id = case_ratings.case_id) = 'online' THEN 'online'
    ELSE 'offline' END;
CREATE TABLE case_rating_grades (
    case_id BIGINT NOT NULL REFERENCES case_ratings(case_id),
    dimension TEXT NOT NULL,
    grade TEXT NOT NULL,
    PRIMARY KEY (case_id, dimension)
);
INSERT INTO case_rating_grades (case_id, dimension, grade) SELECT case_id, 'overall', grade FROM case_ratings;
